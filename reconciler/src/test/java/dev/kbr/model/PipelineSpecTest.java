package dev.kbr.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineSpecTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final SourceLocation AT = new SourceLocation("promises/redis.yaml", 0, 12);

    @Test
    void readsResourcesAsQuantities() throws Exception {
        PipelineSpec spec = read("""
                resources:
                  requests: {cpu: 500m, memory: 128Mi}
                  limits: {cpu: 1.5, memory: 1G}
                """);

        assertThat(spec.problems()).isEmpty();
        ContainerResources resources = spec.of("main").resources().orElseThrow();
        assertThat(resources.cpuRequest().orElseThrow().milli()).isEqualTo(500);
        assertThat(resources.memoryRequest().orElseThrow().whole()).isEqualTo(128L << 20);
        assertThat(resources.cpuLimit().orElseThrow().nano()).isEqualTo(1_500_000_000L);
        assertThat(resources.memoryLimit().orElseThrow().whole()).isEqualTo(1_000_000_000L);
    }

    @Test
    void readsNumbersAsQuantitiesToo() throws Exception {
        PipelineSpec spec = read("resources: {limits: {cpu: 2, memory: 134217728}}");

        assertThat(spec.problems()).isEmpty();
        assertThat(spec.of("main")
                        .resources()
                        .orElseThrow()
                        .cpuLimit()
                        .orElseThrow()
                        .milli())
                .isEqualTo(2000);
    }

    @Test
    void windowsOptionsAreAcceptedAndIgnoredAsALinuxKubeletIgnoresThem() throws Exception {
        // As Kratix's own system-test Promise (test/system/assets/kratix-config) sets them.
        PipelineSpec spec = read("securityContext: {windowsOptions: {runAsUserName: setInPromise}}");

        assertThat(spec.problems()).isEmpty();
        assertThat(read("securityContext: {windowsOptions: setInPromise}").problems())
                .singleElement()
                .asString()
                .contains("securityContext.windowsOptions: must be an object");
    }

    @Test
    void aContainerWithoutEitherHasNone() throws Exception {
        PipelineSpec spec = read("image: x");

        assertThat(spec.problems()).isEmpty();
        assertThat(spec.of("main")).isEqualTo(PipelineSpec.ContainerSpec.none());
        assertThat(spec.of("not-there")).isEqualTo(PipelineSpec.ContainerSpec.none());
    }

    @Test
    void readsTheSecurityContext() throws Exception {
        PipelineSpec spec = read("""
                securityContext:
                  runAsUser: 1000
                  runAsGroup: 3000
                  runAsNonRoot: true
                  readOnlyRootFilesystem: true
                  allowPrivilegeEscalation: false
                  privileged: false
                  capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}
                  seccompProfile: {type: RuntimeDefault}
                """);

        assertThat(spec.problems()).isEmpty();
        ContainerSecurity security = spec.of("main").securityContext().orElseThrow();
        assertThat(security.identity())
                .isEqualTo(new ContainerSecurity.Identity(Optional.of(1000L), Optional.of(3000L), Optional.of(true)));
        assertThat(security.readOnlyRootFilesystem()).contains(true);
        assertThat(security.allowPrivilegeEscalation()).contains(false);
        assertThat(security.capabilities().add()).containsExactly("NET_BIND_SERVICE");
        assertThat(security.capabilities().drop()).containsExactly("ALL");
        assertThat(security.seccompProfile()).contains("RuntimeDefault");
        assertThat(security.privilegedFalse()).isTrue();
    }

    @Test
    void badQuantitiesNameTheFileLineAndField() throws Exception {
        PipelineSpec spec = read("resources: {limits: {cpu: lots, memory: 12XB}, requests: {memory: [1]}}");

        assertThat(messages(spec))
                .containsExactly(
                        "promises/redis.yaml:12: error: spec.containers[0].resources.limits.cpu: is not a Kubernetes"
                                + " quantity: \"lots\"; write e.g. 500m, 1 or 1.5",
                        "promises/redis.yaml:12: error: spec.containers[0].resources.limits.memory: is not a"
                                + " Kubernetes quantity: \"12XB\"; write e.g. 128Mi, 1Gi or 1G",
                        "promises/redis.yaml:12: error: spec.containers[0].resources.requests.memory: is not a"
                                + " Kubernetes quantity: a list; write e.g. 128Mi, 1Gi or 1G");
        assertThat(spec.problems()).extracting(PipelineSpec.Problem::container).containsOnly("main");
    }

    @Test
    void rejectsWhatOneRunnerCannotApply() throws Exception {
        PipelineSpec spec = read("""
                resources:
                  limits: {ephemeral-storage: 1Gi, nvidia.com/gpu: 1, cpu: 1m, memory: 1Mi}
                securityContext:
                  privileged: true
                  seLinuxOptions: {level: "s0:c123,c456"}
                  seccompProfile: {type: Localhost, localhostProfile: my.json}
                """);

        assertThat(fields(spec))
                .containsExactly(
                        "spec.containers[0].resources.limits.ephemeral-storage",
                        "spec.containers[0].resources.limits[\"nvidia.com/gpu\"]",
                        "spec.containers[0].resources.limits.cpu",
                        "spec.containers[0].resources.limits.memory",
                        "spec.containers[0].securityContext.privileged",
                        "spec.containers[0].securityContext.seLinuxOptions",
                        "spec.containers[0].securityContext.seccompProfile.localhostProfile",
                        "spec.containers[0].securityContext.seccompProfile.type");
        assertThat(spec.problems().get(0).diagnostic().message())
                .startsWith("Docker cannot limit a container's writable layer")
                .contains("kbr applies a field only when both its Docker and Kubernetes runners can");
        assertThat(spec.problems().get(2).diagnostic().message()).contains("below the smallest CPU limit");
    }

    @Test
    void rejectsWhatKubernetesWouldReject() throws Exception {
        PipelineSpec spec = read("""
                resources:
                  requests: {cpu: "2"}
                  limits: {cpu: 1}
                securityContext:
                  runAsUser: -1
                  runAsGroup: "1000"
                  runAsNonRoot: "yes"
                  allowPrivilegeEscalation: false
                  capabilities: {add: [SYS_ADMIN, CAP_CHOWN, FLY]}
                  colour: blue
                """);

        assertThat(messages(spec))
                .containsExactly(
                        "promises/redis.yaml:12: error: spec.containers[0].resources.requests.cpu: is 2, more than"
                                + " limits.cpu (1); Kubernetes rejects a request above its limit, lower the request or"
                                + " raise the limit",
                        "promises/redis.yaml:12: error: spec.containers[0].securityContext.runAsUser: must be a numeric"
                                + " id from 0 to 2147483647, not -1",
                        "promises/redis.yaml:12: error: spec.containers[0].securityContext.runAsGroup: must be a"
                                + " numeric id from 0 to 2147483647, not \"1000\"",
                        "promises/redis.yaml:12: error: spec.containers[0].securityContext.runAsNonRoot: must be true"
                                + " or false, not \"yes\"",
                        "promises/redis.yaml:12: error: spec.containers[0].securityContext.capabilities.add[1]: is"
                                + " \"CAP_CHOWN\"; Kubernetes names capabilities without CAP_, write CHOWN",
                        "promises/redis.yaml:12: error: spec.containers[0].securityContext.capabilities.add[2]: is not"
                                + " a Linux capability: \"FLY\"; write e.g. NET_BIND_SERVICE, CHOWN or ALL",
                        "promises/redis.yaml:12: error: spec.containers[0].securityContext.colour: is not a field of a"
                                + " Kubernetes container securityContext; Kratix rejects Pipelines with unknown fields",
                        "promises/redis.yaml:12: error: spec.containers[0].securityContext.allowPrivilegeEscalation:"
                                + " is false while capabilities.add has SYS_ADMIN, which Kubernetes rejects; remove"
                                + " one of them");
    }

    @Test
    void rootWithRunAsNonRootCanNeverStart() throws Exception {
        PipelineSpec spec = read("securityContext: {runAsUser: 0, runAsNonRoot: true}");

        assertThat(fields(spec)).containsExactly("spec.containers[0].securityContext.runAsNonRoot");
    }

    @Test
    void prefixesAndLocatesFieldsAsAPromiseValidatorAsks() throws Exception {
        Pipeline pipeline = pipeline("resources: {limits: {cpu: lots}}");

        PipelineSpec spec = PipelineSpec.read(
                pipeline, "spec.workflows.resource.configure[0].", field -> AT.atLine(field.length()));

        Diagnostic diagnostic = spec.problems().get(0).diagnostic();
        assertThat(diagnostic.field())
                .isEqualTo("spec.workflows.resource.configure[0].spec.containers[0].resources" + ".limits.cpu");
        assertThat(diagnostic.location().line()).isEqualTo(diagnostic.field().length());
    }

    private static List<String> messages(PipelineSpec spec) {
        return spec.problems().stream().map(p -> p.diagnostic().toString()).toList();
    }

    private static List<String> fields(PipelineSpec spec) {
        return spec.problems().stream().map(p -> p.diagnostic().field()).toList();
    }

    private static PipelineSpec read(String containerFields) throws Exception {
        return PipelineSpec.read(pipeline(containerFields));
    }

    private static Pipeline pipeline(String containerFields) throws Exception {
        String indented = containerFields.strip().replace("\n", "\n      ");
        ObjectNode document = (ObjectNode) YAML.readTree("""
                apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata: {name: instance}
                spec:
                  containers:
                    - name: main
                      image: kbr.local/x:v1
                      %s
                """.formatted(indented));
        Container container =
                new Container("main", "kbr.local/x:v1", List.of(), List.of(), List.of(), Optional.empty());
        return new Pipeline("instance", Map.of(), List.of(container), document, AT);
    }
}
