package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A request's values as CEL rules see them, typed by the schema where JSON is ambiguous. */
final class CelValues {
    private CelValues() {}

    /**
     * {@code value} as CEL sees it: maps, lists, {@code Long}, {@code Double}, {@code String},
     * {@code Boolean} and {@code NullValue}, typed by {@code schema} where JSON is ambiguous.
     */
    static Object toCel(JsonNode value, JsonNode schema, boolean resourceRoot, boolean requestRoot) {
        if (value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            boolean number = "number".equals(schema.path("type").asText());
            if (!number && value.isIntegralNumber() && value.canConvertToLong()) {
                return value.longValue();
            }
            return value.doubleValue();
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                list.add(toCel(item, schema.path("items"), false, false));
            }
            return list;
        }
        if (!value.isObject()) {
            return value.asText();
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String key = field.getKey();
            if (requestRoot && key.equals("status")) {
                continue;
            }
            if (resourceRoot && key.equals("metadata")) {
                map.put(key, metadata(field.getValue()));
                continue;
            }
            if (properties.has(key)) {
                Optional<String> escaped = CelNames.escape(key);
                if (escaped.isPresent()) {
                    map.put(
                            escaped.get(),
                            toCel(field.getValue(), properties.path(key), embedded(properties.path(key)), false));
                }
            } else {
                JsonNode valueSchema = additional.isObject() ? additional : MissingNode.getInstance();
                map.put(key, toCel(field.getValue(), valueSchema, embedded(valueSchema), false));
            }
        }
        return map;
    }

    private static boolean embedded(JsonNode schema) {
        return schema.path("x-kubernetes-embedded-resource").booleanValue();
    }

    /** The part of {@code metadata} rules may see at a resource root: name and generateName. */
    private static Map<String, Object> metadata(JsonNode metadata) {
        Map<String, Object> visible = new LinkedHashMap<>();
        for (String key : List.of("name", "generateName")) {
            JsonNode v = metadata.path(key);
            if (v.isTextual()) {
                visible.put(key, v.textValue());
            }
        }
        return visible;
    }
}
