package dev.kbr.state.layout;

/**
 * What yaml.v2's emitter finds out about a string before writing it ({@code
 * yaml_emitter_analyze_scalar} in {@code emitterc.go}) and the style it then settles on: plain
 * only without indicators, surrounding spaces or line breaks; single quotes only without spaces
 * next to line breaks or unprintable characters; a literal block only without trailing spaces,
 * spaces before a line break or unprintable characters; double quotes otherwise.
 */
record YamlV2ScalarAnalysis(
        boolean multiline, boolean blockPlainAllowed, boolean singleQuotedAllowed, boolean blockAllowed) {

    /** The scalar styles yaml.v2 asks for or its emitter falls back to. */
    enum Style {
        PLAIN,
        SINGLE_QUOTED,
        DOUBLE_QUOTED,
        LITERAL
    }

    static YamlV2ScalarAnalysis of(String value) {
        int[] v = value.codePoints().toArray();
        if (v.length == 0) {
            return new YamlV2ScalarAnalysis(false, true, true, false);
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
        return new YamlV2ScalarAnalysis(lineBreaks, plain, single, block);
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
