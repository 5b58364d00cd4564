package dev.kbr.state.layout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code .kratix/<namespace>-<workPlacement>.yaml} file Kratix writes for every WorkPlacement
 * on a {@code filepath.mode: none} Destination, listing the paths it wrote so the next write can
 * delete those it no longer produces.
 *
 * <p>Kratix marshals {@code StateFile{Files []string}} with {@code gopkg.in/yaml.v2} ({@code
 * internal/controller/workplacement_controller.go}). yaml.v2 ignores the struct's {@code json}
 * tag and lower-cases the field name, writes a block sequence without indentation under the key,
 * an empty list as {@code []}, and each path as a plain scalar unless that would read back as
 * something other than a string (then double-quoted) or is not allowed plain (then
 * single-quoted). This class reproduces those bytes for the paths a pipeline can produce; a path
 * with a line break is written double-quoted, where yaml.v2 would use a literal block.
 */
public final class KratixStateFile {
    private static final Set<String> NON_STRINGS = Set.of(
            "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True",
            "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".nan", ".NaN", ".NAN", ".inf",
            ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<");
    private static final Pattern INT = Pattern.compile("[-+]?(0[bB][01]+|0[oO]?[0-7]*|0[xX][0-9a-fA-F]+|[1-9][0-9]*)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern BASE60 = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    private static final Pattern TIMESTAMP =
            Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}.*)?");

    private KratixStateFile() {}

    /**
     * The file's bytes.
     *
     * @param files the paths written, in Work order, each as Kratix joins it: {@code
     *     <destination path>/<filepath>}
     */
    public static byte[] write(List<String> files) {
        if (files.isEmpty()) {
            return "files: []\n".getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder yaml = new StringBuilder("files:\n");
        for (String file : files) {
            yaml.append("- ").append(scalar(file)).append('\n');
        }
        return yaml.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String scalar(String s) {
        if (s.indexOf('\n') >= 0 || hasSpecialCharacters(s) || !readsAsString(s)) {
            return doubleQuoted(s);
        }
        return plainAllowed(s) ? s : "'" + s.replace("'", "''") + "'";
    }

    /** yaml.v2 {@code resolve}: would this plain scalar decode as a string? */
    private static boolean readsAsString(String s) {
        if (NON_STRINGS.contains(s)) {
            return false;
        }
        char first = s.charAt(0);
        if ((first >= '0' && first <= '9') || first == '+' || first == '-' || first == '.') {
            String plain = s.replace("_", "");
            return !(INT.matcher(plain).matches()
                    || FLOAT.matcher(plain).matches()
                    || BASE60.matcher(s).matches()
                    || TIMESTAMP.matcher(s).matches());
        }
        return true;
    }

    /** libyaml's scalar analysis for a block-context plain scalar. */
    private static boolean plainAllowed(String s) {
        if (s.startsWith("---") || s.startsWith("...")) {
            return false;
        }
        if (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean followedBySpace = i + 1 >= s.length() || s.charAt(i + 1) == ' ';
            boolean precededBySpace = i > 0 && s.charAt(i - 1) == ' ';
            if (i == 0) {
                if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
                    return false;
                }
                if ((c == '?' || c == ':' || c == '-') && followedBySpace) {
                    return false;
                }
            } else if ((c == ':' && followedBySpace) || (c == '#' && precededBySpace)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasSpecialCharacters(String s) {
        return s.codePoints().anyMatch(c -> c != '\n' && (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)));
    }

    private static String doubleQuoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                        out.append(String.format("\\x%02X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
