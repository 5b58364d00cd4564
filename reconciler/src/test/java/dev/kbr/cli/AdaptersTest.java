package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.pipeline.kubernetes.KubernetesRunnerSettings;
import dev.kbr.run.RunOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdaptersTest {
    private static final Map<String, String> IN_A_POD = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");

    @Test
    void defaultsToDockerOutsideAPod() {
        assertThat(Adapters.runner(null, Map.of())).isEqualTo("docker");
        assertThat(Adapters.runner(null, Map.of("KUBERNETES_SERVICE_HOST", " ")))
                .isEqualTo("docker");
    }

    @Test
    void defaultsToKubernetesInsideAPod() {
        assertThat(Adapters.runner(null, IN_A_POD)).isEqualTo("kubernetes");
    }

    @Test
    void theOptionWinsOverTheEnvironment() {
        assertThat(Adapters.runner("docker", IN_A_POD)).isEqualTo("docker");
        assertThat(Adapters.runner("kubernetes", Map.of())).isEqualTo("kubernetes");
    }

    @Test
    void rejectsAnUnknownRunnerNamingTheOption() {
        assertThatThrownBy(() -> Adapters.runner("podman", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--runner must be docker or kubernetes, not 'podman'");
    }

    @Test
    void inAPodPipelinePodsGoToItsNamespaceAndNameItAsTheirOwner(@TempDir Path dir) throws Exception {
        Path namespaceFile = Files.writeString(dir.resolve("namespace"), "platform\n");
        RunnerOptions options = options(null);

        KubernetesRunnerSettings settings = Adapters.kubernetesSettings(options, IN_A_POD, namespaceFile);

        assertThat(settings.namespace()).isEqualTo("platform");
        assertThat(settings.ownerPod())
                .contains("platform/" + RunOwner.current().host());
        assertThat(settings.helperImage()).isEqualTo("registry.example.com/busybox:1");
    }

    @Test
    void theNamespaceOptionWinsOverThePodsNamespace(@TempDir Path dir) throws Exception {
        Path namespaceFile = Files.writeString(dir.resolve("namespace"), "platform\n");

        KubernetesRunnerSettings settings = Adapters.kubernetesSettings(options("pipelines"), IN_A_POD, namespaceFile);

        assertThat(settings.namespace()).isEqualTo("pipelines");
        assertThat(settings.ownerPod())
                .contains("platform/" + RunOwner.current().host());
    }

    @Test
    void outsideAPodNoOwnerPodIsNamed(@TempDir Path dir) {
        KubernetesRunnerSettings settings =
                Adapters.kubernetesSettings(options("pipelines"), Map.of(), dir.resolve("absent"));

        assertThat(settings.namespace()).isEqualTo("pipelines");
        assertThat(settings.ownerPod()).isEqualTo(Optional.empty());
    }

    private static RunnerOptions api(String mode, String runner, String network) {
        RunnerOptions options = options(null);
        options.platformApi = mode;
        options.runner = runner;
        options.pipelineNetwork = network;
        return options;
    }

    @Test
    void thePlatformApiIsOnByDefaultForDockerPipelinesWithANetwork() {
        assertThat(Adapters.platformApi(api("auto", "docker", "default"), Map.of()))
                .isPresent();
        assertThat(Adapters.platformApi(api("auto", "docker", "none"), Map.of()))
                .isEmpty();
        assertThat(Adapters.platformApi(api("off", "docker", "default"), Map.of()))
                .isEmpty();
        assertThatThrownBy(() -> Adapters.platformApi(api("on", "docker", "none"), Map.of()))
                .hasMessageContaining("--platform-api on")
                .hasMessageContaining("--pipeline-network none");
        assertThatThrownBy(() -> Adapters.platformApi(api("maybe", "docker", "default"), Map.of()))
                .hasMessageContaining("--platform-api must be auto, on or off");
    }

    @Test
    void pipelinePodsGetThePlatformApiOnlyWhenKbrKnowsItsPodAddress() {
        assertThat(Adapters.platformApi(api("auto", "kubernetes", "default"), Map.of()))
                .isEmpty();
        assertThat(Adapters.platformApi(api("auto", "kubernetes", "default"), Map.of("KBR_POD_IP", "10.0.0.7")))
                .isPresent();
        assertThatThrownBy(() -> Adapters.platformApi(api("on", "kubernetes", "default"), Map.of()))
                .hasMessageContaining("KBR_POD_IP");
    }

    private static RunnerOptions options(String namespace) {
        RunnerOptions options = new RunnerOptions();
        options.kubernetesNamespace = namespace;
        options.kubernetesHelperImage = "registry.example.com/busybox:1";
        return options;
    }
}
