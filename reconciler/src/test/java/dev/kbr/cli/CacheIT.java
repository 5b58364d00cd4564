package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline runs only when Kratix would re-run it (KRATIX.md §5.1): its inputs changed, a new
 * {@code kratix.io/manual-reconciliation} value, or the reconciliation interval elapsed. Real
 * pipelines on the Docker engine, seeds platform, real bare repo.
 */
class CacheIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");

    @TempDir
    Path tmp;

    private StateRepo repo;
    private Path platform;

    @BeforeEach
    void firstPass() throws Exception {
        repo = StateRepo.bare(tmp);
        platform = Trees.copy(SEEDS, tmp.resolve("seeds"));
        StateRepo.Run first = repo.kbr(platform, "apply");
        assertThat(first.exitCode()).as(first.out()).isZero();
        assertThat(ran(first)).hasSize(10);
    }

    /** The pipelines that ran, as {@code <object> <workflow> <pipeline>}. */
    private static List<String> ran(StateRepo.Run run) {
        return run.out()
                .lines()
                .filter(l -> l.startsWith("  ok     ") || l.startsWith("  FAILED "))
                .map(l -> l.substring(9, l.lastIndexOf(" (")))
                .toList();
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = platform.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }

    @Test
    void anUnchangedPlatformRunsNoPipelineAndCommitsNothing() throws Exception {
        String head = repo.git("rev-parse", "main");
        StateRepo.Run second = repo.kbr(platform, "apply");
        assertThat(second.exitCode()).as(second.out()).isZero();
        assertThat(ran(second)).isEmpty();
        assertThat(second.out())
                .contains("cached redis/default/example-redis")
                .contains("cached postgresql/default/todoer-db");
        assertThat(repo.git("rev-parse", "main")).isEqualTo(head);
    }

    @Test
    void aSpecChangeRunsExactlyThatRequestsPipelines() throws Exception {
        edit("requests/redis.yaml", "size: small", "size: large");
        StateRepo.Run second = repo.kbr(platform, "apply");
        assertThat(second.exitCode()).as(second.out()).isZero();
        assertThat(ran(second)).containsExactly("redis/default/example-redis resource.configure instance-configure");
        assertThat(second.out()).contains("instance-configure (").contains(", input changed)");
    }

    @Test
    void aPromiseChangeRunsThatPromiseAndItsRequestsOnly() throws Exception {
        edit(
                "promises/redis/promise.yaml",
                "          - name: redis-configure-pipeline",
                "          - name: redis-configure");
        StateRepo.Run second = repo.kbr(platform, "apply");
        assertThat(second.exitCode()).as(second.out()).isZero();
        assertThat(ran(second))
                .containsExactly(
                        "Promise redis promise.configure promise-configure",
                        "redis/default/example-redis resource.configure instance-configure");
    }

    @Test
    void aNewManualReconciliationValueRunsThatRequestOnce() throws Exception {
        edit(
                "requests/jenkins.yaml",
                "  name: example\n",
                "  name: example\n  labels:\n    kratix.io/manual-reconciliation: \"1\"\n");
        StateRepo.Run second = repo.kbr(platform, "apply");
        assertThat(ran(second)).containsExactly("jenkins/default/example resource.configure instance-configure");
        assertThat(second.out()).contains("kratix.io/manual-reconciliation is 1");
        assertThat(ran(repo.kbr(platform, "apply")))
                .as("the same value again is not new")
                .isEmpty();
    }

    @Test
    void anElapsedIntervalRunsTheWorkflowsOfThatPromise() throws Exception {
        edit(
                "promises/redis/promise.yaml",
                "  name: redis\n",
                "  name: redis\n  annotations:\n    kratix.io/reconciliation-interval: 1h\n");
        // The annotation is metadata, not spec: adding it re-runs nothing by itself.
        assertThat(ran(repo.kbr(platform, "apply"))).isEmpty();
        edit(
                "promises/redis/promise.yaml",
                "kratix.io/reconciliation-interval: 1h",
                "kratix.io/reconciliation-interval: 1s");
        Thread.sleep(1_500);
        StateRepo.Run later = repo.kbr(platform, "apply");
        assertThat(ran(later))
                .containsExactly(
                        "Promise redis promise.configure promise-configure",
                        "redis/default/example-redis resource.configure instance-configure");
        assertThat(later.out()).contains("reconciliation interval PT1S elapsed");
    }

    @Test
    void aChangedImageReferenceRunsItsPipeline() throws Exception {
        Processes.check(
                tmp, "docker", "tag", "kbr.local/jenkins-pipeline:v0.1.0", "kbr.local/jenkins-pipeline:cache-it");
        try {
            Path promise = platform.resolve("promises/jenkins/promise.yaml");
            String text = Files.readString(promise);
            int resource = text.indexOf("resource:");
            Files.writeString(
                    promise,
                    text.substring(0, resource)
                            + text.substring(resource)
                                    .replace(
                                            "kbr.local/jenkins-pipeline:v0.1.0",
                                            "kbr.local/jenkins-pipeline:cache-it"));
            StateRepo.Run second = repo.kbr(platform, "apply");
            assertThat(second.exitCode()).as(second.out()).isZero();
            assertThat(ran(second))
                    .containsExactly(
                            "Promise jenkins promise.configure promise-configure",
                            "jenkins/default/example resource.configure instance-configure");
        } finally {
            Processes.run(tmp, List.of("docker", "rmi", "kbr.local/jenkins-pipeline:cache-it"));
        }
    }

    @Test
    void reconcileAllRunsEverything() throws Exception {
        assertThat(ran(repo.kbr(platform, "apply", "--reconcile-all"))).hasSize(10);
    }
}
