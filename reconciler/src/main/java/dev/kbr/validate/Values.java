package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.YamlPath;
import java.util.ArrayList;
import java.util.List;

/** How diagnostics show YAML values and JSON types to the person who wrote them. */
final class Values {
    /** Longer strings are cut, so a diagnostic stays one readable line. */
    private static final int MAX_SHOWN = 80;

    private Values() {}

    /** A value as it could be written back in YAML: {@code "medium"}, {@code 3}, {@code true}, or its kind. */
    static String describe(JsonNode value) {
        if (value.isTextual()) {
            String text = value.asText();
            int cut = text.offsetByCodePoints(0, Math.min(text.codePointCount(0, text.length()), MAX_SHOWN));
            return YamlPath.quote(text.substring(0, cut)) + (cut < text.length() ? "…" : "");
        }
        if (value.isNumber() || value.isBoolean() || value.isNull()) {
            return value.asText();
        }
        return kind(value);
    }

    /** The JSON kind of a value, with its article: {@code a string}, {@code an integer}, {@code a list}. */
    static String kind(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isIntegralNumber()) {
            return "an integer";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isNull()) {
            return "null";
        }
        if (value.isArray()) {
            return "a list";
        }
        return "an object (a map of fields)";
    }

    /** A JSON Schema type name with its article, as in "must be an integer". */
    static String typeNoun(String type) {
        return switch (type) {
            case "integer" -> "an integer";
            case "number" -> "a number";
            case "string" -> "a string";
            case "boolean" -> "a boolean (true or false)";
            case "object" -> "an object (a map of fields)";
            case "array" -> "a list";
            case "null" -> "null";
            default -> type;
        };
    }

    /** {@code a, b or c}. */
    static String either(List<String> words) {
        if (words.size() <= 1) {
            return String.join("", words);
        }
        List<String> head = new ArrayList<>(words.subList(0, words.size() - 1));
        return String.join(", ", head) + " or " + words.get(words.size() - 1);
    }

    /** An enum's values the way authors write them: {@code [small, large]}. */
    static String list(JsonNode values) {
        List<String> shown = new ArrayList<>();
        for (JsonNode v : values) {
            shown.add(v.isTextual() ? v.asText() : v.toString());
        }
        return "[" + String.join(", ", shown) + "]";
    }
}
