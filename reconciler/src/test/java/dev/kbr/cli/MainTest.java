package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private record Run(int code, String out) {}

    private static Run kbr(String... args) {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(out), args);
        return new Run(code, out.toString());
    }

    @Test
    void usageErrorsExitOneNotTwo() {
        Run run = kbr("plan");
        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.out()).contains("Missing required option: '--platform=DIR|URL'");
    }

    @Test
    void aMissingPlatformFolderIsAClearError(@TempDir Path tmp) {
        Run run =
                kbr("plan", "--platform", tmp.resolve("nope").toString(), "--docker-host", "unix:///nonexistent.sock");
        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.out()).startsWith("Error: platform folder ").doesNotContain("Exception");
    }

    @Test
    void anUnreachableDockerEngineIsOneClearErrorAndTheProgressSaysThePassStopped(@TempDir Path tmp) {
        Run run = kbr(
                "plan",
                "--platform",
                dev.kbr.testsupport.SharedFiles.repoRoot()
                        .resolve("fixtures/platforms/seeds")
                        .toString(),
                "--state-url",
                "default=" + tmp.resolve("state.git"),
                "--docker-host",
                "unix://" + tmp.resolve("no-engine.sock"));

        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.out())
                .contains("Error: Tried to ping the Docker engine but the Docker engine at unix://" + tmp)
                .contains("kbr plan: stopped after ")
                .doesNotContain("finished in")
                .doesNotContain("\tat ");
    }

    @Test
    void rejectsDurationsItCannotRead() {
        Run run = kbr("plan", "--platform", ".", "--pipeline-timeout", "ten minutes");
        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.out()).contains("write it like 90s, 10m or 1h30m");
    }

    @Test
    void pushRetriesMustBeAWholeNumberNotBelowZero(@TempDir Path tmp) {
        Run negative = kbr("apply", "--platform", tmp.toString(), "--push-retries", "-1");
        assertThat(negative.code()).isEqualTo(Main.ERROR);
        assertThat(negative.out())
                .contains("--push-retries must be 0 or more, not -1")
                .doesNotContain("Exception");
        Run word = kbr("apply", "--platform", tmp.toString(), "--push-retries", "many");
        assertThat(word.code()).isEqualTo(Main.ERROR);
        assertThat(word.out()).contains("--push-retries").contains("many").doesNotContain("Exception");
    }

    @Test
    void parsesGoStyleDurations() {
        assertThat(new DurationConverter().convert("1h30m")).hasMinutes(90);
        assertThat(new DurationConverter().convert("90s")).hasSeconds(90);
    }
}
