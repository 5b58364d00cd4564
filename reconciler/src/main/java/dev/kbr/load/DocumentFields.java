package dev.kbr.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the fields of one YAML document, adding a diagnostic at the field's line for every field
 * that is missing or of the wrong shape. The mappers of each kind of document build on it.
 */
abstract class DocumentFields {
    final YamlDocument doc;
    final List<Diagnostic> diagnostics;

    DocumentFields(YamlDocument doc, List<Diagnostic> diagnostics) {
        this.doc = doc;
        this.diagnostics = diagnostics;
    }

    /** {@code "."}, {@code "/"} and surrounding slashes all mean the same folder. */
    static String cleanPath(String path) {
        String p = path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(".") ? "" : p;
    }

    // --- field access -------------------------------------------------------------------

    JsonNode node(String path) {
        JsonNode current = doc.body();
        for (String segment : path.split("\\.")) {
            int bracket = segment.indexOf('[');
            String key = bracket < 0 ? segment : segment.substring(0, bracket);
            current = current.path(key);
            while (bracket >= 0) {
                int close = segment.indexOf(']', bracket);
                current = current.path(Integer.parseInt(segment.substring(bracket + 1, close)));
                bracket = segment.indexOf('[', close);
            }
        }
        return current;
    }

    JsonNode objectAt(String path) {
        return node(path);
    }

    String requiredText(String path, String hint) {
        JsonNode value = node(path);
        if (value.isMissingNode()
                || value.isNull()
                || (value.isTextual() && value.asText().isEmpty())) {
            error(path, "is required but missing; " + hint);
            return null;
        }
        if (!value.isTextual()) {
            // Kubernetes decodes these fields strictly: a number, boolean, list or map is refused.
            error(path, "must be a string, not " + typeName(value) + (value.isValueNode() ? " (quote it)" : ""));
            return null;
        }
        return value.asText();
    }

    /** An error unless the field is missing, null or a map. */
    void expectMap(String path) {
        JsonNode value = node(path);
        if (!value.isMissingNode() && !value.isNull() && !value.isObject()) {
            error(path, "must be a map, not " + typeName(value));
        }
    }

    /** An optional string field: {@code fallback} when missing or null, an error when not a string. */
    String optionalText(String path, String fallback) {
        JsonNode value = node(path);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            error(path, "must be a string, not " + typeName(value) + (value.isValueNode() ? " (quote it)" : ""));
            return fallback;
        }
        return value.asText();
    }

    /** An optional boolean field: {@code fallback} when missing or null, an error when not true or false. */
    boolean optionalBoolean(String path, boolean fallback) {
        JsonNode value = node(path);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            error(path, "must be true or false, not " + typeName(value));
            return fallback;
        }
        return value.asBoolean();
    }

    /**
     * A folder inside a state store ({@code spec.path}): relative, without {@code ..}, {@code .}
     * or empty segments inside it, so one Destination's folder can never reach into another's.
     */
    String folder(String path, String value) {
        if (value == null) {
            return null;
        }
        String clean = cleanPath(value);
        if (clean.isEmpty()) {
            return clean;
        }
        for (String segment : clean.split("/", -1)) {
            if (segment.isEmpty()
                    || segment.equals(".")
                    || segment.equals("..")
                    || segment.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
                error(
                        path,
                        "\"" + value + "\" is not a plain relative folder (no \"..\", \".\", \"//\", backslashes"
                                + " or control characters inside it); write it as a/b/c");
                return null;
            }
        }
        return clean;
    }

    static String typeName(JsonNode value) {
        if (value.isObject()) {
            return "a map";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isNumber()) {
            return "a number";
        }
        return "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    Map<String, String> stringMap(String path) {
        Map<String, String> result = new TreeMap<>();
        JsonNode map = node(path);
        if (map.isMissingNode() || map.isNull()) {
            return result;
        }
        if (!map.isObject()) {
            error(path, "must be a map of strings");
            return result;
        }
        map.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                result.put(e.getKey(), e.getValue().asText());
            } else {
                // Labels are map[string]string in Kubernetes: 5 or true must be quoted.
                error(
                        path + "." + e.getKey(),
                        "must be a string, not " + typeName(e.getValue())
                                + (e.getValue().isValueNode() ? " (quote it)" : ""));
            }
        });
        return result;
    }

    List<String> stringList(String path) {
        List<String> result = new ArrayList<>();
        JsonNode list = node(path);
        if (list.isMissingNode() || list.isNull()) {
            return result;
        }
        if (!list.isArray()) {
            error(path, "must be a list of strings");
            return result;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isValueNode() && !list.get(i).isNull()) {
                result.add(list.get(i).asText());
            } else {
                error(path + "[" + i + "]", "must be a string");
            }
        }
        return result;
    }

    void error(String path, String message) {
        diagnostics.add(Diagnostic.error(doc.at(path), path, message));
    }

    int errorCount() {
        return (int) diagnostics.stream().filter(Diagnostic::isError).count();
    }
}
