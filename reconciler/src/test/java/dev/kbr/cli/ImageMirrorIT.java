package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --image-mirror} with the real Docker engine: the seeds' redis Promise names {@code
 * kbr.local/redis-pipeline}, which is tagged under a mirror name only this test uses; no registry
 * is reachable, so a run succeeds only when the rewritten image is the one run.
 */
class ImageMirrorIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");
    private static final String MIRROR =
            "mirror.local/kbr-it-" + ProcessHandle.current().pid();
    private static final String MIRRORED = MIRROR + "/redis-pipeline:v0.1.0";

    @TempDir
    Path tmp;

    private Path platform;

    @BeforeEach
    void redisOnlyPlatformAndMirrorTag() throws Exception {
        platform = tmp.resolve("platform");
        for (String file : new String[] {
            "destinations/worker-1.yaml",
            "destinations/platform-cluster.yaml",
            "state-stores/default.yaml",
            "promises/redis/promise.yaml",
            "requests/redis.yaml"
        }) {
            Path target = platform.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(SEEDS.resolve(file), target);
        }
        Processes.check(tmp, "docker", "tag", "kbr.local/redis-pipeline:v0.1.0", MIRRORED);
    }

    @AfterEach
    void removeMirrorTag() throws Exception {
        // Removes only this name; the kbr.local image keeps its own tag.
        Processes.check(tmp, "docker", "image", "rm", MIRRORED);
    }

    @Test
    void planRunsThePipelinesFromTheMirroredImages() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);

        StateRepo.Run plan = repo.kbr(platform, "plan", "--image-mirror", "kbr.local=" + MIRROR);

        assertThat(plan.exitCode()).as(plan.out()).isZero();
        assertThat(plan.out()).contains("redis-failover.yaml").contains("redis-operator.yaml");
    }

    @Test
    void aMirrorWithoutTheImageFailsNamingTheRewrittenImage() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);
        // A registry on 127.0.0.1 where nothing listens: the engine's pull fails at once and no
        // lookup or connection leaves the machine.
        String absent = "127.0.0.1:9/absent-" + ProcessHandle.current().pid();

        StateRepo.Run plan = repo.kbr(platform, "plan", "--image-mirror", "kbr.local=" + absent);

        assertThat(plan.exitCode()).as(plan.out()).isEqualTo(1);
        assertThat(plan.out()).contains(absent + "/redis-pipeline:v0.1.0");
    }

    @Test
    void aValueWithoutEqualsIsAUsageError() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);

        StateRepo.Run plan = repo.kbr(platform, "plan", "--image-mirror", "kbr.local");

        assertThat(plan.exitCode()).isEqualTo(1);
        assertThat(plan.out())
                .contains("Invalid value for option '--image-mirror'")
                .contains("has no '='; give FROM=TO");
    }
}
