package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.YamlPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What the Kubernetes API server does to a custom object before it validates it, by the CRD's
 * structural schema ({@code k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning} and
 * {@code .../schema/defaulting}): unknown fields are dropped (unless the schema keeps them),
 * {@code null} is dropped where the field is not nullable and has no default, and defaults fill
 * missing fields. {@code apiVersion}, {@code kind} and {@code metadata} stay at the root and in
 * embedded resources, and {@code status} at the root.
 */
final class StructuralPruning {
    private static final Set<String> ROOT_KEPT = Set.of("apiVersion", "kind", "metadata", "status");
    private static final Set<String> EMBEDDED_KEPT = Set.of("apiVersion", "kind", "metadata");

    private StructuralPruning() {}

    /**
     * Prunes, drops nulls and defaults {@code object} in place.
     *
     * @param object the request's object, changed in place
     * @param schema its Promise's structural schema
     * @param warning told each dropped unknown field: its YAML path and what to do
     */
    static void apply(ObjectNode object, StructuralSchema schema, BiConsumer<String, String> warning) {
        prune(object, schema, "", true, warning);
        pruneNulls(object, schema, true);
        applyDefaults(object, schema, true);
    }

    private static void prune(
            JsonNode node, StructuralSchema schema, String path, boolean root, BiConsumer<String, String> warning) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (String key : fieldNames(object)) {
                if ((root && ROOT_KEPT.contains(key)) || (schema.embeddedResource() && EMBEDDED_KEPT.contains(key))) {
                    continue;
                }
                String field = YamlPath.child(path, key);
                Optional<StructuralSchema> fieldSchema = schema.field(key);
                if (fieldSchema.isPresent()) {
                    prune(object.get(key), fieldSchema.get(), field, false, warning);
                } else if (!schema.keepsUnknownFields()) {
                    object.remove(key);
                    warning.accept(
                            field,
                            "unknown field " + field + " was dropped, as the Kubernetes API server would;"
                                    + " remove it or add it to the Promise API");
                }
            }
        } else if (node.isArray() && schema.items().isPresent()) {
            for (int i = 0; i < node.size(); i++) {
                prune(node.get(i), schema.items().get(), YamlPath.index(path, i), false, warning);
            }
        }
    }

    private static void pruneNulls(JsonNode node, StructuralSchema schema, boolean root) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (String key : fieldNames(object)) {
                if (root && ROOT_KEPT.contains(key)) {
                    continue;
                }
                Optional<StructuralSchema> fieldSchema = schema.field(key);
                if (fieldSchema.isEmpty()) {
                    continue;
                }
                JsonNode value = object.get(key);
                StructuralSchema s = fieldSchema.get();
                if (value.isNull() && !s.nullable() && s.defaultValue().isEmpty()) {
                    object.remove(key);
                } else {
                    pruneNulls(value, s, false);
                }
            }
        } else if (node.isArray() && schema.items().isPresent()) {
            for (JsonNode item : node) {
                pruneNulls(item, schema.items().get(), false);
            }
        }
    }

    private static void applyDefaults(JsonNode node, StructuralSchema schema, boolean root) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            schema.properties().forEach((name, property) -> {
                JsonNode value = object.get(name);
                if (property.defaultValue().isPresent() && (value == null || isNonNullableNull(value, property))) {
                    object.set(name, property.defaultValue().get().deepCopy());
                }
            });
            for (String key : fieldNames(object)) {
                if (root && ROOT_KEPT.contains(key)) {
                    continue;
                }
                StructuralSchema property = schema.properties().get(key);
                if (property != null) {
                    applyDefaults(object.get(key), property, false);
                } else if (schema.additionalProperties().isPresent()) {
                    StructuralSchema values = schema.additionalProperties().get();
                    if (isNonNullableNull(object.get(key), values)
                            && values.defaultValue().isPresent()) {
                        object.set(key, values.defaultValue().get().deepCopy());
                    }
                    applyDefaults(object.get(key), values, false);
                }
            }
        } else if (node.isArray() && schema.items().isPresent()) {
            ArrayNode list = (ArrayNode) node;
            StructuralSchema items = schema.items().get();
            for (int i = 0; i < list.size(); i++) {
                if (isNonNullableNull(list.get(i), items)
                        && items.defaultValue().isPresent()) {
                    list.set(i, items.defaultValue().get().deepCopy());
                }
                applyDefaults(list.get(i), items, false);
            }
        }
    }

    private static boolean isNonNullableNull(JsonNode value, StructuralSchema schema) {
        return value.isNull() && !schema.nullable();
    }

    private static List<String> fieldNames(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }
}
