package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.PromiseApi;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.Severity;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.YamlPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a resource request against its Promise's API the way the Kubernetes API server
 * treats a custom resource on create, so a request kbr accepts is one a Kratix platform cluster
 * would accept, with the same stored content.
 *
 * <p>On a deep copy of the request (the input is never changed), in the API server's order ({@code
 * apiextensions-apiserver/pkg/apiserver/customresource_handler.go}, {@code
 * schemaCoercingDecoder}, then the defaulting codec, then validation):
 *
 * <ol>
 *   <li>prune unknown fields: fields the schema does not name are dropped, except below {@code
 *       x-kubernetes-preserve-unknown-fields: true} or a map's {@code additionalProperties} ({@code
 *       schema/pruning/algorithm.go}); each dropped field is reported as a WARNING;
 *   <li>drop {@code null}s of fields that are neither {@code nullable} nor defaulted ({@code
 *       schema/defaulting/prunenulls.go});
 *   <li>apply defaults: a property that is absent, or {@code null} without {@code nullable: true},
 *       gets a copy of its {@code default}, and defaulting continues inside it, so defaults nested
 *       in a defaulted object apply too; list items and map values are defaulted with their schema
 *       ({@code schema/defaulting/algorithm.go});
 *   <li>validate against the {@code openAPIV3Schema} (OpenAPI v3 / JSON Schema draft 4 keywords:
 *       type, required, enum, pattern as an unanchored RE2 search, minimum/maximum with their
 *       exclusive flags, lengths, item and property counts, uniqueItems, multipleOf, allOf, anyOf,
 *       oneOf, not), honouring {@code nullable}, {@code x-kubernetes-int-or-string} and {@code
 *       x-kubernetes-preserve-unknown-fields}. {@code format} is not checked;
 *   <li>evaluate the {@code x-kubernetes-validations} CEL rules ({@link CelRules}; transition
 *       rules, which need the previous object, are skipped as on create). As in the API server,
 *       the rules are not run at all while a type, required, enum, maxLength, maxItems or
 *       maxProperties error (or a missing or too long name) remains; a WARNING says so.
 * </ol>
 *
 * <p>The root's {@code status} (a subresource) is neither pruned, defaulted nor validated, and
 * {@code metadata} is not validated with the schema; instead {@code metadata.name} must be present,
 * a DNS-1123 subdomain and at most 63 characters (the {@code maxLength} Kratix injects into every
 * Promise API), and {@code metadata.namespace}, when present, a DNS-1123 label.
 *
 * <p>Diagnostics name the field by its YAML path ({@code spec.items[0].name}) and sit at that
 * field's line ({@code request.lines()}), falling back to the nearest parent for a missing field.
 * A schema that cannot be used (say, a {@code pattern} that is not a valid RE2 expression) yields
 * an ERROR naming the Promise and the schema path; the rest of the request is still checked.
 * A CEL rule that does not compile is such a schema problem too. Nothing is thrown for bad
 * requests or schemas. Compiled schemas are cached per {@link PromiseApi} instance (see {@link
 * SchemaCache}); instances of this class are safe to share between threads.
 */
public final class RequestValidator {
    /** Longest request name: Kratix adds {@code maxLength: 63} to {@code metadata.name} of every Promise API. */
    static final int MAX_NAME_LENGTH = 63;

    private static final Pattern INTEGER_TEXT = Pattern.compile("[-+]?\\d+");
    private static final Pattern NUMBER_TEXT = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * What makes the API server skip all CEL rules of a request: a wrong type, a missing required
     * field, a value outside its enum, or one too long or with too many items or fields ({@code
     * hasBlockingErr} in {@code apiextensions-apiserver/pkg/registry/customresource/strategy.go}).
     */
    private static final Set<String> BLOCKING_KEYWORDS =
            Set.of("type", "required", "enum", "maxLength", "maxItems", "maxProperties");

    private final SchemaRegistry registry;
    private final SchemaCache schemas;
    private final Map<PromiseApi, Compiled> compiled = new IdentityHashMap<>();

    /** A validator with a schema cache of its own. */
    public RequestValidator() {
        this(new SchemaCache());
    }

    /**
     * A validator that takes prepared schemas from {@code schemas}, so a {@link PromiseValidator}
     * sharing it does not compile the same CEL rules again.
     */
    public RequestValidator(SchemaCache schemas) {
        this.schemas = Objects.requireNonNull(schemas, "schemas");
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .regularExpressionFactory(Re2Pattern.FACTORY)
                .formatAssertionsEnabled(false)
                .build();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft4(), b -> b.schemaRegistryConfig(config));
    }

    /**
     * Prunes, defaults and validates {@code request} against {@code api}.
     *
     * @param request the request; its object is not modified
     * @param api the API of the Promise that serves the request's kind
     * @return the pruned and defaulted copy with every diagnostic; never throws for bad input
     */
    public ValidationResult validate(ResourceRequest request, PromiseApi api) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(api, "api");
        ObjectNode object = request.object().deepCopy();
        Run run = new Run(request);
        Optional<Compiled> schema = compiledFor(api);
        if (schema.isPresent()) {
            Compiled c = schema.get();
            c.schema()
                    .problems()
                    .forEach(p -> run.schemaProblem(p.severity(), "openAPIV3Schema." + p.path(), p.message()));
            StructuralSchema structural = c.schema().structural();
            StructuralPruning.apply(object, structural, run::warning);
            c.libraryProblem().ifPresent(p -> run.schemaProblem(Severity.ERROR, "openAPIV3Schema", p));
            c.validator().ifPresent(v -> check(object, v, c.schema().validationSchema(), run));
        }
        checkMetadata(object, run);
        schema.map(c -> c.schema().celRules()).filter(rules -> !rules.isEmpty()).ifPresent(rules -> {
            if (run.blocked) {
                run.warning(
                        "",
                        "the x-kubernetes-validations rules of Promise " + run.promise + " were not checked, as the"
                                + " Kubernetes API server does not check them while the errors above remain; fix"
                                + " those and validate again");
            } else {
                rules.evaluate(object, run::error);
            }
        });
        List<Diagnostic> sorted =
                run.diagnostics.stream().distinct().sorted(Diagnostic.ORDER).toList();
        return new ValidationResult(object, sorted);
    }

    private synchronized Optional<Compiled> compiledFor(PromiseApi api) {
        if (api.schema().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(compiled.computeIfAbsent(api, a -> compile(schemas.of(a))));
    }

    private Compiled compile(ApiSchema schema) {
        try {
            return new Compiled(schema, Optional.of(registry.getSchema(schema.validationSchema())), Optional.empty());
        } catch (RuntimeException e) {
            // The schema was cleaned first, so this is a library limit rather than an author error;
            // it is still reported, never thrown.
            return new Compiled(
                    schema,
                    Optional.empty(),
                    Optional.of("could not be prepared for validation (" + describe(e)
                            + "); the request was pruned and defaulted but not validated"));
        }
    }

    private static String describe(RuntimeException e) {
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }

    private record Compiled(ApiSchema schema, Optional<Schema> validator, Optional<String> libraryProblem) {}

    // --- schema validation ------------------------------------------------------------------

    private static void check(ObjectNode object, Schema validator, ObjectNode validationSchema, Run run) {
        List<Error> errors;
        try {
            errors = validator.validate(object);
        } catch (RuntimeException e) {
            run.schemaProblem(
                    Severity.ERROR,
                    "openAPIV3Schema",
                    "could not be applied to this request (" + describe(e) + "); the request was not validated");
            return;
        }
        // anyOf and oneOf report each failing alternative as an error of its own; those are
        // gathered per combinator and reported as one diagnostic.
        List<Error> plain = new ArrayList<>();
        Map<String, List<Error>> alternatives = new LinkedHashMap<>();
        for (Error e : errors) {
            Optional<String> combinator = combinatorOf(e.getEvaluationPath());
            if (combinator.isPresent()) {
                alternatives
                        .computeIfAbsent(combinator.get(), k -> new ArrayList<>())
                        .add(e);
            } else {
                plain.add(e);
            }
        }
        Set<String> typeErrorPaths = new HashSet<>();
        for (Error e : plain) {
            if ("type".equals(e.getKeyword())) {
                typeErrorPaths.add(path(e.getInstanceLocation()));
            }
        }
        for (Error e : plain) {
            String path = path(e.getInstanceLocation());
            // Once a value has the wrong type, its other failures are consequences of that one.
            if (!"type".equals(e.getKeyword()) && typeErrorPaths.contains(path)) {
                continue;
            }
            run.blocked |= BLOCKING_KEYWORDS.contains(e.getKeyword());
            if ("required".equals(e.getKeyword()) && e.getProperty() != null) {
                String missing = YamlPath.child(path, e.getProperty());
                run.error(missing, "is required by Promise " + run.promise + " but missing; add " + missing);
            } else {
                run.error(path, message(e, validationSchema, run.promise));
            }
        }
        for (Map.Entry<String, List<Error>> group : alternatives.entrySet()) {
            String path = group.getValue().stream()
                    .map(e -> path(e.getInstanceLocation()))
                    .min(Comparator.comparingInt(String::length))
                    .orElse("");
            if (!typeErrorPaths.contains(path)) {
                run.error(path, alternativesMessage(group.getKey(), group.getValue(), path, validationSchema, run));
            }
        }
    }

    /** The evaluation path up to the first anyOf/oneOf it passes through, if any. */
    private static Optional<String> combinatorOf(NodePath evaluationPath) {
        if (evaluationPath == null) {
            return Optional.empty();
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < evaluationPath.getNameCount(); i++) {
            Object element = evaluationPath.getElement(i);
            prefix.append('/').append(element);
            if ("anyOf".equals(element) || "oneOf".equals(element)) {
                return Optional.of(prefix.toString());
            }
        }
        return Optional.empty();
    }

    private static String alternativesMessage(
            String combinatorPath, List<Error> errors, String path, ObjectNode validationSchema, Run run) {
        String keyword = combinatorPath.substring(combinatorPath.lastIndexOf('/') + 1);
        List<String> failures = new ArrayList<>();
        for (Error e : errors) {
            if (keyword.equals(e.getKeyword())) {
                continue;
            }
            String where = path(e.getInstanceLocation());
            String what = "required".equals(e.getKeyword()) && e.getProperty() != null
                    ? "needs " + YamlPath.child(where, e.getProperty())
                    : (where.equals(path) ? "" : where + " ") + briefly(message(e, validationSchema, run.promise));
            if (!failures.contains(what)) {
                failures.add(what);
            }
        }
        if (failures.isEmpty()) {
            return "matches more than one of the alternatives (oneOf) that the API of Promise " + run.promise
                    + " allows here, but must match exactly one; change it so that only one applies";
        }
        return "matches none of the alternatives (" + keyword + ") that the API of Promise " + run.promise
                + " allows here: " + String.join("; or ", failures) + "; change it to match "
                + ("oneOf".equals(keyword) ? "exactly one" : "one") + " of them";
    }

    /** A diagnostic message without its advice: the part before the first "; ". */
    private static String briefly(String message) {
        int cut = message.indexOf("; ");
        return cut < 0 ? message : message.substring(0, cut);
    }

    private static String message(Error e, ObjectNode validationSchema, String promise) {
        JsonNode value = e.getInstanceNode();
        JsonNode rule = e.getSchemaNode();
        String keyword = Objects.requireNonNullElse(e.getKeyword(), "");
        if (value == null || rule == null) {
            return generic(e, promise);
        }
        return switch (keyword) {
            case "type" -> typeMessage(rule, value);
            case "enum" ->
                "must be one of " + Values.list(rule) + " but is " + Values.describe(value)
                        + "; change it to one of those values";
            case "pattern" ->
                "must match the regular expression " + rule.asText() + " but is " + Values.describe(value)
                        + "; change it to match";
            case "minimum" ->
                exclusive(e, validationSchema, "exclusiveMinimum")
                        ? "must be greater than " + rule + " but is " + value + "; raise it"
                        : "must be at least " + rule + " but is " + value + "; raise it";
            case "maximum" ->
                exclusive(e, validationSchema, "exclusiveMaximum")
                        ? "must be less than " + rule + " but is " + value + "; lower it"
                        : "must be at most " + rule + " but is " + value + "; lower it";
            case "minLength" ->
                "must be at least " + rule + " characters long but is " + length(value) + " (" + Values.describe(value)
                        + "); lengthen it";
            case "maxLength" -> "must be at most " + rule + " characters long but is " + length(value) + "; shorten it";
            case "minItems" -> "must have at least " + rule + " items but has " + value.size() + "; add items";
            case "maxItems" -> "must have at most " + rule + " items but has " + value.size() + "; remove items";
            case "minProperties" -> "must have at least " + rule + " fields but has " + value.size() + "; add fields";
            case "maxProperties" -> "must have at most " + rule + " fields but has " + value.size() + "; remove fields";
            case "uniqueItems" -> "must not contain the same item twice; remove the duplicates";
            case "multipleOf" -> "must be a multiple of " + rule + " but is " + value + "; change it";
            case "not" -> "must not match " + rule + ", as the API of Promise " + promise + " says; change it";
            default -> generic(e, promise);
        };
    }

    private static String generic(Error e, String promise) {
        return "does not satisfy the API of Promise " + promise + " (" + e.getKeyword() + ": " + e.getMessage()
                + "); change it to match the Promise API";
    }

    private static String typeMessage(JsonNode rule, JsonNode value) {
        List<String> expected = new ArrayList<>();
        if (rule.isArray()) {
            rule.forEach(t -> expected.add(t.asText()));
        } else {
            expected.add(rule.asText());
        }
        List<String> nouns = expected.stream().map(Values::typeNoun).toList();
        String actual = Values.kind(value)
                + (value.isValueNode() && !value.isNull() ? " (" + Values.describe(value) + ")" : "");
        return "must be " + Values.either(nouns) + " but is " + actual + "; " + typeHint(expected, nouns, value);
    }

    private static String typeHint(List<String> expected, List<String> nouns, JsonNode value) {
        if (value.isTextual()) {
            String text = value.asText().trim();
            if ((expected.contains("integer") && INTEGER_TEXT.matcher(text).matches())
                    || (expected.contains("number") && NUMBER_TEXT.matcher(text).matches())) {
                return "remove the quotes so YAML reads it as a number";
            }
            if (expected.contains("boolean") && (text.equals("true") || text.equals("false"))) {
                return "remove the quotes so YAML reads it as a boolean";
            }
        }
        if (expected.contains("string") && (value.isNumber() || value.isBoolean())) {
            return "put it in quotes so YAML reads it as a string";
        }
        return "change it to " + Values.either(nouns);
    }

    private static boolean exclusive(Error e, ObjectNode validationSchema, String flag) {
        NodePath where = e.getEvaluationPath();
        if (where == null) {
            return false;
        }
        JsonNode node = validationSchema;
        for (int i = 0; i < where.getNameCount() - 1 && node != null; i++) {
            Object element = where.getElement(i);
            node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
        }
        return node != null && node.path(flag).booleanValue();
    }

    private static int length(JsonNode value) {
        String text = value.asText();
        return text.codePointCount(0, text.length());
    }

    private static String path(NodePath location) {
        String path = "";
        if (location == null) {
            return path;
        }
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index
                    ? YamlPath.index(path, index)
                    : YamlPath.child(path, String.valueOf(element));
        }
        return path;
    }

    // --- metadata ---------------------------------------------------------------------------

    private static void checkMetadata(ObjectNode object, Run run) {
        JsonNode metadata = object.path("metadata");
        JsonNode name = metadata.path("name");
        if (name.isMissingNode()
                || name.isNull()
                || (name.isTextual() && name.asText().isEmpty())) {
            run.blocked = true;
            run.error(
                    "metadata.name",
                    "is required but missing; add metadata.name, a lowercase name such as my-" + run.kindExample
                            + " (kbr needs fixed names: generateName is not supported)");
        } else if (!name.isTextual()) {
            run.error("metadata.name", "must be a string but is " + Values.kind(name) + "; quote it");
        } else {
            String value = name.asText();
            if (value.length() > MAX_NAME_LENGTH) {
                run.blocked = true;
                run.error(
                        "metadata.name",
                        "is " + value.length() + " characters long but Kratix allows at most " + MAX_NAME_LENGTH
                                + " for resource requests; shorten it");
            }
            KubernetesNames.dns1123SubdomainProblem(value)
                    .filter(problem -> value.length() <= KubernetesNames.SUBDOMAIN_MAX)
                    .ifPresent(problem -> run.error(
                            "metadata.name",
                            Values.describe(name) + " is not a valid Kubernetes name (a DNS-1123 subdomain): it "
                                    + problem + "; rename the request"));
        }
        JsonNode namespace = metadata.path("namespace");
        if (namespace.isMissingNode()
                || namespace.isNull()
                || (namespace.isTextual() && namespace.asText().isEmpty())) {
            return;
        }
        if (!namespace.isTextual()) {
            run.error("metadata.namespace", "must be a string but is " + Values.kind(namespace) + "; quote it");
            return;
        }
        KubernetesNames.dns1123LabelProblem(namespace.asText())
                .ifPresent(problem -> run.error(
                        "metadata.namespace",
                        Values.describe(namespace) + " is not a valid namespace name (a DNS-1123 label): it " + problem
                                + "; change it"));
    }

    /** What one call collects: the request it is about and the diagnostics so far. */
    private static final class Run {
        final ResourceRequest request;
        final String promise;
        final String kindExample;
        final List<Diagnostic> diagnostics = new ArrayList<>();

        /** Whether an error was found that makes the API server skip the CEL rules. */
        boolean blocked;

        Run(ResourceRequest request) {
            this.request = request;
            this.promise = request.promiseName();
            String kind = request.gvk().kind().toLowerCase(Locale.ROOT);
            this.kindExample = KubernetesNames.dns1123LabelProblem("my-" + kind).isEmpty() ? kind : "request";
        }

        void error(String field, String message) {
            diagnostics.add(Diagnostic.error(at(field), field, message));
        }

        void warning(String field, String message) {
            diagnostics.add(Diagnostic.warning(at(field), field, message));
        }

        /** A problem of the Promise's schema, reported on this request because it weakens its check. */
        void schemaProblem(Severity severity, String schemaPath, String message) {
            // Ignored keywords are the Promise author's business (PromiseValidator warns about
            // them); only problems that change what this request's check means are repeated here.
            if (severity != Severity.ERROR) {
                return;
            }
            diagnostics.add(Diagnostic.error(
                    at(""),
                    "",
                    "cannot be fully checked: the API schema of Promise " + promise + " is broken at " + schemaPath
                            + ": " + message + "; fix the Promise (the rest of this request was checked without"
                            + " that rule)"));
        }

        private SourceLocation at(String field) {
            return request.location().atLine(request.lines().lineOf(field));
        }
    }
}
