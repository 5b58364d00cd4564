package dev.kbr.model;

import java.util.regex.Pattern;

/**
 * Builds the YAML paths that diagnostics and {@link dev.kbr.model.LineMap} use: {@code
 * spec.size}, {@code spec.items[0].name}. A key that is not a plain word (it holds a dot, a slash,
 * a space, ...) is written in brackets and quotes, {@code metadata.labels["kratix.io/name"]}, so
 * the path stays unambiguous.
 */
public final class YamlPath {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_$-]+");

    private YamlPath() {}

    /** The path of field {@code key} of the object at {@code parent} (empty for the root). */
    public static String child(String parent, String key) {
        if (!PLAIN_KEY.matcher(key).matches()) {
            return parent + "[" + quote(key) + "]";
        }
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** The path of item {@code index} of the list at {@code parent}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** {@code text} in double quotes, with quotes, backslashes and control characters escaped. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
