package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.report.PipelineRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StringWriter err = new StringWriter();

    private ProgressPrinter printer(boolean terminal) {
        return new ProgressPrinter(new PrintWriter(err), terminal, "plan", now::get);
    }

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static PipelineRun run(String description, boolean ok) {
        return new PipelineRun(description, "new", ok, ok ? "" : "container x exited 1", Duration.ZERO, List.of());
    }

    @Test
    void inALogItPrintsAtMostOneLineASecondThenAFinishLine() {
        ProgressPrinter p = printer(false);
        p.objectsQueued(3);
        p.pipelineStarted("a resource.configure one");
        p.pipelineStarted("b resource.configure one");
        advance(400);
        p.pipelineFinished(run("a resource.configure one", true));
        p.cached("c");
        p.objectDone();
        p.objectDone();
        advance(700);
        p.pipelineFinished(run("b resource.configure one", false));
        p.objectDone();
        p.written(
                new dev.kbr.state.StoreLocation(
                        "default", "GitStateStore", "/tmp/state.git", java.util.Optional.of("main")),
                "0123456789abcdef0123456789abcdef01234567");
        advance(900);
        p.tick();
        advance(65_000);
        p.close();
        assertThat(err.toString()).isEqualTo("""
                        kbr plan: 0/3 objects done, 0 running, 0 cached, 0 pipelines ran, 0 failed, 0s
                        kbr plan: 2/3 objects done, 0 running, 1 cached, 2 pipelines ran, 1 failed, 1s
                        pushed default 0123456789abcdef0123456789abcdef01234567
                        kbr plan: 3/3 objects done, 0 running, 1 cached, 2 pipelines ran, 1 failed, 2s
                        kbr plan: finished in 1m07s: 3/3 objects done, 0 running, 1 cached, 2 pipelines ran, 1 failed
                        """);
        assertThat(err.toString()).doesNotContain("\r");
    }

    @Test
    void onATerminalItRewritesOneLineAndKeepsPushLines() {
        ProgressPrinter p = printer(true);
        p.objectsQueued(1);
        advance(200);
        p.pipelineStarted("a resource.configure one");
        p.written(
                new dev.kbr.state.StoreLocation(
                        "default", "GitStateStore", "/tmp/state.git", java.util.Optional.of("main")),
                "abc");
        advance(50);
        p.pipelineFinished(run("a resource.configure one", true));
        p.objectDone();
        p.close();
        String text = err.toString();
        String erase = "\u001b[K";
        assertThat(text)
                .startsWith("\rkbr plan: 0/1 objects done, 0 running, 0 cached, 0 pipelines ran, 0 failed, 0s" + erase)
                .contains("\rpushed default abc" + erase + System.lineSeparator())
                .contains("\rkbr plan: 0/1 objects done, 1 running, 0 cached")
                .as("redrawn at most every 100 ms")
                .doesNotContain("1/1 objects done, 0 running, 0 cached, 1 pipelines ran, 0 failed, 0s")
                .endsWith("\rkbr plan: finished in 0s: 1/1 objects done, 0 running, 0 cached, 1 pipelines ran, 0 failed"
                        + erase + System.lineSeparator());
        // Every line but the push and the finish line is drawn over: only those two end a line.
        assertThat(text.split(System.lineSeparator(), -1)).hasSize(3);
    }

    @Test
    void aPipelineReportedAgainAsFailedCountsOnce() {
        ProgressPrinter p = printer(false);
        p.pipelineStarted("a resource.configure one");
        p.pipelineFinished(run("a resource.configure one", true));
        p.pipelineFinished(run("a resource.configure one", false));
        p.close();
        assertThat(err.toString())
                .contains("finished in 0s: 0/0 objects done, 0 running, 0 cached, 1 pipelines ran, 1 failed");
    }

    @Test
    void colourNeedsATerminalAndNoNoColor() {
        assertThat(new Environment(Map.of(), true).colour(false)).isTrue();
        assertThat(new Environment(Map.of(), true).colour(true))
                .as("--no-color")
                .isFalse();
        assertThat(new Environment(Map.of("NO_COLOR", "1"), true).colour(false)).isFalse();
        assertThat(new Environment(Map.of("NO_COLOR", ""), true).colour(false))
                .as("an empty NO_COLOR does not count (no-color.org)")
                .isTrue();
        assertThat(new Environment(Map.of(), false).colour(false)).isFalse();
    }
}
