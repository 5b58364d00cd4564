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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
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
        Shared shared = new Shared(output, metadata, new TreeMap<>());

        byte[] tar = DockerPipelineRunner.inputTar("kind: X\n".getBytes(UTF_8), shared, List.of(), new ImageUser(7, 8));
        TarTrees.Tree all = TarTrees.readTree(new ByteArrayInputStream(tar), "kratix", TarTrees.Limits.defaults());

        assertThat(all.files()).containsOnlyKeys("input/object.yaml", "output/a.yaml", "metadata/status.yaml");
        assertThat(all.directories()).containsExactly("input", "metadata", "output", "output/empty");
        assertThat(tar)
                .isEqualTo(DockerPipelineRunner.inputTar(
                        "kind: X\n".getBytes(UTF_8), shared, List.of(), new ImageUser(7, 8)));
    }

    @Test
    void putsEachMountedVolumeInTheInputTarOwnedByRootWhenReadOnly() throws Exception {
        TarTrees.Tree cache = new TarTrees.Tree(
                new TreeMap<>(Map.of("hit.txt", "x".getBytes(UTF_8))), new java.util.TreeSet<>(Set.of("dir")));
        Shared shared = new Shared(
                TarTrees.Tree.empty(),
                TarTrees.Tree.empty(),
                new TreeMap<>(Map.of("cache", cache, "unmounted", cache)));
        List<VolumeMounts.Mount> mounts = List.of(
                new VolumeMounts.Mount("cache", "tmp/cache", false), new VolumeMounts.Mount("cache", "ro", true));

        byte[] tar = DockerPipelineRunner.inputTar("kind: X\n".getBytes(UTF_8), shared, mounts, new ImageUser(7, 8));

        List<String> entries = new java.util.ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e.getName() + " " + e.getLongUserId() + ":" + e.getLongGroupId());
            }
        }
        assertThat(entries)
                .containsExactly(
                        "kratix/ 7:8",
                        "kratix/input/ 7:8",
                        "kratix/input/object.yaml 7:8",
                        "kratix/metadata/ 7:8",
                        "kratix/output/ 7:8",
                        "ro/ 0:0",
                        "ro/dir/ 0:0",
                        "ro/hit.txt 0:0",
                        "tmp/cache/ 7:8",
                        "tmp/cache/dir/ 7:8",
                        "tmp/cache/hit.txt 7:8");
    }
}
