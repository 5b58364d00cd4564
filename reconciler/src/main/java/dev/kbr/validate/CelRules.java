package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelKind;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime.Program;
import dev.kbr.model.Severity;
import dev.kbr.model.YamlPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
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
    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']+)'");
    private static final Pattern EVALUATION_PREFIX = Pattern.compile("^evaluation error( at [^:]*:\\d+)?: ");
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
                fieldPath = fieldPath(fieldPathNode.asText(), structural);
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
            problems.add(compileProblem(source, path, e.getErrors()));
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

    private static ApiSchema.Problem compileProblem(String source, String path, List<CelIssue> issues) {
        Set<String> kubernetesOnly = new LinkedHashSet<>();
        boolean onlyThose = !issues.isEmpty();
        List<String> messages = new ArrayList<>();
        for (CelIssue issue : issues) {
            messages.add(issue.getMessage());
            Matcher undeclared = UNDECLARED.matcher(issue.getMessage());
            String function = undeclared.find() ? undeclared.group(1).split("\\.")[0] : "";
            if (CelEnvironment.KUBERNETES_ONLY_FUNCTIONS.contains(function)) {
                kubernetesOnly.add(function);
            } else {
                onlyThose = false;
            }
        }
        if (onlyThose) {
            return new ApiSchema.Problem(
                    Severity.WARNING,
                    path,
                    YamlPath.quote(source) + " uses " + String.join("(), ", kubernetesOnly) + "() of Kubernetes' CEL"
                            + " libraries, which kbr does not provide: kbr does not check this rule, the Kubernetes"
                            + " API server would");
        }
        return error(path, YamlPath.quote(source) + " does not compile: " + String.join("; ", messages));
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
                Object self = toCel(value, node.schema(), node.resourceRoot(), requestRoot);
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

    // --- values -------------------------------------------------------------------------------

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
                Optional<String> escaped = escape(key);
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
}
