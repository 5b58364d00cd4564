package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kbr plan --out FILE} then {@code kbr apply FILE} on the seeds platform against real bare
 * repos, with the real Docker engine for the plan: the saved plan commits exactly what was
 * planned without running pipelines, and is refused, with nothing written, when the state branch
 * or the platform moved in between, or when the file was edited.
 */
class SavedPlanIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");

    @TempDir
    Path tmp;

    @Test
    void aSavedPlanCommitsExactlyWhatADirectApplyWouldWithoutRunningPipelines() throws Exception {
        StateRepo repo = StateRepo.bare(Files.createDirectories(tmp.resolve("saved")));
        Path plan = tmp.resolve("plan.json");
        StateRepo.Run planned = repo.kbr(SEEDS, "plan", "--out", plan.toString(), "--detailed-exitcode");
        assertThat(planned.exitCode()).as(planned.out()).isEqualTo(Main.CHANGES);
        assertThat(planned.out()).contains("Saved the plan to " + plan);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(plan)))
                .isEqualTo("rw-------");
        assertThat(repo.git("for-each-ref")).as("a plan writes nothing").isEmpty();

        StateRepo.Run refused = applyPlan(repo, SEEDS, plan);
        assertThat(refused.exitCode()).as(refused.out()).isEqualTo(Main.ERROR);
        assertThat(refused.out()).contains("made with KRATIX_DRY_RUN=true");
        assertThat(repo.git("for-each-ref"))
                .as("a plan of dry-run outputs is not applied unasked")
                .isEmpty();
        StateRepo.Run applied = applyPlan(repo, SEEDS, plan, "--accept-dry-run-outputs");
        assertThat(applied.exitCode()).as(applied.out()).isZero();
        assertThat(applied.out()).contains("Apply complete: 44 added").doesNotContain("Pipelines:");

        StateRepo direct = StateRepo.bare(Files.createDirectories(tmp.resolve("direct")));
        assertThat(direct.kbr(SEEDS, "apply").exitCode()).isZero();
        assertThat(deliveredBlobs(repo)).isEqualTo(deliveredBlobs(direct)).isNotEmpty();
        assertThat(repo.tree()).isEqualTo(direct.tree());
        assertThat(repo.git("log", "-1", "--format=%B", "main")).contains("Platform: seeds");

        // The same plan again: its base is gone, so it is stale.
        StateRepo.Run again = applyPlan(repo, SEEDS, plan);
        assertThat(again.exitCode()).isEqualTo(Main.ERROR);
        assertThat(again.out()).contains("The saved plan is stale: state store default");
    }

    @Test
    void aPlanIsRefusedAfterTheStateBranchMovedAndNothingIsWritten() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);
        Path platform = Trees.copy(SEEDS, tmp.resolve("platform"));
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        Files.delete(platform.resolve("requests/redis.yaml"));
        Path plan = tmp.resolve("plan.json");
        assertThat(repo.kbr(platform, "plan", "--out", plan.toString()).exitCode())
                .isZero();

        // Someone else commits to the state branch after the plan.
        Path clone = tmp.resolve("clone");
        Processes.check(tmp, "git", "clone", "-q", repo.dir().toString(), clone.toString());
        Files.writeString(clone.resolve("README.md"), "hand edit\n");
        Processes.check(clone, "git", "add", "README.md");
        Processes.check(
                clone, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "hand");
        Processes.check(clone, "git", "push", "-q", "origin", "HEAD:main");
        String moved = repo.git("rev-parse", "main").strip();

        StateRepo.Run stale = applyPlan(repo, platform, plan);
        assertThat(stale.exitCode()).as(stale.out()).isEqualTo(Main.ERROR);
        assertThat(stale.out())
                .contains("The saved plan is stale: state store default (branch main) moved since the plan was made")
                .contains("now at " + moved)
                .contains("run kbr plan --out again");
        assertThat(repo.git("rev-parse", "main").strip()).as("nothing written").isEqualTo(moved);
    }

    @Test
    void aPlanIsRefusedAfterThePlatformChangedOrTheFileWasEdited() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);
        Path platform = Trees.copy(SEEDS, tmp.resolve("platform"));
        Path plan = tmp.resolve("plan.json");
        assertThat(repo.kbr(platform, "plan", "--out", plan.toString()).exitCode())
                .isZero();

        String edited = Files.readString(plan).replaceFirst("\"branch\" : \"main\"", "\"branch\" : \"other\"");
        Path tampered = tmp.resolve("tampered.json");
        Files.writeString(tampered, edited);
        StateRepo.Run refused = applyPlan(repo, platform, tampered);
        assertThat(refused.exitCode()).isEqualTo(Main.ERROR);
        assertThat(refused.out()).contains(tampered + " was changed after kbr plan wrote it");

        Path notAPlan = tmp.resolve("report.json");
        Files.writeString(notAPlan, "{\"apiVersion\": \"kbr.dev/report/v1\"}");
        assertThat(applyPlan(repo, platform, notAPlan).out()).contains("is not a saved plan of this kbr");

        StateRepo.Run combined = repo.run(List.of(
                "apply", plan.toString(), "--platform", platform.toString(), "--reconcile-all", "--parallelism", "1"));
        assertThat(combined.exitCode()).isEqualTo(Main.ERROR);
        assertThat(combined.out()).contains("--parallelism, --reconcile-all cannot be combined with a saved plan");

        Path request = platform.resolve("requests/redis.yaml");
        Files.writeString(request, Files.readString(request) + "\n# a comment\n", StandardCharsets.UTF_8);
        StateRepo.Run stale = applyPlan(repo, platform, plan);
        assertThat(stale.exitCode()).as(stale.out()).isEqualTo(Main.ERROR);
        assertThat(stale.out()).contains("The saved plan is stale: the platform changed since it was made");
        assertThat(repo.git("for-each-ref")).as("nothing written").isEmpty();
    }

    @Test
    void cachedOutputsMovedToAnotherFolderAreCommittedWithTheBytesTheStoreHolds() throws Exception {
        StateRepo repo = StateRepo.bare(Files.createDirectories(tmp.resolve("saved")));
        StateRepo direct = StateRepo.bare(Files.createDirectories(tmp.resolve("direct")));
        Path platform = Trees.copy(SEEDS, tmp.resolve("platform"));
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        assertThat(direct.kbr(platform, "apply").exitCode()).isZero();
        // A new Destination path: the resource requests' pipelines are cached, so their files are
        // read from the paths of the base version that hold them, and the saved plan carries the
        // bytes (a store need not copy content by id).
        Path worker = platform.resolve("destinations/worker-1.yaml");
        Files.writeString(worker, Files.readString(worker).replace("path: worker-1", "path: clusters/worker-1"));
        Path plan = tmp.resolve("plan.json");
        StateRepo.Run planned = repo.kbr(platform, "plan", "--out", plan.toString());
        assertThat(planned.exitCode()).as(planned.out()).isZero();
        assertThat(planned.out())
                .contains("cached redis/default/example-redis")
                .contains("+ clusters/worker-1/resources/default/redis/example-redis/");
        assertThat(Files.readString(plan)).doesNotContain("\"content\" : \"\"");

        // The Promises run again (their inputs include the Destinations); the requests are cached.
        StateRepo.Run applied = applyPlan(repo, platform, plan, "--accept-dry-run-outputs");
        assertThat(applied.exitCode()).as(applied.out()).isZero();
        assertThat(applied.out()).contains("committing outputs of 5 pipeline run(s)");
        assertThat(direct.kbr(platform, "apply").exitCode()).isZero();
        assertThat(deliveredBlobs(repo)).isEqualTo(deliveredBlobs(direct));
        assertThat(repo.tree()).anyMatch(p -> p.startsWith("clusters/worker-1/"));
        assertThat(repo.git("fsck", "--no-progress", "--strict")).doesNotContain("missing");
    }

    private static StateRepo.Run applyPlan(StateRepo repo, Path platform, Path plan, String... more) {
        List<String> args =
                new java.util.ArrayList<>(List.of("apply", plan.toString(), "--platform", platform.toString()));
        args.addAll(List.of(more));
        return repo.run(args);
    }

    /** Path to blob id of every delivered file ({@code .kbr/} records hold run times, so they differ). */
    private static SortedMap<String, String> deliveredBlobs(StateRepo repo) throws Exception {
        SortedMap<String, String> blobs = new TreeMap<>();
        for (String line : repo.git("ls-tree", "-r", "main").lines().toList()) {
            String[] parts = line.split("\\s+", 4);
            if (!parts[3].startsWith(".kbr/")) {
                blobs.put(parts[3], parts[2]);
            }
        }
        return blobs;
    }
}
