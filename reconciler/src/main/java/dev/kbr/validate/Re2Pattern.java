package dev.kbr.validate;

import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the {@code pattern} of a Kubernetes schema, which the API server evaluates with Go's
 * RE2 ({@code regexp.MatchString}: an unanchored search), into a {@link java.util.regex.Pattern}
 * used with {@link Matcher#find()}.
 *
 * <p>The two dialects mostly agree; where they do not, the pattern is rewritten so Java behaves as
 * Go would: {@code $} outside multi-line mode is the end of the text only ({@code \z}); {@code .}
 * stops only at {@code \n}; a {@code {} that does not start a repetition is a literal (RE2 reads
 * {@code {,63}} as text); POSIX classes such as {@code [[:alpha:]]} and a {@code [} or {@code &}
 * inside a class keep their RE2 meaning; named groups {@code (?P<n>…)} become plain groups; {@code
 * \v} is the vertical tab. Constructs RE2 rejects (lookaround, backreferences, atomic groups,
 * possessive quantifiers, repeat counts above 1000, flags other than {@code imsU}) are rejected
 * here too, as the API server rejects a CRD that uses them.
 */
final class Re2Pattern {
    /** RE2's largest repeat count ({@code regexp/syntax}: {@code maxRepeat}). */
    private static final int MAX_REPEAT = 1000;

    private static final Pattern REPEAT = Pattern.compile("\\{(\\d+)(,(\\d*))?}");
    private static final Pattern MULTILINE_FLAG = Pattern.compile("\\(\\?[a-zA-Z]*m[a-zA-Z-]*[:)]");
    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("alpha", "\\p{Alpha}"),
            Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"),
            Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"),
            Map.entry("lower", "\\p{Lower}"),
            Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"),
            Map.entry("space", "\\p{Space}"),
            Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"),
            Map.entry("xdigit", "\\p{XDigit}"));

    /**
     * The schema library's hook: every {@code pattern} it meets is compiled here, once per schema,
     * with RE2 search semantics. Patterns are checked before the schema reaches the library, so this
     * does not throw for them.
     */
    static final RegularExpressionFactory FACTORY = regex -> {
        Pattern compiled = compile(regex);
        return value -> compiled.matcher(value).find();
    };

    private final String source;
    private final boolean multiline;
    private final StringBuilder out = new StringBuilder();
    private int pos;
    private boolean afterRepetition;
    private boolean lazyMarked;

    private Re2Pattern(String source) {
        this.source = source;
        this.multiline = MULTILINE_FLAG.matcher(source).find();
    }

    /**
     * Translates and compiles an RE2 pattern.
     *
     * @throws IllegalArgumentException when RE2 or Java would reject it; the message says why, in
     *     words for the Promise author
     */
    static Pattern compile(String re2) {
        String java = new Re2Pattern(re2).translate();
        try {
            return Pattern.compile(java, Pattern.UNIX_LINES | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "cannot be compiled (" + e.getDescription() + " near index " + Math.max(e.getIndex(), 0) + ")", e);
        }
    }

    private String translate() {
        while (pos < source.length()) {
            char c = source.charAt(pos);
            switch (c) {
                case '\\' -> escape(false);
                case '[' -> characterClass();
                case '(' -> group();
                case '$' -> literal(multiline ? "$" : "\\z", 1);
                case '{' -> brace();
                case '*', '+', '?' -> repetition(c);
                default -> literal(String.valueOf(c), 1);
            }
        }
        return out.toString();
    }

    private void literal(String text, int consumed) {
        out.append(text);
        pos += consumed;
        afterRepetition = false;
    }

    private void repetition(char c) {
        if (afterRepetition) {
            // One lazy marker right after a repetition is fine; anything else repeats a repetition.
            if (c == '?' && !lazyMarked) {
                out.append(c);
                pos++;
                lazyMarked = true;
                return;
            }
            throw invalid("repeats a repetition (\"" + source.substring(Math.max(0, pos - 1), pos + 1)
                    + "\"), which RE2 rejects; possessive quantifiers such as *+ are not RE2");
        }
        out.append(c);
        pos++;
        afterRepetition = true;
        lazyMarked = false;
    }

    private void brace() {
        Matcher m = REPEAT.matcher(source).region(pos, source.length());
        if (!m.lookingAt()) {
            literal("\\{", 1);
            return;
        }
        int min = count(m.group(1));
        String max = m.group(3);
        if (min > MAX_REPEAT || (max != null && !max.isEmpty() && count(max) > MAX_REPEAT)) {
            throw invalid("repeats more than " + MAX_REPEAT + " times (" + m.group() + "), which RE2 rejects");
        }
        if (afterRepetition) {
            throw invalid("repeats a repetition (" + m.group() + "), which RE2 rejects");
        }
        out.append(m.group());
        pos = m.end();
        afterRepetition = true;
        lazyMarked = false;
    }

    private static int count(String digits) {
        return digits.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    private void group() {
        afterRepetition = false;
        if (!source.startsWith("(?", pos)) {
            out.append('(');
            pos++;
            return;
        }
        String rest = source.substring(pos + 2);
        if (rest.startsWith("=") || rest.startsWith("!") || rest.startsWith("<=") || rest.startsWith("<!")) {
            throw invalid("uses lookaround (\"(?" + rest.substring(0, rest.startsWith("<") ? 2 : 1)
                    + "\"), which RE2 does not support");
        }
        if (rest.startsWith(">")) {
            throw invalid("uses an atomic group (\"(?>\"), which RE2 does not support");
        }
        if (rest.startsWith("P<") || rest.startsWith("<")) {
            int close = source.indexOf('>', pos);
            if (close < 0) {
                throw invalid("has an unterminated group name");
            }
            // The name matters only for capturing, never for whether a value matches.
            out.append('(');
            pos = close + 1;
            return;
        }
        if (rest.startsWith("P=") || rest.startsWith("P>")) {
            throw invalid("uses a named backreference, which RE2 does not support");
        }
        int i = pos + 2;
        StringBuilder flags = new StringBuilder();
        while (i < source.length() && (Character.isLetter(source.charAt(i)) || source.charAt(i) == '-')) {
            char f = source.charAt(i);
            if ("imsU-".indexOf(f) < 0) {
                throw invalid("uses the flag '" + f + "', which RE2 does not support (only i, m, s and U)");
            }
            // U swaps greediness in RE2 (UNICODE_CHARACTER_CLASS in Java); greediness never changes
            // whether a search finds a match, so it is dropped.
            if (f != 'U') {
                flags.append(f);
            }
            i++;
        }
        if (i >= source.length() || (source.charAt(i) != ')' && source.charAt(i) != ':')) {
            throw invalid("has a malformed group starting \"(?\"");
        }
        String cleaned = flags.toString().replaceAll("-$", "");
        if (source.charAt(i) == ')') {
            if (!cleaned.isEmpty()) {
                out.append("(?").append(cleaned).append(')');
            }
        } else {
            out.append("(?").append(cleaned).append(':');
        }
        pos = i + 1;
    }

    private void characterClass() {
        afterRepetition = false;
        int start = pos;
        out.append('[');
        pos++;
        if (pos < source.length() && source.charAt(pos) == '^') {
            out.append('^');
            pos++;
        }
        // In RE2 a ']' first in a class is a literal; Java would end (or reject) the class.
        if (pos < source.length() && source.charAt(pos) == ']') {
            out.append("\\]");
            pos++;
        }
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (c == ']') {
                out.append(']');
                pos++;
                return;
            }
            if (c == '[' && source.startsWith("[:", pos)) {
                posixClass();
            } else if (c == '[' || c == '&') {
                // Java reads '[' as a nested class and "&&" as intersection; in RE2 both are literals.
                out.append('\\').append(c);
                pos++;
            } else if (c == '\\') {
                escape(true);
            } else {
                out.append(c);
                pos++;
            }
        }
        throw invalid("has a character class starting at index " + start + " that is never closed with ']'");
    }

    private void posixClass() {
        int end = source.indexOf(":]", pos + 2);
        if (end < 0) {
            out.append("\\[");
            pos++;
            return;
        }
        String name = source.substring(pos + 2, end);
        boolean negated = name.startsWith("^");
        String java = POSIX_CLASSES.get(negated ? name.substring(1) : name);
        if (java == null) {
            throw invalid("uses the unknown POSIX class [:" + name + ":]");
        }
        if (negated) {
            java = java.equals("\\w") ? "\\W" : "\\P" + java.substring(2);
        }
        out.append(java);
        pos = end + 2;
    }

    private void escape(boolean inClass) {
        afterRepetition = false;
        if (pos + 1 >= source.length()) {
            throw invalid("ends with a lone backslash");
        }
        char d = source.charAt(pos + 1);
        switch (d) {
            case 'Q' -> {
                int end = source.indexOf("\\E", pos + 2);
                int stop = end < 0 ? source.length() : end + 2;
                out.append(source, pos, stop);
                if (end < 0) {
                    out.append("\\E");
                }
                pos = stop;
            }
            case 'v' -> {
                out.append("\\x0B");
                pos += 2;
            }
            case '0' -> {
                int i = pos + 2;
                while (i < source.length() && i < pos + 4 && source.charAt(i) >= '0' && source.charAt(i) <= '7') {
                    i++;
                }
                out.append("\\0").append(i == pos + 2 ? "0" : source.substring(pos + 2, i));
                pos = i;
            }
            case '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                if (inClass) {
                    throw invalid("has the escape \\" + d + " in a character class, which RE2 rejects");
                }
                throw invalid("uses a backreference (\\" + d + "), which RE2 does not support");
            }
            case 'Z', 'G', 'R', 'X', 'h', 'H', 'e', 'c', 'k', 'K', 'V' ->
                throw invalid("uses the escape \\" + d + ", which RE2 does not support");
            case 'p', 'P' -> unicodeClass(d);
            default -> {
                out.append('\\').append(d);
                pos += 2;
            }
        }
    }

    private void unicodeClass(char p) {
        if (pos + 2 >= source.length()) {
            throw invalid("ends inside a \\" + p + " class");
        }
        if (source.charAt(pos + 2) != '{') {
            out.append('\\').append(p).append(source.charAt(pos + 2));
            pos += 3;
            return;
        }
        int close = source.indexOf('}', pos + 3);
        if (close < 0) {
            throw invalid("has an unterminated \\" + p + "{ class");
        }
        String name = source.substring(pos + 3, close);
        boolean negate = name.startsWith("^");
        if (negate) {
            name = name.substring(1);
            p = p == 'p' ? 'P' : 'p';
        }
        // RE2 names scripts bare (\p{Greek}); Java wants them prefixed with "Is". One- and
        // two-letter names are general categories in both.
        String javaName = name.length() <= 2 || name.equals("Any") ? name : "Is" + name;
        if (name.equals("Any")) {
            out.append(p == 'p' ? "[\\x{0}-\\x{10FFFF}]" : "[^\\x{0}-\\x{10FFFF}]");
        } else {
            out.append('\\').append(p).append('{').append(javaName).append('}');
        }
        pos = close + 1;
    }

    private IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(why);
    }
}
