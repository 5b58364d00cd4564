package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kbr plan --explain} through the real CLI, on the seeds platform with the real Docker
 * engine and a real bare state repository: the printed plan names every object's decision before
 * any pipeline runs, and the pipelines that then run are exactly those the plan said.
 */
class PlanExplainIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");

    @TempDir
    Path tmp;

    @Test
    void thePrintedPlanSaysWhatRunsAndWhatIsCachedBeforeAnythingRuns() throws Exception {
        StateRepo repo = StateRepo.bare(Files.createDirectories(tmp.resolve("state")));
        Path platform = Trees.copy(SEEDS, tmp.resolve("platform"));

        StateRepo.Run first = repo.kbr(platform, "plan", "--explain");
        assertThat(first.exitCode()).as(first.out()).isZero();
        String out = first.out();
        assertThat(out).contains("Plan (decided before any pipeline ran):", "  Promise redis: run (new)");
        assertThat(out.indexOf("Plan (decided before any pipeline ran):"))
                .as("the plan comes before the report")
                .isLessThan(out.indexOf("Plan: "));
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();

        Path request = platform.resolve("requests/redis.yaml");
        Files.writeString(request, Files.readString(request).replace("size: small", "size: large"));
        StateRepo.Run second = repo.kbr(platform, "plan", "--explain");
        assertThat(second.exitCode()).as(second.out()).isZero();
        assertThat(second.out())
                .contains("  Promise redis: cached")
                .contains("default/example-redis: run (input changed)")
                .containsPattern("ok +redis/default/example-redis resource\\.configure .*input changed")
                .doesNotContainPattern("ok +Promise redis promise\\.configure");
    }
}
