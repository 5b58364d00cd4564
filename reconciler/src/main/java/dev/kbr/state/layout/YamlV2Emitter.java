package dev.kbr.state.layout;

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
            scalar(YamlV2Scalars.number(node), YamlV2ScalarAnalysis.Style.PLAIN, simpleKey);
        } else if (node.isBoolean()) {
            scalar(node.booleanValue() ? "true" : "false", YamlV2ScalarAnalysis.Style.PLAIN, simpleKey);
        } else if (node.isNull() || node.isMissingNode()) {
            scalar("null", YamlV2ScalarAnalysis.Style.PLAIN, simpleKey);
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
            boolean simple = !YamlV2ScalarAnalysis.of(key).multiline()
                    && key.getBytes(StandardCharsets.UTF_8).length <= MAX_SIMPLE_KEY_BYTES;
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
        YamlV2ScalarAnalysis.Style requested;
        if (s.indexOf('\n') >= 0) {
            requested = YamlV2ScalarAnalysis.Style.LITERAL;
        } else if (YamlV2Scalars.plainResolvesToString(s)) {
            requested = YamlV2ScalarAnalysis.Style.PLAIN;
        } else {
            requested = YamlV2ScalarAnalysis.Style.DOUBLE_QUOTED;
        }
        scalar(s, requested, simpleKey);
    }

    private void scalar(String value, YamlV2ScalarAnalysis.Style requested, boolean simpleKey) {
        YamlV2ScalarAnalysis analysis = YamlV2ScalarAnalysis.of(value);
        YamlV2ScalarAnalysis.Style style = analysis.select(requested, simpleKey);
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
            } else if (YamlV2ScalarAnalysis.isBreak(v[i])) {
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
            } else if (YamlV2ScalarAnalysis.isBreak(v[i])) {
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
            if (!YamlV2ScalarAnalysis.isPrintable(c)
                    || startsWithBom
                    || YamlV2ScalarAnalysis.isBreak(c)
                    || c == '"'
                    || c == '\\') {
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
        if (v.length > 0 && (v[0] == ' ' || YamlV2ScalarAnalysis.isBreak(v[0]))) {
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
            if (YamlV2ScalarAnalysis.isBreak(c)) {
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
        if (v.length == 0 || !YamlV2ScalarAnalysis.isBreak(v[v.length - 1])) {
            return "-";
        }
        if (v.length == 1 || YamlV2ScalarAnalysis.isBreak(v[v.length - 2])) {
            return "+";
        }
        return "";
    }

    private static boolean isSpace(int[] v, int i) {
        return i < v.length && v[i] == ' ';
    }
}
