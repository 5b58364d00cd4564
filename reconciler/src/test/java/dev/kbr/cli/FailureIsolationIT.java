package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.StateRepo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure isolation (issue 5) on one run, on the real Docker engine: a failing pipeline keeps
 * its object's previously delivered files, the other objects are applied in the same commit, the
 * run exits 1, and the report shows the failed pipeline's log.
 */
class FailureIsolationIT {
    @TempDir
    Path tmp;

    @Test
    void aFailingPipelineKeepsItsFilesWhileTheOthersAreApplied() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), "");
        platform.request("broken", "{colour: blue}").request("healthy", "{colour: blue}");
        StateRepo.Run first = repo.kbr(platform.dir(), "apply");
        assertThat(first.exitCode()).as(first.out()).isZero();
        String brokenBefore = repo.show(ThingsPlatform.out("broken", "cm.yaml"));
        String headBefore = repo.git("rev-parse", "main").strip();

        platform.request("broken", "{colour: red, fail: true}").request("healthy", "{colour: green}");
        StateRepo.Run apply = repo.kbr(platform.dir(), "apply");

        int exit = apply.exitCode();
        boolean kept = repo.show(ThingsPlatform.out("broken", "cm.yaml")).equals(brokenBefore);
        boolean applied = repo.show(ThingsPlatform.out("healthy", "cm.yaml")).contains("colour: green");
        boolean logs = apply.out().contains("| boom from broken");
        assertThat(exit).as(apply.out()).isEqualTo(Main.ERROR);
        assertThat(apply.out())
                .contains("FAILED things/team-a/broken resource.configure make")
                .contains("exited with code 7")
                .contains("ok     things/team-a/healthy resource.configure make");
        assertThat(logs)
                .as("the pipeline's log is in the report: " + apply.out())
                .isTrue();
        assertThat(kept).as("the failed object keeps what it delivered").isTrue();
        assertThat(applied).as("the other object is applied").isTrue();
        assertThat(repo.git("rev-parse", "main").strip()).isNotEqualTo(headBefore);
        assertThat(repo.git("rev-list", "--count", headBefore + "..main").strip())
                .as("one commit for the pass")
                .isEqualTo("1");
        System.out.println("FailureIsolationIT: objects=2 failed=1 exit=" + exit + " failed-object-files-kept=" + kept
                + " other-objects-applied=" + applied + " pipeline-log-in-report=" + logs);
    }
}
