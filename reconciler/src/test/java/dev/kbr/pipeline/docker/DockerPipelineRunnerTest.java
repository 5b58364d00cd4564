package dev.kbr.pipeline.docker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.kbr.model.EnvVar;
import dev.kbr.pipeline.TarTrees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DockerPipelineRunnerTest {
    @Test
    void appendsContainerEnvironmentAfterKratixAndLetsItWin() {
        TreeMap<String, String> kratix = new TreeMap<>(Map.of("KRATIX_A", "a", "KRATIX_B", "b"));
        List<EnvVar> own = List.of(new EnvVar("X", "1"), new EnvVar("KRATIX_A", "mine"), new EnvVar("X", "2"));

        assertThat(DockerPipelineRunner.environment(kratix, own)).containsExactly("KRATIX_B=b", "KRATIX_A=mine", "X=2");
    }

    @Test
    void addsLatestOnlyWhenTheReferenceHasNoTagOrDigest() {
        assertThat(DockerPipelineRunner.withDefaultTag("busybox")).isEqualTo("busybox:latest");
        assertThat(DockerPipelineRunner.withDefaultTag("localhost:5000/x")).isEqualTo("localhost:5000/x:latest");
        assertThat(DockerPipelineRunner.withDefaultTag("kbr.local/x:v1")).isEqualTo("kbr.local/x:v1");
        assertThat(DockerPipelineRunner.withDefaultTag("x@sha256:abc")).isEqualTo("x@sha256:abc");
    }

    @Test
    void printsDurationsBriefly() {
        assertThat(DockerPipelineRunner.human(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(DockerPipelineRunner.human(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(DockerPipelineRunner.human(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(DockerPipelineRunner.human(Duration.ofSeconds(65))).isEqualTo("1m5s");
        assertThat(DockerPipelineRunner.human(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DockerPipelineRunner.human(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void describesEngineErrorsByTheEngineMessage() {
        NotFoundException notFound =
                new NotFoundException("Status 404: {\"message\":\"No such image: kbr.local/x:v1\"}\n");

        assertThat(DockerPipelineRunner.describe(notFound)).isEqualTo("No such image: kbr.local/x:v1");
        assertThat(DockerPipelineRunner.describe(new RuntimeException(new IOException("Connection refused"))))
                .isEqualTo("java.io.IOException: Connection refused");
        assertThat(DockerPipelineRunner.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void buildsOneInputTarWithFreshObjectAndPreviousTrees() throws Exception {
        TarTrees.Tree output = new TarTrees.Tree(
                new TreeMap<>(Map.of("a.yaml", "a".getBytes(UTF_8))), new java.util.TreeSet<>(Set.of("empty")));
        TarTrees.Tree metadata =
                new TarTrees.Tree(new TreeMap<>(Map.of("status.yaml", "s".getBytes(UTF_8))), new java.util.TreeSet<>());

        byte[] tar = DockerPipelineRunner.inputTar("kind: X\n".getBytes(UTF_8), output, metadata, new ImageUser(7, 8));
        TarTrees.Tree all = TarTrees.readTree(new ByteArrayInputStream(tar), "kratix", TarTrees.Limits.defaults());

        assertThat(all.files()).containsOnlyKeys("input/object.yaml", "output/a.yaml", "metadata/status.yaml");
        assertThat(all.directories()).containsExactly("input", "metadata", "output", "output/empty");
        assertThat(tar)
                .isEqualTo(DockerPipelineRunner.inputTar(
                        "kind: X\n".getBytes(UTF_8), output, metadata, new ImageUser(7, 8)));
    }
}
