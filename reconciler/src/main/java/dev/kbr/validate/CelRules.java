package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelKind;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime.Program;
import dev.kbr.model.Severity;
import dev.kbr.model.YamlPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code x-kubernetes-validations} rules of one Promise API schema, compiled once, and their
 * evaluation against a request, as the Kubernetes API server does on create ({@code
 * apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go}).
 *
 * <p>A rule is evaluated with {@code self} bound to the value at the schema node that declares it,
 * for every instance of that node: the node's properties, list items and map values are visited
 * recursively, as are the rules of its {@code allOf} branches. A {@code null} value is not
 * checked (a rule on a nullable field sees only non-null values). At the root, and at {@code
 * x-kubernetes-embedded-resource} nodes, {@code self.metadata} holds only {@code name} and {@code
 * generateName}; the root's {@code status} (a subresource) is never part of {@code self}.
 * Property names that are not CEL identifiers are escaped as Kubernetes does ({@code my-field}
 * becomes {@code self.my__dash__field}). Numbers of {@code type: number} fields are doubles.
 *
 * <p><b>Transition rules</b> (rules that reference {@code oldSelf}) compare an object with its
 * previous version. kbr only ever creates objects, and the API server skips transition rules on
 * create, so they are skipped here too; a rule with {@code optionalOldSelf: true} runs, with
 * {@code oldSelf} an empty optional, as the API server runs it.
 *
 * <p>A false rule yields an error at the node's field (extended by the rule's {@code fieldPath})
 * with the rule's {@code messageExpression} result, else its {@code message}, else {@code failed
 * rule: <rule>}. A rule that fails to run ({@code no such key}, division by zero, ...) yields an
 * error naming the cause. Each rule evaluation may take at most {@link #PER_CALL_LIMIT} steps and
 * all rules of one request {@link #PER_OBJECT_BUDGET}, approximating the API server's cost limits;
 * past them no further rule is run. {@code reason} is not used: every failure is an error.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
final class CelRules {
    /** Evaluation steps one rule may take on one value (the API server's per-call limit is 1e6 cost units). */
    static final long PER_CALL_LIMIT = 1_000_000;

    /** Evaluation steps all rules may take on one request (the API server's budget is 1e7 cost units). */
    static final long PER_OBJECT_BUDGET = 10_000_000;

    private static final String KEYWORD = "x-kubernetes-validations";
    private static final Pattern EVALUATION_PREFIX = Pattern.compile("^evaluation error( at [^:]*:\\d+)?: ");
    /** Where a failed rule is reported. */
    interface Sink {
        /**
         * One failed or broken rule.
         *
         * @param field YAML path of the offending field of the request
         * @param message the rule's message, or why it could not be evaluated
         */
        void error(String field, String message);
    }

    /**
     * One compiled rule.
     *
     * @param source the rule as written
     * @param message {@code message}, trimmed; empty when not given
     * @param program the compiled rule
     * @param messageExpression the compiled {@code messageExpression}, if any
     * @param fieldPath {@code fieldPath} as YAML path segments below the node
     * @param optionalOldSelf {@code optionalOldSelf: true}
     */
    private record Rule(
            String source,
            String message,
            Program program,
            Optional<Program> messageExpression,
            List<String> fieldPath,
            boolean optionalOldSelf) {
        /** The rule as error messages name it: its message, else its expression. */
        String shown() {
            return message.isEmpty() ? source.trim() : message;
        }
    }

    /** The rules of one schema node and the nodes below it that hold rules. */
    private record Node(
            JsonNode schema,
            boolean resourceRoot,
            List<Rule> rules,
            Map<String, Node> properties,
            Optional<Node> items,
            Optional<Node> additionalProperties,
            List<Node> allOf) {}

    private final Optional<Node> root;

    private CelRules(Optional<Node> root) {
        this.root = root;
    }

    /**
     * Compiles every rule of {@code openApiV3Schema}, skipping the root's {@code metadata} and
     * {@code status}. Rules that do not compile, or whose declaration is malformed, are reported
     * to {@code problems} (ERROR) and left out; rules that call functions of a Kubernetes CEL
     * library kbr lacks are reported as WARNING and left out. Never throws.
     *
     * @param openApiV3Schema the schema, as written
     * @param problems receives the problems, with paths relative to {@code openAPIV3Schema}
     */
    static CelRules compile(JsonNode openApiV3Schema, List<ApiSchema.Problem> problems) {
        return new CelRules(node(openApiV3Schema, openApiV3Schema, "", true, true, problems));
    }

    /** True when the schema has no rule that kbr evaluates. */
    boolean isEmpty() {
        return root.isEmpty();
    }

    /**
     * Evaluates every rule against {@code object} (pruned and defaulted), reporting failures to
     * {@code sink}. Never throws.
     */
    void evaluate(ObjectNode object, Sink sink) {
        root.ifPresent(node -> new Evaluation(sink).walk(node, object, "", true));
    }

    // --- compilation ------------------------------------------------------------------------

    /**
     * The rule node for {@code validation} (where rules are read: a structural node or an allOf
     * branch), typed by {@code structural}; empty when nothing below holds a rule.
     */
    private static Optional<Node> node(
            JsonNode validation,
            JsonNode structural,
            String path,
            boolean root,
            boolean resourceRoot,
            List<ApiSchema.Problem> problems) {
        if (!validation.isObject() || !structural.isObject()) {
            return Optional.empty();
        }
        List<Rule> rules = rules(validation, structural, path, problems);
        Map<String, Node> properties = new LinkedHashMap<>();
        JsonNode validationProps = validation.path("properties");
        JsonNode structuralProps = structural.path("properties");
        if (validationProps.isObject() && structuralProps.isObject()) {
            for (Map.Entry<String, JsonNode> e : validationProps.properties()) {
                String name = e.getKey();
                if (root && ApiSchema.ROOT_SKIPPED.contains(name)) {
                    continue;
                }
                JsonNode property = structuralProps.path(name);
                node(
                                e.getValue(),
                                property,
                                YamlPath.child(YamlPath.child(path, "properties"), name),
                                false,
                                property.path("x-kubernetes-embedded-resource").booleanValue(),
                                problems)
                        .ifPresent(n -> properties.put(name, n));
            }
        }
        Optional<Node> items = node(
                validation.path("items"),
                structural.path("items"),
                YamlPath.child(path, "items"),
                false,
                structural.path("items").path("x-kubernetes-embedded-resource").booleanValue(),
                problems);
        Optional<Node> additional = node(
                validation.path("additionalProperties"),
                structural.path("additionalProperties"),
                YamlPath.child(path, "additionalProperties"),
                false,
                structural
                        .path("additionalProperties")
                        .path("x-kubernetes-embedded-resource")
                        .booleanValue(),
                problems);
        List<Node> allOf = new ArrayList<>();
        JsonNode branches = validation.path("allOf");
        for (int i = 0; branches.isArray() && i < branches.size(); i++) {
            node(
                            branches.get(i),
                            structural,
                            YamlPath.index(YamlPath.child(path, "allOf"), i),
                            root,
                            resourceRoot,
                            problems)
                    .ifPresent(allOf::add);
        }
        if (rules.isEmpty() && properties.isEmpty() && items.isEmpty() && additional.isEmpty() && allOf.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Node(structural, resourceRoot, rules, properties, items, additional, allOf));
    }

    private static List<Rule> rules(
            JsonNode validation, JsonNode structural, String path, List<ApiSchema.Problem> problems) {
        JsonNode declared = validation.get(KEYWORD);
        List<Rule> rules = new ArrayList<>();
        if (declared == null || declared.isNull()) {
            return rules;
        }
        String where = YamlPath.child(path, KEYWORD);
        if (!declared.isArray()) {
            problems.add(error(where, "must be a list of rules ({rule, message}) but is " + Values.describe(declared)));
            return rules;
        }
        for (int i = 0; i < declared.size(); i++) {
            compileRule(declared.get(i), structural, YamlPath.index(where, i), problems)
                    .ifPresent(rules::add);
        }
        return rules;
    }

    private static Optional<Rule> compileRule(
            JsonNode declaration, JsonNode structural, String path, List<ApiSchema.Problem> problems) {
        if (!declaration.isObject()) {
            problems.add(error(path, "must be a rule ({rule, message}) but is " + Values.describe(declaration)));
            return Optional.empty();
        }
        JsonNode ruleNode = declaration.path("rule");
        if (!ruleNode.isTextual() || ruleNode.asText().isBlank()) {
            problems.add(error(
                    YamlPath.child(path, "rule"),
                    "is required: write the CEL expression that must be true, such as self.size() > 0"));
            return Optional.empty();
        }
        String source = ruleNode.asText();
        boolean optionalOldSelf = declaration.path("optionalOldSelf").booleanValue();
        Optional<Compiled> rule = compileExpression(
                source, optionalOldSelf, CelKind.BOOL, "true or false", YamlPath.child(path, "rule"), problems);
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        if (rule.get().usesOldSelf() && !optionalOldSelf) {
            // A transition rule: the API server runs it only on update, and kbr only creates.
            return Optional.empty();
        }
        Optional<Program> messageExpression = Optional.empty();
        JsonNode messageExpressionNode = declaration.path("messageExpression");
        if (messageExpressionNode.isTextual() && !messageExpressionNode.asText().isBlank()) {
            Optional<Compiled> compiled = compileExpression(
                    messageExpressionNode.asText(),
                    optionalOldSelf,
                    CelKind.STRING,
                    "a string",
                    YamlPath.child(path, "messageExpression"),
                    problems);
            if (compiled.isEmpty()) {
                return Optional.empty();
            }
            messageExpression = Optional.of(compiled.get().program());
        }
        List<String> fieldPath = List.of();
        JsonNode fieldPathNode = declaration.path("fieldPath");
        if (fieldPathNode.isTextual() && !fieldPathNode.asText().isEmpty()) {
            try {
                fieldPath = CelNames.fieldPath(fieldPathNode.asText(), structural);
            } catch (IllegalArgumentException e) {
                problems.add(error(
                        YamlPath.child(path, "fieldPath"),
                        YamlPath.quote(fieldPathNode.asText()) + " is not a valid field path: it " + e.getMessage()
                                + "; write a path below this schema node such as .spec.name or ['key']"));
                return Optional.empty();
            }
        }
        String message = declaration.path("message").isTextual()
                ? declaration.path("message").asText().trim()
                : "";
        return Optional.of(
                new Rule(source, message, rule.get().program(), messageExpression, fieldPath, optionalOldSelf));
    }

    private record Compiled(Program program, boolean usesOldSelf) {}

    private static Optional<Compiled> compileExpression(
            String source,
            boolean optionalOldSelf,
            CelKind resultKind,
            String resultNoun,
            String path,
            List<ApiSchema.Problem> problems) {
        CelAbstractSyntaxTree ast;
        try {
            ast = CelEnvironment.compiler(optionalOldSelf).compile(source).getAst();
        } catch (CelValidationException e) {
            problems.add(CelEnvironment.compileProblem(source, path, e.getErrors()));
            return Optional.empty();
        } catch (RuntimeException e) {
            problems.add(error(path, YamlPath.quote(source) + " does not compile: " + describe(e)));
            return Optional.empty();
        }
        CelKind kind = ast.getResultType().kind();
        if (kind != resultKind && kind != CelKind.DYN) {
            problems.add(error(
                    path,
                    YamlPath.quote(source) + " must evaluate to " + resultNoun + " but evaluates to "
                            + ast.getResultType().name()));
            return Optional.empty();
        }
        boolean usesOldSelf = ast.getReferenceMap().values().stream()
                .anyMatch(reference -> CelEnvironment.OLD_SELF.equals(reference.name()));
        try {
            return Optional.of(new Compiled(CelEnvironment.runtime().createProgram(ast), usesOldSelf));
        } catch (CelEvaluationException | RuntimeException e) {
            problems.add(error(path, YamlPath.quote(source) + " cannot be run: " + describe(e)));
            return Optional.empty();
        }
    }

    private static ApiSchema.Problem error(String path, String message) {
        return new ApiSchema.Problem(Severity.ERROR, path, message);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    // --- evaluation ---------------------------------------------------------------------------

    /** Signals that a rule went past its step limit; thrown from the trace listener. */
    private static final class OverBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean perCall;

        OverBudget(boolean perCall) {
            super(perCall ? "per-call limit" : "object budget", null, false, false);
            this.perCall = perCall;
        }
    }

    /** One request's evaluation: where failures go and the steps left. */
    private static final class Evaluation {
        private final Sink sink;
        private long remaining = PER_OBJECT_BUDGET;
        private boolean stopped;

        Evaluation(Sink sink) {
            this.sink = sink;
        }

        void walk(Node node, JsonNode value, String path, boolean requestRoot) {
            if (stopped || value == null || value.isNull() || value.isMissingNode()) {
                return;
            }
            if (!node.rules().isEmpty()) {
                Object self = CelValues.toCel(value, node.schema(), node.resourceRoot(), requestRoot);
                for (Rule rule : node.rules()) {
                    if (stopped) {
                        return;
                    }
                    run(rule, self, path);
                }
            }
            for (Node branch : node.allOf()) {
                walk(branch, value, path, requestRoot);
            }
            if (value.isObject()) {
                for (Map.Entry<String, JsonNode> field : value.properties()) {
                    if (requestRoot && ApiSchema.ROOT_SKIPPED.contains(field.getKey())) {
                        continue;
                    }
                    Node child = node.properties().get(field.getKey());
                    if (child == null && !node.schema().path("properties").has(field.getKey())) {
                        child = node.additionalProperties().orElse(null);
                    }
                    if (child != null) {
                        walk(child, field.getValue(), YamlPath.child(path, field.getKey()), false);
                    }
                }
            } else if (value.isArray() && node.items().isPresent()) {
                for (int i = 0; i < value.size(); i++) {
                    walk(node.items().get(), value.get(i), YamlPath.index(path, i), false);
                }
            }
        }

        private void run(Rule rule, Object self, String path) {
            Map<String, Object> activation = new LinkedHashMap<>();
            activation.put(CelEnvironment.SELF, self);
            if (rule.optionalOldSelf()) {
                activation.put(CelEnvironment.OLD_SELF, Optional.empty());
            }
            Object result;
            try {
                result = trace(rule.program(), activation);
            } catch (CelEvaluationException | RuntimeException e) {
                evaluationFailed(e, rule, path);
                return;
            }
            if (Boolean.TRUE.equals(result)) {
                return;
            }
            if (!(result instanceof Boolean)) {
                sink.error(
                        path,
                        "rule " + YamlPath.quote(rule.source().trim()) + " gave " + shown(result)
                                + " instead of true or false; fix the rule in the Promise API");
                return;
            }
            String field = path;
            for (String segment : rule.fieldPath()) {
                field = YamlPath.child(field, segment);
            }
            sink.error(field, message(rule, activation));
        }

        private String message(Rule rule, Map<String, Object> activation) {
            if (rule.messageExpression().isPresent()) {
                try {
                    Object message = trace(rule.messageExpression().get(), activation);
                    if (message instanceof String text && !text.isBlank() && text.indexOf('\n') < 0) {
                        return text.trim();
                    }
                } catch (CelEvaluationException | RuntimeException e) {
                    // The API server falls back to the message when messageExpression fails, and
                    // stops checking when it ran out of budget.
                    stopped |= overBudget(e).isPresent();
                }
            }
            return rule.message().isEmpty() ? "failed rule: " + rule.source().trim() : rule.message();
        }

        private Object trace(Program program, Map<String, Object> activation) throws CelEvaluationException {
            long[] steps = {0};
            try {
                return program.trace(activation, (expr, value) -> {
                    steps[0]++;
                    if (steps[0] > PER_CALL_LIMIT) {
                        throw new OverBudget(true);
                    }
                    if (steps[0] > remaining) {
                        throw new OverBudget(false);
                    }
                });
            } finally {
                remaining -= steps[0];
            }
        }

        private void evaluationFailed(Exception e, Rule rule, String path) {
            Optional<OverBudget> overBudget = overBudget(e);
            if (overBudget.isPresent()) {
                stopped = true;
                sink.error(
                        path,
                        overBudget.get().perCall
                                ? "rule " + YamlPath.quote(rule.shown()) + " took more than " + PER_CALL_LIMIT
                                        + " evaluation steps, so no further rules were checked; simplify the rule or"
                                        + " limit the size of the value (maxItems, maxLength)"
                                : "the validation rules took more than " + PER_OBJECT_BUDGET + " evaluation steps in"
                                        + " all, so no further rules were checked (" + YamlPath.quote(rule.shown())
                                        + " was the last); simplify the rules or make the request smaller");
                return;
            }
            String cause = EVALUATION_PREFIX.matcher(describe(e)).replaceFirst("");
            if (cause.endsWith(".")) {
                cause = cause.substring(0, cause.length() - 1);
            }
            sink.error(path, cause + " evaluating rule: " + rule.shown());
        }

        private static Optional<OverBudget> overBudget(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof OverBudget over) {
                    return Optional.of(over);
                }
            }
            return Optional.empty();
        }

        private static String shown(Object value) {
            if (value instanceof String text) {
                return "the string " + YamlPath.quote(text);
            }
            return value == null ? "null" : value.toString();
        }
    }
}
