package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.SharedFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kbr render} with the real Docker engine and the seeds platform (images from {@code
 * ci/build-fixture-images}); no state store is involved.
 */
class RenderIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");

    @TempDir
    Path tmp;

    private record Run(int exitCode, String out) {}

    private static Run kbr(Path platform, String... args) {
        List<String> all = new ArrayList<>(List.of("render", "--platform", platform.toString()));
        all.addAll(Arrays.asList(args));
        all.addAll(List.of("--pipeline-network", "none"));
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(out), all.toArray(String[]::new));
        return new Run(code, out.toString());
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void rendersAPromisesOwnWorkflowWithItsDestinations() throws Exception {
        Path out = tmp.resolve("out");

        Run run = kbr(SEEDS, "--promise", "redis", "--out", out.toString());

        assertThat(run.exitCode()).as(run.out()).isZero();
        Path step = out.resolve("1-promise-configure");
        assertThat(read(step.resolve("input/object.yaml")))
                .contains("kind: Promise")
                .contains("name: redis");
        assertThat(step.resolve("output/redis-operator.yaml")).exists();
        assertThat(run.out())
                .contains("1-promise-configure: succeeded")
                .contains("container redis-promise-pipeline: exit 0")
                .contains("1-promise-configure/output/redis-operator.yaml")
                // The Promise selects environment: dev, which only worker-1 has.
                .contains("output group . (1 file) -> worker-1\n")
                .contains("Rendered Promise redis promise.configure (1 pipeline) into " + out);
    }

    @Test
    void rendersAResourceRequestWithItsDefaultsApplied() throws Exception {
        Path out = tmp.resolve("out");

        Run run = kbr(
                SEEDS,
                "--promise",
                "redis",
                "--request",
                SEEDS.resolve("requests/redis.yaml").toString(),
                "--out",
                out.toString());

        assertThat(run.exitCode()).as(run.out()).isZero();
        Path step = out.resolve("1-instance-configure");
        assertThat(read(step.resolve("input/object.yaml")))
                .contains("kind: Redis")
                .contains("name: example-redis")
                .contains("namespace: default");
        assertThat(read(step.resolve("output/redis-failover.yaml"))).contains("kind: RedisFailover");
        assertThat(run.out())
                .contains("redis/default/example-redis resource.configure")
                .contains("-> worker-1");
    }

    @Test
    void anUnknownPromiseListsTheKnownOnes() {
        Run run = kbr(SEEDS, "--promise", "nope", "--out", tmp.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("--promise nope")
                .contains("known: [app, database, jenkins, nginx-ingress, postgresql, redis]");
    }

    @Test
    void aRequestOfAnotherPromiseIsRefused() {
        Run run = kbr(
                SEEDS,
                "--promise",
                "redis",
                "--request",
                SEEDS.resolve("requests/jenkins.yaml").toString(),
                "--out",
                tmp.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("is a request of Promise jenkins, not of Promise redis");
        assertThat(tmp.resolve("out/1-instance-configure")).doesNotExist();
    }

    @Test
    void aNonEmptyOutIsRefusedUnlessForced() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        Files.createDirectories(out.resolve("1-promise-configure/output"));
        Files.writeString(out.resolve("1-promise-configure/output/stale.yaml"), "old");

        Run refused = kbr(SEEDS, "--promise", "redis", "--out", out.toString());
        Run forced = kbr(SEEDS, "--promise", "redis", "--out", out.toString(), "--force");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("is not empty").contains("--force");
        assertThat(forced.exitCode()).as(forced.out()).isZero();
        assertThat(out.resolve("1-promise-configure/output/stale.yaml")).doesNotExist();
        assertThat(out.resolve("1-promise-configure/output/redis-operator.yaml"))
                .exists();
        assertThat(read(out.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void aFailingPipelinePrintsItsLogsAndKeepsWhatEarlierPipelinesWrote() throws Exception {
        Path platform = tmp.resolve("platform");
        Files.createDirectories(platform.resolve("destinations"));
        Files.copy(SEEDS.resolve("destinations/worker-1.yaml"), platform.resolve("destinations/worker-1.yaml"));
        Files.createDirectories(platform.resolve("state-stores"));
        Files.copy(SEEDS.resolve("state-stores/default.yaml"), platform.resolve("state-stores/default.yaml"));
        Files.writeString(platform.resolve("promise.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata:
                  name: twostep
                spec:
                  workflows:
                    promise:
                      configure:
                      - apiVersion: platform.kratix.io/v1alpha1
                        kind: Pipeline
                        metadata:
                          name: first
                        spec:
                          containers:
                          - name: writes
                            image: kbr.local/busybox-base:v0.1.0
                            imagePullPolicy: Never
                            command: ["sh", "-c"]
                            args:
                            - |
                              echo "kind: ConfigMap" > /kratix/output/cm.yaml
                              echo "message: one" > /kratix/metadata/status.yaml
                      - apiVersion: platform.kratix.io/v1alpha1
                        kind: Pipeline
                        metadata:
                          name: second
                        spec:
                          containers:
                          - name: breaks
                            image: kbr.local/busybox-base:v0.1.0
                            imagePullPolicy: Never
                            command: ["sh", "-c"]
                            args:
                            - |
                              ls /kratix/output; echo "boom from $KRATIX_PIPELINE_NAME"; exit 3
                """);
        Path out = tmp.resolve("out");

        Run run = kbr(platform, "--promise", "twostep", "--out", out.toString());

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(read(out.resolve("1-first/output/cm.yaml"))).contains("kind: ConfigMap");
        assertThat(out.resolve("1-first/metadata/status.yaml")).exists();
        // The second pipeline sees the status the first one wrote, and a fresh, empty output.
        assertThat(read(out.resolve("2-second/input/object.yaml"))).contains("message: one");
        assertThat(out.resolve("2-second/output")).doesNotExist();
        assertThat(run.out())
                .contains("2-second: failed")
                .contains("container breaks exited with code 3")
                .contains("container breaks: exit 3")
                .contains("| boom from second")
                .doesNotContain("| cm.yaml")
                .contains("Failed: Promise twostep promise.configure (2 pipelines)");
    }
}
