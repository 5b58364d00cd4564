package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.YamlPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How CEL rules name the fields of a request: property names escaped as the API server escapes
 * them, and a rule's {@code fieldPath} read and checked against the schema.
 */
final class CelNames {
    private static final Pattern ESCAPABLE = Pattern.compile("[a-zA-Z_./-][a-zA-Z0-9_./-]*");
    private static final Set<String> RESERVED = Set.of(
            "true",
            "false",
            "null",
            "in",
            "as",
            "break",
            "const",
            "continue",
            "else",
            "for",
            "function",
            "if",
            "import",
            "let",
            "loop",
            "package",
            "namespace",
            "return",
            "var",
            "void",
            "while");

    private CelNames() {}

    /**
     * The CEL name of property {@code name}, escaped as the API server does ({@code
     * k8s.io/apiserver/pkg/cel/escaping.go}); empty when the name cannot be escaped, and so is
     * not visible to rules.
     */
    static Optional<String> escape(String name) {
        if (RESERVED.contains(name)) {
            return Optional.of("__" + name + "__");
        }
        if (!ESCAPABLE.matcher(name).matches()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' && i + 1 < name.length() && name.charAt(i + 1) == '_') {
                out.append("__underscores__");
                i++;
            } else if (c == '.') {
                out.append("__dot__");
            } else if (c == '-') {
                out.append("__dash__");
            } else if (c == '/') {
                out.append("__slash__");
            } else {
                out.append(c);
            }
        }
        return Optional.of(out.toString());
    }

    /**
     * A rule's {@code fieldPath} as YAML path segments, checked against the schema as the API
     * server's {@code ValidFieldPath} does: {@code .name} and {@code ['name']} steps, each naming a
     * property, or a key of a map.
     *
     * @throws IllegalArgumentException when it is malformed or names no field of {@code schema}
     */
    static List<String> fieldPath(String jsonPath, JsonNode schema) {
        List<String> segments = new ArrayList<>();
        JsonNode node = schema;
        int i = 0;
        while (i < jsonPath.length()) {
            char c = jsonPath.charAt(i);
            String name;
            if (c == '.') {
                int end = i + 1;
                while (end < jsonPath.length() && jsonPath.charAt(end) != '.' && jsonPath.charAt(end) != '[') {
                    end++;
                }
                name = jsonPath.substring(i + 1, end);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("has an empty step at character " + (i + 1));
                }
                i = end;
            } else if (c == '[') {
                int close = quotedEnd(jsonPath, i + 1);
                name = unescape(jsonPath.substring(i + 2, close - 1));
                if (close >= jsonPath.length() || jsonPath.charAt(close) != ']') {
                    throw new IllegalArgumentException("misses the ] after ['" + name + "'");
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("must start each step with . or [ (at character " + (i + 1) + ")");
            }
            if (node.path("properties").isObject()) {
                if (!node.path("properties").has(name)) {
                    throw new IllegalArgumentException(
                            "names " + YamlPath.quote(name) + ", which the schema does not define");
                }
                node = node.path("properties").path(name);
            } else if (node.path("additionalProperties").isObject()) {
                node = node.path("additionalProperties");
            } else {
                throw new IllegalArgumentException(
                        "steps into " + YamlPath.quote(name) + " below a value that has no fields");
            }
            segments.add(name);
        }
        return List.copyOf(segments);
    }

    /** The index just past the single-quoted string that starts at {@code start}. */
    private static int quotedEnd(String path, int start) {
        if (start >= path.length() || path.charAt(start) != '\'') {
            throw new IllegalArgumentException("must quote a name in brackets with single quotes, as ['name']");
        }
        for (int i = start + 1; i < path.length(); i++) {
            if (path.charAt(i) == '\\') {
                i++;
            } else if (path.charAt(i) == '\'') {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("has an unterminated quoted name");
    }

    private static String unescape(String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c != '\\' || i + 1 == quoted.length()) {
                out.append(c);
                continue;
            }
            char next = quoted.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '\'', '\\' -> out.append(next);
                default -> throw new IllegalArgumentException("has an unknown escape \\" + next);
            }
        }
        return out.toString();
    }
}
