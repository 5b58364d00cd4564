package dev.kbr.execute;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The block-style emitter of Go's {@code gopkg.in/yaml.v2} v2.4.0 ({@code emitterc.go}, a port
 * of libyaml's) with its defaults: indent 2, preferred width 80, Unicode written as is, line
 * feeds. It keeps the same state as that emitter (column, indent stack, whether the last thing
 * written was whitespace or indentation) because its line breaks and padding depend on it: a
 * sequence under a mapping key is not indented, a long scalar is folded at the first space after
 * column 80, and the first key of a mapping inside a sequence item shares the item's line.
 *
 * <p>Only what a JSON tree can hold is emitted, so there are no anchors, tags or flow
 * collections other than the empty ones. Columns count code points, as the Go emitter counts
 * UTF-8 characters.
 */
final class YamlV2Emitter {
    private static final int BEST_INDENT = 2;
    private static final int BEST_WIDTH = 80;
    private static final int MAX_SIMPLE_KEY_BYTES = 128;

    private enum Style {
        PLAIN,
        SINGLE_QUOTED,
        DOUBLE_QUOTED,
        LITERAL
    }

    private final StringBuilder out = new StringBuilder();
    private final Deque<Integer> indents = new ArrayDeque<>();
    private int column;
    private int indent = -1;
    private boolean whitespace = true;
    private boolean indention = true;
    private int documents;

    /** Appends one document as {@code Encoder.Encode} does: {@code ---} before all but the first. */
    void document(JsonNode node) {
        if (documents++ > 0) {
            writeIndent();
            writeIndicator("---", true, false, false);
        }
        node(node, false, false);
        writeIndent();
    }

    String text() {
        return out.toString();
    }

    private void node(JsonNode node, boolean mappingContext, boolean simpleKey) {
        if (node.isObject()) {
            mapping(node);
        } else if (node.isArray()) {
            sequence(node, mappingContext);
        } else if (node.isTextual()) {
            string(node.textValue(), simpleKey);
        } else if (node.isNumber()) {
            scalar(YamlV2Scalars.number(node), Style.PLAIN, simpleKey);
        } else if (node.isBoolean()) {
            scalar(node.booleanValue() ? "true" : "false", Style.PLAIN, simpleKey);
        } else if (node.isNull() || node.isMissingNode()) {
            scalar("null", Style.PLAIN, simpleKey);
        } else {
            throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " as YAML");
        }
    }

    private void mapping(JsonNode node) {
        if (node.isEmpty()) {
            emptyFlow("{", "}");
            return;
        }
        increaseIndent(false, false);
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        keys.sort(YamlV2Scalars.KEY_ORDER);
        for (String key : keys) {
            writeIndent();
            boolean simple =
                    !Scalar.of(key).multiline && key.getBytes(StandardCharsets.UTF_8).length <= MAX_SIMPLE_KEY_BYTES;
            if (simple) {
                string(key, true);
                writeIndicator(":", false, false, false);
            } else {
                // Long and multi-line keys take the explicit "? key" form, value on its own line.
                writeIndicator("?", true, false, true);
                string(key, false);
                writeIndent();
                writeIndicator(":", true, false, true);
            }
            node(node.get(key), true, false);
        }
        popIndent();
    }

    private void sequence(JsonNode node, boolean mappingContext) {
        if (node.isEmpty()) {
            emptyFlow("[", "]");
            return;
        }
        // A sequence that is a mapping's value starts on the key's column.
        increaseIndent(false, mappingContext && !indention);
        for (JsonNode item : node) {
            writeIndent();
            writeIndicator("-", true, false, true);
            node(item, false, false);
        }
        popIndent();
    }

    private void emptyFlow(String open, String close) {
        writeIndicator(open, true, true, false);
        writeIndicator(close, false, false, false);
    }

    /** yaml.v2's {@code stringv}: literal for line feeds, plain if it reads back as a string. */
    private void string(String s, boolean simpleKey) {
        Style requested;
        if (s.indexOf('\n') >= 0) {
            requested = Style.LITERAL;
        } else if (YamlV2Scalars.plainResolvesToString(s)) {
            requested = Style.PLAIN;
        } else {
            requested = Style.DOUBLE_QUOTED;
        }
        scalar(s, requested, simpleKey);
    }

    private void scalar(String value, Style requested, boolean simpleKey) {
        Scalar analysis = Scalar.of(value);
        Style style = analysis.select(requested, simpleKey);
        increaseIndent(true, false);
        int[] cps = value.codePoints().toArray();
        switch (style) {
            case PLAIN -> writePlain(cps, !simpleKey);
            case SINGLE_QUOTED -> writeSingleQuoted(cps, !simpleKey);
            case DOUBLE_QUOTED -> writeDoubleQuoted(cps, !simpleKey);
            case LITERAL -> writeLiteral(cps);
        }
        popIndent();
    }

    private void increaseIndent(boolean flow, boolean indentless) {
        indents.push(indent);
        if (indent < 0) {
            indent = flow ? BEST_INDENT : 0;
        } else if (!indentless) {
            indent += BEST_INDENT;
        }
    }

    private void popIndent() {
        indent = indents.pop();
    }

    private void writeIndent() {
        int target = Math.max(indent, 0);
        if (!indention || column > target || (column == target && !whitespace)) {
            putBreak();
        }
        while (column < target) {
            put(' ');
        }
        whitespace = true;
        indention = true;
    }

    private void writeIndicator(String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        out.append(indicator);
        column += indicator.length();
        whitespace = isWhitespace;
        indention = indention && isIndention;
    }

    private void put(char c) {
        out.append(c);
        column++;
    }

    private void putBreak() {
        out.append('\n');
        column = 0;
    }

    private void write(int cp) {
        out.appendCodePoint(cp);
        column++;
    }

    /** A line feed is written as one; other breaks are copied and also end the line. */
    private void writeBreak(int cp) {
        if (cp == '\n') {
            putBreak();
        } else {
            out.appendCodePoint(cp);
            column = 0;
        }
    }

    private void writePlain(int[] v, boolean allowBreaks) {
        if (!whitespace) {
            put(' ');
        }
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && !isSpace(v, i + 1)) {
                    writeIndent();
                } else {
                    write(v[i]);
                }
                spaces = true;
            } else if (Scalar.isBreak(v[i])) {
                if (!breaks && v[i] == '\n') {
                    putBreak();
                }
                writeBreak(v[i]);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                write(v[i]);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }
        whitespace = false;
        indention = false;
    }

    private void writeSingleQuoted(int[] v, boolean allowBreaks) {
        writeIndicator("'", true, false, false);
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1 && !isSpace(v, i + 1)) {
                    writeIndent();
                } else {
                    write(v[i]);
                }
                spaces = true;
            } else if (Scalar.isBreak(v[i])) {
                if (!breaks && v[i] == '\n') {
                    putBreak();
                }
                writeBreak(v[i]);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                if (v[i] == '\'') {
                    put('\'');
                }
                write(v[i]);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }
        writeIndicator("'", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeDoubleQuoted(int[] v, boolean allowBreaks) {
        writeIndicator("\"", true, false, false);
        // The Go emitter tests for a byte order mark at the start of the value, not at each
        // character, so a value starting with one has every character escaped.
        boolean startsWithBom = v.length > 0 && v[0] == 0xFEFF;
        boolean spaces = false;
        for (int i = 0; i < v.length; i++) {
            int c = v[i];
            if (!Scalar.isPrintable(c) || startsWithBom || Scalar.isBreak(c) || c == '"' || c == '\\') {
                writeEscape(c);
                spaces = false;
            } else if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1) {
                    writeIndent();
                    if (isSpace(v, i + 1)) {
                        put('\\');
                    }
                } else {
                    write(c);
                }
                spaces = true;
            } else {
                write(c);
                spaces = false;
            }
        }
        writeIndicator("\"", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeEscape(int c) {
        put('\\');
        String named = switch (c) {
            case 0x00 -> "0";
            case 0x07 -> "a";
            case 0x08 -> "b";
            case 0x09 -> "t";
            case 0x0A -> "n";
            case 0x0B -> "v";
            case 0x0C -> "f";
            case 0x0D -> "r";
            case 0x1B -> "e";
            case 0x22 -> "\"";
            case 0x5C -> "\\";
            case 0x85 -> "N";
            case 0xA0 -> "_";
            case 0x2028 -> "L";
            case 0x2029 -> "P";
            default -> null;
        };
        if (named != null) {
            for (char ch : named.toCharArray()) {
                put(ch);
            }
            return;
        }
        String prefix = c <= 0xFF ? "x" : c <= 0xFFFF ? "u" : "U";
        int digits = c <= 0xFF ? 2 : c <= 0xFFFF ? 4 : 8;
        String hex = String.format("%0" + digits + "X", c);
        for (char ch : (prefix + hex).toCharArray()) {
            put(ch);
        }
    }

    private void writeLiteral(int[] v) {
        writeIndicator("|", true, false, false);
        if (v.length > 0 && (v[0] == ' ' || Scalar.isBreak(v[0]))) {
            writeIndicator(String.valueOf(BEST_INDENT), false, false, false);
        }
        String chomp = chompHint(v);
        if (!chomp.isEmpty()) {
            writeIndicator(chomp, false, false, false);
        }
        putBreak();
        indention = true;
        whitespace = true;
        boolean breaks = true;
        for (int c : v) {
            if (Scalar.isBreak(c)) {
                writeBreak(c);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                write(c);
                indention = false;
                breaks = false;
            }
        }
    }

    /** Strip without a final break, keep with more than one (or only one), clip otherwise. */
    private static String chompHint(int[] v) {
        if (v.length == 0 || !Scalar.isBreak(v[v.length - 1])) {
            return "-";
        }
        if (v.length == 1 || Scalar.isBreak(v[v.length - 2])) {
            return "+";
        }
        return "";
    }

    private static boolean isSpace(int[] v, int i) {
        return i < v.length && v[i] == ' ';
    }

    /** What the Go emitter's {@code yaml_emitter_analyze_scalar} finds out about a value. */
    private record Scalar(
            boolean multiline, boolean blockPlainAllowed, boolean singleQuotedAllowed, boolean blockAllowed) {

        static Scalar of(String value) {
            int[] v = value.codePoints().toArray();
            if (v.length == 0) {
                return new Scalar(false, true, true, false);
            }
            boolean blockIndicators = value.startsWith("---") || value.startsWith("...");
            boolean lineBreaks = false;
            boolean special = false;
            boolean leadingSpace = false;
            boolean leadingBreak = false;
            boolean trailingSpace = false;
            boolean trailingBreak = false;
            boolean breakSpace = false;
            boolean spaceBreak = false;
            boolean precededByWhitespace = true;
            boolean previousSpace = false;
            boolean previousBreak = false;
            for (int i = 0; i < v.length; i++) {
                int c = v[i];
                boolean followedByWhitespace = i + 1 >= v.length || v[i + 1] == ' ' || v[i + 1] == '\t';
                if (i == 0) {
                    if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
                        blockIndicators = true;
                    } else if ((c == '?' || c == ':' || c == '-') && followedByWhitespace) {
                        blockIndicators = true;
                    }
                } else if ((c == ':' && followedByWhitespace) || (c == '#' && precededByWhitespace)) {
                    blockIndicators = true;
                }
                if (!isPrintable(c)) {
                    special = true;
                }
                if (c == ' ') {
                    leadingSpace |= i == 0;
                    trailingSpace |= i == v.length - 1;
                    breakSpace |= previousBreak;
                    previousSpace = true;
                    previousBreak = false;
                } else if (isBreak(c)) {
                    lineBreaks = true;
                    leadingBreak |= i == 0;
                    trailingBreak |= i == v.length - 1;
                    spaceBreak |= previousSpace;
                    previousSpace = false;
                    previousBreak = true;
                } else {
                    previousSpace = false;
                    previousBreak = false;
                }
                precededByWhitespace = c == ' ' || c == '\t' || isBreak(c) || c == 0;
            }
            boolean plain = !(leadingSpace
                    || leadingBreak
                    || trailingSpace
                    || trailingBreak
                    || breakSpace
                    || spaceBreak
                    || special
                    || lineBreaks
                    || blockIndicators);
            boolean single = !(breakSpace || spaceBreak || special);
            boolean block = !(trailingSpace || spaceBreak || special);
            return new Scalar(lineBreaks, plain, single, block);
        }

        /** The Go emitter's {@code yaml_emitter_select_scalar_style}, outside flow collections. */
        Style select(Style requested, boolean simpleKey) {
            Style style = requested;
            if (simpleKey && multiline) {
                style = Style.DOUBLE_QUOTED;
            }
            if (style == Style.PLAIN && !blockPlainAllowed) {
                style = Style.SINGLE_QUOTED;
            }
            if (style == Style.SINGLE_QUOTED && !singleQuotedAllowed) {
                style = Style.DOUBLE_QUOTED;
            }
            if (style == Style.LITERAL && (!blockAllowed || simpleKey)) {
                style = Style.DOUBLE_QUOTED;
            }
            return style;
        }

        static boolean isBreak(int c) {
            return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
        }

        /** libyaml's printable set, which leaves out tab, carriage return and characters past U+FFFF. */
        static boolean isPrintable(int c) {
            return c == 0x0A
                    || (c >= 0x20 && c <= 0x7E)
                    || (c >= 0xA0 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
        }
    }
}
