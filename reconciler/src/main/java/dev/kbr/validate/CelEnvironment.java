package dev.kbr.validate;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.kbr.model.Severity;
import dev.kbr.model.YamlPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CEL environment {@code x-kubernetes-validations} rules are compiled and run in, modelled on
 * the Kubernetes API server's ({@code k8s.io/apiserver/pkg/cel/environment/base.go}): the standard
 * definitions and macros ({@code has}, {@code all}, {@code exists}, {@code exists_one}, {@code
 * map}, {@code filter}), the strings, sets, optional-types and bindings extensions, and the
 * Kubernetes list ({@code isSorted}, {@code sum}, {@code min}, {@code max}, {@code indexOf},
 * {@code lastIndexOf}) and regex ({@code find}, {@code findAll}) functions.
 *
 * <p>{@code self} and {@code oldSelf} are declared {@code dyn}: the API server types them from the
 * schema, so some type errors it reports when the CRD is created show up here only when a rule
 * runs. Kubernetes' URL, quantity, IP, CIDR, named-format, semver and authorizer libraries are
 * not available; see {@link #KUBERNETES_ONLY_FUNCTIONS}.
 */
final class CelEnvironment {
    /** Variable bound to the value at the schema node that declares a rule. */
    static final String SELF = "self";

    /** Variable bound to the previous value in transition rules; kbr never has one. */
    static final String OLD_SELF = "oldSelf";

    /**
     * Functions of Kubernetes' CEL libraries that kbr does not provide: a rule that calls one is
     * valid in Kubernetes but cannot be checked here, which is reported as a warning.
     */
    static final Set<String> KUBERNETES_ONLY_FUNCTIONS = Set.of(
            "url",
            "isURL",
            "getScheme",
            "getHost",
            "getHostname",
            "getPort",
            "getEscapedPath",
            "getQuery",
            "quantity",
            "isQuantity",
            "asInteger",
            "asApproximateFloat",
            "isInteger",
            "compareTo",
            "isGreaterThan",
            "isLessThan",
            "ip",
            "isIP",
            "cidr",
            "isCIDR",
            "containsIP",
            "containsCIDR",
            "prefixLength",
            "masked",
            "family",
            "isUnspecified",
            "isLoopback",
            "isLinkLocalMulticast",
            "isLinkLocalUnicast",
            "isGlobalUnicast",
            "format",
            "semver",
            "isSemver",
            "authorizer",
            "serviceAccount");

    /**
     * The most a comprehension ({@code all}, {@code map}, ...) may iterate: as many as the steps a
     * rule may take, so the step limit of {@link CelRules} is what stops a long rule.
     */
    static final int MAX_COMPREHENSION_ITERATIONS = (int) CelRules.PER_CALL_LIMIT;

    private static final CelOptions OPTIONS = CelOptions.current()
            // cel-go compares int, uint and double with each other; so must the rules here.
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
            .build();

    private static final TypeParamType ELEMENT = TypeParamType.create("A");

    private static final CelCompiler COMPILER = compiler(SimpleType.DYN);
    private static final CelCompiler OPTIONAL_OLD_SELF_COMPILER = compiler(OptionalType.create(SimpleType.DYN));
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
            .addFunctionBindings(kubernetesBindings())
            .build();

    private CelEnvironment() {}

    /**
     * The compiler for a rule.
     *
     * @param optionalOldSelf the rule's {@code optionalOldSelf}: {@code oldSelf} is then an
     *     optional value, empty on create
     */
    static CelCompiler compiler(boolean optionalOldSelf) {
        return optionalOldSelf ? OPTIONAL_OLD_SELF_COMPILER : COMPILER;
    }

    static CelRuntime runtime() {
        return RUNTIME;
    }

    private static CelCompiler compiler(dev.cel.common.types.CelType oldSelfType) {
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar(SELF, SimpleType.DYN)
                .addVar(OLD_SELF, oldSelfType)
                .addLibraries(
                        CelExtensions.strings(),
                        CelExtensions.sets(OPTIONS),
                        CelExtensions.optional(),
                        CelExtensions.bindings())
                .addFunctionDeclarations(kubernetesDeclarations())
                .build();
    }

    // --- Kubernetes' list and regex libraries (k8s.io/apiserver/pkg/cel/library) ------------
    // Declared over a type parameter rather than one overload per element type: with a dyn
    // self, every list is list(dyn), and the bindings check the element types as they run.

    private static List<CelFunctionDecl> kubernetesDeclarations() {
        ListType list = ListType.create(ELEMENT);
        return List.of(
                CelFunctionDecl.newFunctionDeclaration(
                        "isSorted", CelOverloadDecl.newMemberOverload("kbr_list_is_sorted", SimpleType.BOOL, list)),
                CelFunctionDecl.newFunctionDeclaration(
                        "sum", CelOverloadDecl.newMemberOverload("kbr_list_sum", ELEMENT, list)),
                CelFunctionDecl.newFunctionDeclaration(
                        "min", CelOverloadDecl.newMemberOverload("kbr_list_min", ELEMENT, list)),
                CelFunctionDecl.newFunctionDeclaration(
                        "max", CelOverloadDecl.newMemberOverload("kbr_list_max", ELEMENT, list)),
                CelFunctionDecl.newFunctionDeclaration(
                        "indexOf",
                        CelOverloadDecl.newMemberOverload("kbr_list_index_of", SimpleType.INT, list, ELEMENT)),
                CelFunctionDecl.newFunctionDeclaration(
                        "lastIndexOf",
                        CelOverloadDecl.newMemberOverload("kbr_list_last_index_of", SimpleType.INT, list, ELEMENT)),
                CelFunctionDecl.newFunctionDeclaration(
                        "find",
                        CelOverloadDecl.newMemberOverload(
                                "kbr_string_find", SimpleType.STRING, SimpleType.STRING, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                        "findAll",
                        CelOverloadDecl.newMemberOverload(
                                "kbr_string_find_all",
                                ListType.create(SimpleType.STRING),
                                SimpleType.STRING,
                                SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload(
                                "kbr_string_find_all_n",
                                ListType.create(SimpleType.STRING),
                                SimpleType.STRING,
                                SimpleType.STRING,
                                SimpleType.INT)));
    }

    private static List<CelFunctionBinding> kubernetesBindings() {
        return List.of(
                CelFunctionBinding.from("kbr_list_is_sorted", List.class, CelEnvironment::isSorted),
                CelFunctionBinding.from("kbr_list_sum", List.class, CelEnvironment::sum),
                CelFunctionBinding.from("kbr_list_min", List.class, l -> extreme(l, -1, "min")),
                CelFunctionBinding.from("kbr_list_max", List.class, l -> extreme(l, 1, "max")),
                CelFunctionBinding.from(
                        "kbr_list_index_of", List.class, Object.class, (l, x) -> (long) indexOf(l, x, false)),
                CelFunctionBinding.from(
                        "kbr_list_last_index_of", List.class, Object.class, (l, x) -> (long) indexOf(l, x, true)),
                CelFunctionBinding.from("kbr_string_find", String.class, String.class, (s, regex) -> {
                    Matcher m = regex(regex).matcher(s);
                    return m.find() ? m.group() : "";
                }),
                CelFunctionBinding.from(
                        "kbr_string_find_all", String.class, String.class, (s, regex) -> findAll(s, regex, -1)),
                CelFunctionBinding.from(
                        "kbr_string_find_all_n",
                        List.of(String.class, String.class, Long.class),
                        args -> findAll((String) args[0], (String) args[1], (Long) args[2])));
    }

    private static boolean isSorted(List<?> list) throws CelEvaluationException {
        for (int i = 1; i < list.size(); i++) {
            if (compare(list.get(i - 1), list.get(i), "isSorted") > 0) {
                return false;
            }
        }
        return true;
    }

    private static Object sum(List<?> list) throws CelEvaluationException {
        if (list.isEmpty()) {
            return 0L;
        }
        if (list.stream().allMatch(Long.class::isInstance)) {
            long total = 0;
            for (Object o : list) {
                try {
                    total = Math.addExact(total, (Long) o);
                } catch (ArithmeticException e) {
                    throw new CelEvaluationException("integer overflow in sum()");
                }
            }
            return total;
        }
        if (list.stream().allMatch(Double.class::isInstance)) {
            double total = 0;
            for (Object o : list) {
                total += (Double) o;
            }
            return total;
        }
        throw new CelEvaluationException("sum() needs a list of only ints or only doubles");
    }

    private static Object extreme(List<?> list, int sign, String function) throws CelEvaluationException {
        if (list.isEmpty()) {
            throw new CelEvaluationException(function + " called on empty list");
        }
        Object best = list.get(0);
        for (Object o : list) {
            if (compare(o, best, function) * sign > 0) {
                best = o;
            }
        }
        return best;
    }

    private static int indexOf(List<?> list, Object x, boolean last) {
        int found = -1;
        for (int i = 0; i < list.size(); i++) {
            if (celEquals(list.get(i), x)) {
                found = i;
                if (!last) {
                    break;
                }
            }
        }
        return found;
    }

    private static boolean celEquals(Object a, Object b) {
        if (a instanceof Number na && b instanceof Number nb) {
            return Double.compare(na.doubleValue(), nb.doubleValue()) == 0;
        }
        return a.equals(b);
    }

    private static int compare(Object a, Object b, String function) throws CelEvaluationException {
        if (a instanceof Number na && b instanceof Number nb) {
            return a instanceof Long la && b instanceof Long lb
                    ? Long.compare(la, lb)
                    : Double.compare(na.doubleValue(), nb.doubleValue());
        }
        if (a instanceof String sa && b instanceof String sb) {
            return sa.compareTo(sb);
        }
        if (a instanceof Boolean ba && b instanceof Boolean bb) {
            return Boolean.compare(ba, bb);
        }
        throw new CelEvaluationException(function + "() cannot compare " + typeName(a) + " with " + typeName(b));
    }

    private static String typeName(Object value) {
        if (value instanceof Long) {
            return "int";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof java.util.Map) {
            return "map";
        }
        return "null";
    }

    private static List<String> findAll(String s, String regex, long limit) throws CelEvaluationException {
        List<String> matches = new ArrayList<>();
        Matcher m = regex(regex).matcher(s);
        while ((limit < 0 || matches.size() < limit) && m.find()) {
            matches.add(m.group());
        }
        return matches;
    }

    private static Pattern regex(String regex) throws CelEvaluationException {
        try {
            return Re2Pattern.compile(regex);
        } catch (IllegalArgumentException e) {
            throw new CelEvaluationException("invalid regular expression " + regex + ": " + e.getMessage());
        }
    }

    private static final java.util.regex.Pattern UNDECLARED =
            java.util.regex.Pattern.compile("undeclared reference to '([^']+)'");

    /**
     * Why a rule does not compile: a warning when all it lacks are functions of Kubernetes' own
     * CEL libraries, which kbr does not provide (the API server would check the rule); else an
     * error with the compiler's messages.
     */
    static ApiSchema.Problem compileProblem(String source, String path, List<CelIssue> issues) {
        Set<String> kubernetesOnly = new LinkedHashSet<>();
        boolean onlyThose = !issues.isEmpty();
        List<String> messages = new ArrayList<>();
        for (CelIssue issue : issues) {
            messages.add(issue.getMessage());
            Matcher undeclared = UNDECLARED.matcher(issue.getMessage());
            String function = undeclared.find() ? undeclared.group(1).split("\\.")[0] : "";
            if (KUBERNETES_ONLY_FUNCTIONS.contains(function)) {
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
        return new ApiSchema.Problem(
                Severity.ERROR, path, YamlPath.quote(source) + " does not compile: " + String.join("; ", messages));
    }
}
