package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The structural part of one schema node, which is all that pruning and defaulting look at (as
 * in {@code apiextensions-apiserver/pkg/apiserver/schema/structural.go}): the named properties,
 * the item and map-value schemas, whether unknown fields are kept, nullability and the default.
 * Value validations ({@code allOf}, {@code anyOf}, ...) never take part, as in Kubernetes.
 *
 * @param properties schemas of the named fields, in schema order
 * @param items schema of list items
 * @param additionalProperties schema of the values of a map
 * @param keepsUnknownFields {@code x-kubernetes-preserve-unknown-fields: true} or {@code
 *     additionalProperties: true}: fields not named here are kept, unchecked
 * @param embeddedResource {@code x-kubernetes-embedded-resource: true}: {@code apiVersion}, {@code
 *     kind} and {@code metadata} are kept
 * @param nullable {@code nullable: true}
 * @param defaultValue the {@code default}; never a JSON null (Kubernetes treats that as none); do
 *     not mutate
 */
record StructuralSchema(
        Map<String, StructuralSchema> properties,
        Optional<StructuralSchema> items,
        Optional<StructuralSchema> additionalProperties,
        boolean keepsUnknownFields,
        boolean embeddedResource,
        boolean nullable,
        Optional<JsonNode> defaultValue) {
    StructuralSchema {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * The structural part of {@code schema}. Lenient: whatever is malformed is treated as absent
     * ({@link ApiSchema} reports it).
     *
     * @param root whether this is the {@code openAPIV3Schema} itself, whose {@code metadata} and
     *     {@code status} properties are left to the caller
     */
    static StructuralSchema of(JsonNode schema, boolean root) {
        Map<String, StructuralSchema> properties = new LinkedHashMap<>();
        JsonNode props = schema.path("properties");
        if (props.isObject()) {
            for (Map.Entry<String, JsonNode> e : props.properties()) {
                if (root && ApiSchema.ROOT_SKIPPED.contains(e.getKey())) {
                    continue;
                }
                if (e.getValue().isObject()) {
                    properties.put(e.getKey(), of(e.getValue(), false));
                }
            }
        }
        JsonNode items = schema.path("items");
        JsonNode additional = schema.path("additionalProperties");
        JsonNode defaultValue = schema.path("default");
        return new StructuralSchema(
                properties,
                items.isObject() ? Optional.of(of(items, false)) : Optional.empty(),
                additional.isObject() ? Optional.of(of(additional, false)) : Optional.empty(),
                schema.path("x-kubernetes-preserve-unknown-fields").booleanValue()
                        || (additional.isBoolean() && additional.booleanValue()),
                schema.path("x-kubernetes-embedded-resource").booleanValue(),
                schema.path("nullable").booleanValue(),
                defaultValue.isMissingNode() || defaultValue.isNull() ? Optional.empty() : Optional.of(defaultValue));
    }

    /** The schema of field {@code name} of an object described here: a property, else the map values. */
    Optional<StructuralSchema> field(String name) {
        StructuralSchema property = properties.get(name);
        return property != null ? Optional.of(property) : additionalProperties;
    }
}
