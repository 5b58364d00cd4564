package dev.kbr.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The typed {@code resources} and {@code securityContext} of each container of a Pipeline
 * document ({@code spec.containers[]}, Kratix {@code api/v1alpha1/pipeline_types.go}, which takes
 * them as Kubernetes {@code core/v1} types), read once so that the Docker and Kubernetes runners
 * honour the same fields and reject the same fields with the same message, and so that {@code kbr
 * validate} reports them before anything runs.
 *
 * <p>Honoured: {@code resources.requests} and {@code resources.limits} of {@code cpu} and {@code
 * memory} ({@link Quantity}); {@code securityContext.runAsUser}, {@code runAsGroup}, {@code
 * runAsNonRoot}, {@code readOnlyRootFilesystem}, {@code allowPrivilegeEscalation}, {@code
 * capabilities.add}/{@code drop}, {@code seccompProfile.type} {@code RuntimeDefault} or {@code
 * Unconfined}, and {@code privileged: false}; {@code windowsOptions} is accepted and ignored, as
 * a Linux kubelet ignores it. Rejected, because one of the runners cannot apply
 * them: {@code ephemeral-storage} and other resources, {@code resources.claims}, {@code
 * privileged: true}, {@code seLinuxOptions}, {@code procMount}, {@code
 * appArmorProfile}, {@code Localhost} seccomp profiles. Also rejected, as the Kubernetes API
 * server or Kratix would: values of the wrong type, unknown fields, requests above limits, {@code
 * allowPrivilegeEscalation: false} with {@code SYS_ADMIN}, and limits below what Docker can
 * enforce (a 10m CPU limit, 6Mi of memory).
 *
 * <p>Immutable. Nothing is thrown for a bad document: problems are {@link Diagnostic}s.
 */
public final class PipelineSpec {
    /** Linux capability names Kubernetes and Docker accept, without {@code CAP_}. */
    static final Set<String> CAPABILITIES = Set.of(
            "ALL",
            "AUDIT_CONTROL",
            "AUDIT_READ",
            "AUDIT_WRITE",
            "BLOCK_SUSPEND",
            "BPF",
            "CHECKPOINT_RESTORE",
            "CHOWN",
            "DAC_OVERRIDE",
            "DAC_READ_SEARCH",
            "FOWNER",
            "FSETID",
            "IPC_LOCK",
            "IPC_OWNER",
            "KILL",
            "LEASE",
            "LINUX_IMMUTABLE",
            "MAC_ADMIN",
            "MAC_OVERRIDE",
            "MKNOD",
            "NET_ADMIN",
            "NET_BIND_SERVICE",
            "NET_BROADCAST",
            "NET_RAW",
            "PERFMON",
            "SETFCAP",
            "SETGID",
            "SETPCAP",
            "SETUID",
            "SYS_ADMIN",
            "SYS_BOOT",
            "SYS_CHROOT",
            "SYSLOG",
            "SYS_MODULE",
            "SYS_NICE",
            "SYS_PACCT",
            "SYS_PTRACE",
            "SYS_RAWIO",
            "SYS_RESOURCE",
            "SYS_TIME",
            "SYS_TTY_CONFIG",
            "WAKE_ALARM");

    private static final String BOTH = "kbr applies a field only when both its Docker and Kubernetes runners can, and"
            + " one of them cannot apply this one; remove it (docs/kubernetes-runner.md lists the fields kbr honours)";
    private static final BigDecimal MIN_CPU_LIMIT = new BigDecimal("0.01");
    private static final BigDecimal MAX_CPU = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal MIN_MEMORY_LIMIT = BigDecimal.valueOf(6L << 20);
    private static final BigDecimal MAX_MEMORY = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final long MAX_ID = 2147483647L;

    /**
     * What one container asks of its runtime.
     *
     * @param resources its {@code resources}; empty when it has none (the Kubernetes runner then
     *     applies Kratix's defaults, the Docker runner no limits)
     * @param securityContext its {@code securityContext}; empty when it has none
     */
    public record ContainerSpec(Optional<ContainerResources> resources, Optional<ContainerSecurity> securityContext) {
        public ContainerSpec {
            Objects.requireNonNull(resources, "resources");
            Objects.requireNonNull(securityContext, "securityContext");
        }

        /** A container without resources or security context. */
        public static ContainerSpec none() {
            return new ContainerSpec(Optional.empty(), Optional.empty());
        }
    }

    /**
     * A field that cannot be honoured.
     *
     * @param container the name of the container it belongs to
     * @param diagnostic where it is and what is wrong, worded for the Pipeline's author
     */
    public record Problem(String container, Diagnostic diagnostic) {}

    private final Map<String, ContainerSpec> containers;
    private final List<Problem> problems;

    private PipelineSpec(Map<String, ContainerSpec> containers, List<Problem> problems) {
        this.containers = Map.copyOf(containers);
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads a pipeline's containers as a runner sees them: fields named from the Pipeline document
     * ({@code spec.containers[0].resources.limits.cpu}), located at the pipeline's definition.
     */
    public static PipelineSpec read(Pipeline pipeline) {
        return read(pipeline, "", field -> pipeline.location());
    }

    /**
     * Reads a pipeline's containers.
     *
     * @param prefix put before every field path, e.g. {@code spec.workflows.resource.configure[0].}
     *     when the pipeline sits in a Promise; empty for the Pipeline document itself
     * @param locate where a field (with the prefix) is, for the diagnostics
     */
    public static PipelineSpec read(Pipeline pipeline, String prefix, Function<String, SourceLocation> locate) {
        Objects.requireNonNull(pipeline, "pipeline");
        Reader reader = new Reader(Objects.requireNonNull(locate, "locate"));
        Map<String, ContainerSpec> specs = new HashMap<>();
        JsonNode list = pipeline.document().path("spec").path("containers");
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            JsonNode container = list.get(i);
            reader.container = container.path("name").asText("");
            String path = prefix + "spec.containers[" + i + "]";
            Optional<ContainerResources> resources = reader.resources(container.get("resources"), path + ".resources");
            Optional<ContainerSecurity> security =
                    reader.security(container.get("securityContext"), path + ".securityContext");
            specs.putIfAbsent(reader.container, new ContainerSpec(resources, security));
        }
        return new PipelineSpec(specs, reader.problems);
    }

    /** Every field that cannot be honoured, in document order; empty when all can. */
    public List<Problem> problems() {
        return problems;
    }

    /** The spec of the named container; {@link ContainerSpec#none()} when the document has none. */
    public ContainerSpec of(String container) {
        return containers.getOrDefault(container, ContainerSpec.none());
    }

    /** Reads one pipeline, collecting problems. */
    private static final class Reader {
        private final Function<String, SourceLocation> locate;
        private final List<Problem> problems = new ArrayList<>();
        private String container = "";

        Reader(Function<String, SourceLocation> locate) {
            this.locate = locate;
        }

        private void error(String field, String message) {
            problems.add(new Problem(container, Diagnostic.error(locate.apply(field), field, message)));
        }

        private static boolean absent(JsonNode node) {
            return node == null || node.isNull() || node.isMissingNode();
        }

        private boolean isMap(JsonNode node, String path, String what) {
            if (node.isObject()) {
                return true;
            }
            error(path, "must be a map (" + what + "), not " + shown(node));
            return false;
        }

        Optional<ContainerResources> resources(JsonNode node, String path) {
            if (absent(node) || !isMap(node, path, "requests and limits")) {
                return Optional.empty();
            }
            Map<String, Quantity> requests = Map.of();
            Map<String, Quantity> limits = Map.of();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String at = YamlPath.child(path, field.getKey());
                switch (field.getKey()) {
                    case "requests" -> requests = amounts(field.getValue(), at, false);
                    case "limits" -> limits = amounts(field.getValue(), at, true);
                    case "claims" -> error(at, "dynamic resource claims are not supported: " + BOTH);
                    default -> error(at, "is not a field of Kubernetes container resources (requests, limits)");
                }
            }
            for (String name : List.of("cpu", "memory")) {
                Quantity request = requests.get(name);
                Quantity limit = limits.get(name);
                if (request != null && limit != null && request.exceeds(limit)) {
                    error(
                            path + ".requests." + name,
                            "is " + request + ", more than limits." + name + " (" + limit + "); Kubernetes rejects a"
                                    + " request above its limit, lower the request or raise the limit");
                }
            }
            return Optional.of(new ContainerResources(
                    Optional.ofNullable(requests.get("cpu")),
                    Optional.ofNullable(requests.get("memory")),
                    Optional.ofNullable(limits.get("cpu")),
                    Optional.ofNullable(limits.get("memory"))));
        }

        private Map<String, Quantity> amounts(JsonNode node, String path, boolean limits) {
            Map<String, Quantity> result = new HashMap<>();
            if (absent(node) || !isMap(node, path, "cpu and memory")) {
                return result;
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = field.getKey();
                String at = YamlPath.child(path, name);
                if (!name.equals("cpu") && !name.equals("memory")) {
                    error(
                            at,
                            "ephemeral-storage".equals(name)
                                    ? "Docker cannot limit a container's writable layer on every storage driver: "
                                            + BOTH
                                    : "only cpu and memory can be requested or limited: " + BOTH);
                    continue;
                }
                quantity(field.getValue(), at, name, limits).ifPresent(q -> result.put(name, q));
            }
            return result;
        }

        private Optional<Quantity> quantity(JsonNode node, String path, String name, boolean limit) {
            String example = name.equals("cpu") ? "500m, 1 or 1.5" : "128Mi, 1Gi or 1G";
            Optional<Quantity> parsed = node.isTextual() || node.isNumber()
                    ? Quantity.parse(node.asText().strip())
                    : Optional.empty();
            if (parsed.isEmpty()) {
                error(path, "is not a Kubernetes quantity: " + shown(node) + "; write e.g. " + example);
                return Optional.empty();
            }
            BigDecimal value = parsed.get().value();
            boolean cpu = name.equals("cpu");
            if (value.compareTo(cpu ? MAX_CPU : MAX_MEMORY) > 0) {
                error(path, "is " + parsed.get() + ", more than any machine has; write e.g. " + example);
                return Optional.empty();
            }
            // Docker refuses smaller limits, and memory reservations below its memory minimum.
            if ((limit || !cpu) && value.compareTo(cpu ? MIN_CPU_LIMIT : MIN_MEMORY_LIMIT) < 0) {
                error(
                        path,
                        "is " + parsed.get() + ", below the smallest " + (cpu ? "CPU limit" : "memory amount")
                                + " Docker enforces (" + (cpu ? "10m" : "6Mi") + "); raise it so that both runners"
                                + " apply the same value");
                return Optional.empty();
            }
            return parsed;
        }

        Optional<ContainerSecurity> security(JsonNode node, String path) {
            if (absent(node) || !isMap(node, path, "Kubernetes SecurityContext fields")) {
                return Optional.empty();
            }
            Optional<Long> user = Optional.empty();
            Optional<Long> group = Optional.empty();
            Optional<Boolean> nonRoot = Optional.empty();
            Optional<Boolean> readOnly = Optional.empty();
            Optional<Boolean> escalation = Optional.empty();
            ContainerSecurity.Capabilities capabilities = ContainerSecurity.Capabilities.none();
            Optional<String> seccomp = Optional.empty();
            boolean privilegedFalse = false;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String at = YamlPath.child(path, field.getKey());
                JsonNode value = field.getValue();
                switch (field.getKey()) {
                    case "runAsUser" -> user = id(value, at);
                    case "runAsGroup" -> group = id(value, at);
                    case "runAsNonRoot" -> nonRoot = bool(value, at);
                    case "readOnlyRootFilesystem" -> readOnly = bool(value, at);
                    case "allowPrivilegeEscalation" -> escalation = bool(value, at);
                    case "capabilities" -> capabilities = capabilities(value, at);
                    case "seccompProfile" -> seccomp = seccompProfile(value, at);
                    case "privileged" -> {
                        Optional<Boolean> privileged = bool(value, at);
                        if (privileged.orElse(false)) {
                            error(
                                    at,
                                    "is true, but a privileged pipeline container would control the Docker host or the"
                                            + " Kubernetes node; " + BOTH + ", or add only the capabilities the"
                                            + " container needs under capabilities.add");
                        }
                        privilegedFalse = privileged.isPresent();
                    }
                    case "windowsOptions" -> {
                        // Pipeline containers are Linux containers: a Linux kubelet ignores these
                        // settings, and so do both runners (Kratix's own system tests set them).
                        if (!value.isObject()) {
                            error(at, "must be an object");
                        }
                    }
                    case "seLinuxOptions", "procMount", "appArmorProfile" -> error(at, "is not supported: " + BOTH);
                    default ->
                        error(
                                at,
                                "is not a field of a Kubernetes container securityContext; Kratix rejects Pipelines with"
                                        + " unknown fields");
                }
            }
            if (nonRoot.orElse(false) && user.orElse(-1L) == 0) {
                error(
                        path + ".runAsNonRoot",
                        "is true but runAsUser is 0 (root), so the container could never start; set runAsUser to a"
                                + " non-zero user id");
            }
            if (!escalation.orElse(true) && capabilities.add().contains("SYS_ADMIN")) {
                error(
                        path + ".allowPrivilegeEscalation",
                        "is false while capabilities.add has SYS_ADMIN, which Kubernetes rejects; remove one of"
                                + " them");
            }
            return Optional.of(new ContainerSecurity(
                    new ContainerSecurity.Identity(user, group, nonRoot),
                    readOnly,
                    escalation,
                    capabilities,
                    seccomp,
                    privilegedFalse));
        }

        private Optional<Long> id(JsonNode node, String path) {
            if (absent(node)) {
                return Optional.empty();
            }
            if (!node.isIntegralNumber()
                    || !node.canConvertToLong()
                    || node.longValue() < 0
                    || node.longValue() > MAX_ID) {
                error(path, "must be a numeric id from 0 to " + MAX_ID + ", not " + shown(node));
                return Optional.empty();
            }
            return Optional.of(node.longValue());
        }

        private Optional<Boolean> bool(JsonNode node, String path) {
            if (absent(node)) {
                return Optional.empty();
            }
            if (!node.isBoolean()) {
                error(path, "must be true or false, not " + shown(node));
                return Optional.empty();
            }
            return Optional.of(node.booleanValue());
        }

        private ContainerSecurity.Capabilities capabilities(JsonNode node, String path) {
            List<String> add = new ArrayList<>();
            List<String> drop = new ArrayList<>();
            if (absent(node) || !isMap(node, path, "add and drop")) {
                return ContainerSecurity.Capabilities.none();
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String at = YamlPath.child(path, field.getKey());
                switch (field.getKey()) {
                    case "add" -> names(field.getValue(), at, add);
                    case "drop" -> names(field.getValue(), at, drop);
                    default -> error(at, "is not a field of Kubernetes capabilities (add, drop)");
                }
            }
            return new ContainerSecurity.Capabilities(add, drop);
        }

        private void names(JsonNode node, String path, List<String> into) {
            if (absent(node)) {
                return;
            }
            if (!node.isArray()) {
                error(path, "must be a list of capability names, not " + shown(node));
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                String at = YamlPath.index(path, i);
                String name = node.get(i).isTextual() ? node.get(i).textValue() : "";
                if (CAPABILITIES.contains(name)) {
                    into.add(name);
                } else if (name.startsWith("CAP_") && CAPABILITIES.contains(name.substring(4))) {
                    error(
                            at,
                            "is " + shown(node.get(i)) + "; Kubernetes names capabilities without CAP_, write "
                                    + name.substring(4));
                } else {
                    error(
                            at,
                            "is not a Linux capability: " + shown(node.get(i)) + "; write e.g. NET_BIND_SERVICE,"
                                    + " CHOWN or ALL");
                }
            }
        }

        private Optional<String> seccompProfile(JsonNode node, String path) {
            if (absent(node) || !isMap(node, path, "type")) {
                return Optional.empty();
            }
            String type = node.path("type").asText("");
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!field.getKey().equals("type")) {
                    error(
                            YamlPath.child(path, field.getKey()),
                            field.getKey().equals("localhostProfile")
                                    ? "is not supported: " + BOTH
                                    : "is not a field of a Kubernetes seccompProfile (type)");
                }
            }
            switch (type) {
                case "RuntimeDefault", "Unconfined" -> {
                    return Optional.of(type);
                }
                case "Localhost" -> error(path + ".type", "Localhost profiles are not supported: " + BOTH);
                default ->
                    error(path + ".type", "must be RuntimeDefault or Unconfined, not " + shown(node.path("type")));
            }
            return Optional.empty();
        }

        private static String shown(JsonNode node) {
            if (node.isMissingNode()) {
                return "missing";
            }
            if (node.isTextual()) {
                return YamlPath.quote(node.textValue());
            }
            if (node.isContainerNode()) {
                return node.isArray() ? "a list" : "a map";
            }
            return node.toString();
        }
    }
}
