package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Severity;
import dev.kbr.model.YamlPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A Promise API's {@code openAPIV3Schema}, prepared once and shared by every request of that API.
 *
 * <p>It holds four things: the {@link StructuralSchema} that pruning and defaulting walk; a
 * cleaned copy of the schema for the JSON Schema library, holding only the OpenAPI v3 keywords
 * Kubernetes validates with (translated to draft 4: {@code nullable} becomes a {@code "null"}
 * type and enum value, {@code x-kubernetes-int-or-string} the types integer and string); the
 * compiled {@code x-kubernetes-validations} rules ({@link CelRules}); and the problems found in
 * the schema itself. Keywords that Kubernetes does not know (such as {@code regex:}) or does not
 * check ({@code format}, {@code example}, other {@code x-kubernetes-*}) never reach a library and
 * are never compiled. The root's {@code metadata} and {@code status} are left out:
 * status is a subresource and metadata is checked by {@link RequestValidator} itself.
 */
final class ApiSchema {
    /** Root properties that schema validation leaves alone. */
    static final Set<String> ROOT_SKIPPED = Set.of("metadata", "status");

    /** The field names of {@code JSONSchemaProps} ({@code apiextensions/v1/types_jsonschema.go}). */
    private static final Set<String> KUBERNETES_KEYWORDS = Set.of(
            "id",
            "$schema",
            "$ref",
            "description",
            "type",
            "format",
            "title",
            "default",
            "maximum",
            "exclusiveMaximum",
            "minimum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "pattern",
            "maxItems",
            "minItems",
            "uniqueItems",
            "multipleOf",
            "enum",
            "maxProperties",
            "minProperties",
            "required",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "not",
            "properties",
            "additionalProperties",
            "patternProperties",
            "dependencies",
            "additionalItems",
            "definitions",
            "externalDocs",
            "example",
            "nullable",
            "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-embedded-resource",
            "x-kubernetes-int-or-string",
            "x-kubernetes-list-map-keys",
            "x-kubernetes-list-type",
            "x-kubernetes-map-type",
            "x-kubernetes-validations");

    private static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean");
    private static final List<String> NUMBER_KEYWORDS = List.of("minimum", "maximum", "multipleOf");
    private static final List<String> BOOLEAN_KEYWORDS = List.of("exclusiveMinimum", "exclusiveMaximum");

    /** Keywords the API server forbids in CRD schemas ({@code apiextensions/validation/validation.go}). */
    private static final List<String> FORBIDDEN_KEYWORDS =
            List.of("id", "$ref", "definitions", "patternProperties", "dependencies", "additionalItems");

    private static final List<String> COUNT_KEYWORDS =
            List.of("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties");
    private static final List<String> COMBINATORS = List.of("allOf", "anyOf", "oneOf");

    /**
     * A problem of the schema itself.
     *
     * @param severity {@code ERROR} when Kubernetes would reject the CRD or kbr cannot use a rule;
     *     {@code WARNING} when a keyword is silently ignored
     * @param path where, relative to {@code openAPIV3Schema}, e.g. {@code
     *     properties.spec.properties.name.pattern}
     * @param message what is wrong, starting with the offending keyword or value
     */
    record Problem(Severity severity, String path, String message) {}

    private final StructuralSchema structural;
    private final ObjectNode validationSchema;
    private final List<Problem> problems = new ArrayList<>();
    private final CelRules celRules;

    private ApiSchema(JsonNode openApiV3Schema) {
        this.structural = StructuralSchema.of(openApiV3Schema, true);
        this.validationSchema = clean(openApiV3Schema, "", Level.ROOT);
        this.celRules = CelRules.compile(openApiV3Schema, problems);
    }

    /** Prepares {@code openApiV3Schema}; never throws for a malformed schema (see {@link #problems()}). */
    static ApiSchema of(JsonNode openApiV3Schema) {
        return new ApiSchema(openApiV3Schema);
    }

    StructuralSchema structural() {
        return structural;
    }

    /** The cleaned draft-4 schema for the JSON Schema library; do not mutate. */
    ObjectNode validationSchema() {
        return validationSchema;
    }

    /** The schema's compiled {@code x-kubernetes-validations} rules. */
    CelRules celRules() {
        return celRules;
    }

    /** Problems found in the schema, in schema order (CEL rule problems last). */
    List<Problem> problems() {
        return List.copyOf(problems);
    }

    /**
     * Where a schema node sits, for the structural-schema rules ({@code
     * apiextensions-apiserver/pkg/apiserver/schema/validation.go}, {@code
     * validateStructuralInvariants}): the root, a field (property or map value) or list items must
     * each name a type; nodes inside allOf, anyOf, oneOf and not are value validations, which need
     * none.
     */
    private enum Level {
        ROOT("at the root"),
        FIELD("for every field"),
        ITEM("for list items"),
        VALUE_VALIDATION("");

        final String where;

        Level(String where) {
            this.where = where;
        }

        Level below(Level child) {
            return this == VALUE_VALIDATION ? VALUE_VALIDATION : child;
        }
    }

    private ObjectNode clean(JsonNode schema, String path, Level level) {
        boolean root = level == Level.ROOT;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (!schema.isObject()) {
            error(path, "must be a schema (a map of keywords) but is " + Values.describe(schema));
            return out;
        }
        checkStructuralType(schema, path, level);
        for (String keyword : fieldNames(schema)) {
            if (!KUBERNETES_KEYWORDS.contains(keyword)) {
                String hint = keyword.startsWith("regex")
                        ? "; to restrict the value, use pattern (an RE2 regular expression)"
                        : "; remove it";
                problems.add(new Problem(
                        Severity.WARNING,
                        YamlPath.child(path, keyword),
                        YamlPath.quote(keyword) + " is not a keyword of Kubernetes schemas: the API server"
                                + " drops it, so it checks nothing" + hint));
            }
        }
        for (String keyword : FORBIDDEN_KEYWORDS) {
            if (schema.has(keyword)) {
                error(
                        YamlPath.child(path, keyword),
                        YamlPath.quote(keyword) + " is not supported in CustomResourceDefinition schemas");
            }
        }
        JsonNode unique = schema.get("uniqueItems");
        if (unique != null && !(unique.isBoolean() && !unique.booleanValue())) {
            error(
                    YamlPath.child(path, "uniqueItems"),
                    "uniqueItems may only be false in CustomResourceDefinition"
                            + " schemas (Kubernetes forbids true, as checking it takes quadratic time)");
        }
        boolean nullable = schema.path("nullable").booleanValue();
        cleanType(schema, path, nullable, out);
        cleanEnum(schema, path, nullable, out);
        cleanPattern(schema, path, out);
        for (String keyword : NUMBER_KEYWORDS) {
            copyIf(schema, path, keyword, JsonNode::isNumber, "a number", out);
        }
        for (String keyword : BOOLEAN_KEYWORDS) {
            copyIf(schema, path, keyword, JsonNode::isBoolean, "true or false", out);
        }
        for (String keyword : COUNT_KEYWORDS) {
            copyIf(
                    schema,
                    path,
                    keyword,
                    n -> n.canConvertToInt() && n.isIntegralNumber() && n.intValue() >= 0,
                    "a whole number, 0 or more",
                    out);
        }
        cleanRequired(schema, path, root, out);
        cleanProperties(schema, path, level, out);
        JsonNode items = schema.get("items");
        if (items != null) {
            if (items.isObject()) {
                out.set("items", clean(items, YamlPath.child(path, "items"), level.below(Level.ITEM)));
            } else {
                error(
                        YamlPath.child(path, "items"),
                        "must be one schema (Kubernetes allows no tuple of schemas)" + " but is "
                                + Values.describe(items));
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null) {
            // A boolean is left to pruning: Kubernetes prunes what a schema does not allow, it
            // does not reject it.
            if (schema.has("properties") && !(additional.isBoolean() && additional.booleanValue())) {
                error(
                        YamlPath.child(path, "additionalProperties"),
                        "cannot be used together with properties in"
                                + " CustomResourceDefinition schemas (properties describe an object's known fields,"
                                + " additionalProperties the values of a map)");
            }
            if (additional.isObject()) {
                out.set(
                        "additionalProperties",
                        clean(additional, YamlPath.child(path, "additionalProperties"), level.below(Level.FIELD)));
            } else if (!additional.isBoolean()) {
                error(
                        YamlPath.child(path, "additionalProperties"),
                        "must be a schema or a boolean but is " + Values.describe(additional));
            }
        }
        for (String combinator : COMBINATORS) {
            cleanCombinator(schema, path, combinator, out);
        }
        JsonNode not = schema.get("not");
        if (not != null) {
            out.set("not", clean(not, YamlPath.child(path, "not"), Level.VALUE_VALIDATION));
        }
        return out;
    }

    private void checkStructuralType(JsonNode schema, String path, Level level) {
        if (level == Level.VALUE_VALIDATION
                || schema.path("x-kubernetes-int-or-string").booleanValue()
                || schema.path("x-kubernetes-preserve-unknown-fields").booleanValue()) {
            return;
        }
        JsonNode type = schema.path("type");
        if (type.isMissingNode()
                || type.isNull()
                || (type.isTextual() && type.asText().isEmpty())) {
            error(
                    YamlPath.child(path, "type"),
                    "is required " + level.where + " of a CustomResourceDefinition schema (Kubernetes accepts"
                            + " only structural schemas); add a type such as object or string, or"
                            + " x-kubernetes-preserve-unknown-fields: true to accept anything");
        } else if (level == Level.ROOT && type.isTextual() && !type.asText().equals("object")) {
            error(YamlPath.child(path, "type"), "must be object at the root but is " + Values.describe(type));
        }
    }

    private void cleanType(JsonNode schema, String path, boolean nullable, ObjectNode out) {
        List<String> types = new ArrayList<>();
        JsonNode type = schema.get("type");
        if (schema.path("x-kubernetes-int-or-string").booleanValue()) {
            types.add("integer");
            types.add("string");
        } else if (type != null && !(type.isTextual() && type.asText().isEmpty())) {
            if (type.isTextual() && TYPES.contains(type.asText())) {
                types.add(type.asText());
            } else {
                error(
                        YamlPath.child(path, "type"),
                        "must be one of " + String.join(", ", sorted(TYPES)) + " but is " + Values.describe(type));
            }
        }
        if (types.isEmpty()) {
            return;
        }
        if (nullable) {
            types.add("null");
        }
        if (types.size() == 1) {
            out.put("type", types.get(0));
        } else {
            ArrayNode array = out.putArray("type");
            types.forEach(array::add);
        }
    }

    private void cleanEnum(JsonNode schema, String path, boolean nullable, ObjectNode out) {
        JsonNode values = schema.get("enum");
        if (values == null) {
            return;
        }
        if (!values.isArray()) {
            error(YamlPath.child(path, "enum"), "must be a list of values but is " + Values.describe(values));
            return;
        }
        ArrayNode copy = values.deepCopy();
        boolean hasNull = false;
        for (JsonNode v : values) {
            hasNull |= v.isNull();
        }
        if (nullable && !hasNull) {
            copy.addNull();
        }
        out.set("enum", copy);
    }

    private void cleanPattern(JsonNode schema, String path, ObjectNode out) {
        JsonNode pattern = schema.get("pattern");
        if (pattern == null) {
            return;
        }
        String where = YamlPath.child(path, "pattern");
        if (!pattern.isTextual()) {
            error(where, "must be a regular expression (a string) but is " + Values.describe(pattern));
            return;
        }
        try {
            Re2Pattern.compile(pattern.asText());
            out.set("pattern", pattern);
        } catch (IllegalArgumentException e) {
            error(
                    where,
                    YamlPath.quote(pattern.asText()) + " is not a valid RE2 regular expression (as Kubernetes"
                            + " requires): it " + e.getMessage());
        }
    }

    private void cleanRequired(JsonNode schema, String path, boolean root, ObjectNode out) {
        JsonNode required = schema.get("required");
        if (required == null) {
            return;
        }
        ArrayNode names = JsonNodeFactory.instance.arrayNode();
        boolean wellFormed = required.isArray();
        for (JsonNode name : required) {
            wellFormed &= name.isTextual();
            if (name.isTextual() && !(root && ROOT_SKIPPED.contains(name.asText()))) {
                names.add(name);
            }
        }
        if (!wellFormed) {
            error(
                    YamlPath.child(path, "required"),
                    "must be a list of field names but is " + Values.describe(required));
            return;
        }
        if (!names.isEmpty()) {
            out.set("required", names);
        }
    }

    private void cleanProperties(JsonNode schema, String path, Level level, ObjectNode out) {
        boolean root = level == Level.ROOT;
        JsonNode properties = schema.get("properties");
        if (properties == null) {
            return;
        }
        String where = YamlPath.child(path, "properties");
        if (!properties.isObject()) {
            error(where, "must map field names to schemas but is " + Values.describe(properties));
            return;
        }
        ObjectNode cleaned = out.putObject("properties");
        for (Map.Entry<String, JsonNode> e : properties.properties()) {
            if (!(root && ROOT_SKIPPED.contains(e.getKey()))) {
                cleaned.set(
                        e.getKey(), clean(e.getValue(), YamlPath.child(where, e.getKey()), level.below(Level.FIELD)));
            }
        }
    }

    private void cleanCombinator(JsonNode schema, String path, String combinator, ObjectNode out) {
        JsonNode branches = schema.get(combinator);
        if (branches == null) {
            return;
        }
        String where = YamlPath.child(path, combinator);
        if (!branches.isArray() || branches.isEmpty()) {
            error(where, "must be a non-empty list of schemas but is " + Values.describe(branches));
            return;
        }
        ArrayNode cleaned = out.putArray(combinator);
        for (int i = 0; i < branches.size(); i++) {
            cleaned.add(clean(branches.get(i), YamlPath.index(where, i), Level.VALUE_VALIDATION));
        }
    }

    private void copyIf(
            JsonNode schema,
            String path,
            String keyword,
            Predicate<JsonNode> wellFormed,
            String expected,
            ObjectNode out) {
        JsonNode value = schema.get(keyword);
        if (value == null) {
            return;
        }
        if (wellFormed.test(value)) {
            out.set(keyword, value);
        } else {
            error(YamlPath.child(path, keyword), "must be " + expected + " but is " + Values.describe(value));
        }
    }

    private void error(String path, String message) {
        problems.add(new Problem(Severity.ERROR, path, message));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    private static List<String> sorted(Set<String> set) {
        return set.stream().sorted().toList();
    }
}
