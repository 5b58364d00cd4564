package dev.kbr.engine;

import dev.kbr.execute.PipelineAttempt;
import dev.kbr.model.PlatformOrigin;
import dev.kbr.report.Notice;
import dev.kbr.report.PassError;
import dev.kbr.report.PipelineRun;
import dev.kbr.report.RunReport;
import dev.kbr.report.StoreReport;
import dev.kbr.state.Records;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.layout.RecordsFormat;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * What the attempts of one pass share when a push is refused because the store moved
 * (compare-and-swap): the stores opened once, the pipelines already run (so a retry recomputes
 * the change set on the new head without running them again), the stores already committed
 * (never committed twice), and the retries made. Used by the pass's own thread only.
 */
final class PassAttempts {
    /** One instant for every attempt, so records and conditions are the same in each. */
    final Instant now;

    final Map<String, StoreContext> stores = new TreeMap<>();
    final Map<String, StoreReport> settled = new TreeMap<>();
    final List<Notice> retries = new ArrayList<>();
    /** Every pipeline run of every attempt, each once (a result reused is not run again). */
    final List<PipelineRun> runs = new ArrayList<>();

    final RandomGenerator jitter = new SplittableRandom();
    private final PlatformOrigin origin;
    private final Map<String, PipelineAttempt> attempted = new TreeMap<>();

    PassAttempts(Instant now, PlatformOrigin origin) {
        this.now = now;
        this.origin = origin;
    }

    /** The pipelines run by earlier attempts, by {@link dev.kbr.execute.WorkflowExecutor#attemptKey}. */
    Map<String, PipelineAttempt> attempted() {
        return Map.copyOf(attempted);
    }

    /** Adds the pipelines an attempt ran. */
    void addAttempted(Map<String, PipelineAttempt> more) {
        attempted.putAll(more);
    }

    /** Reads a store that refused a push again; the error line when it cannot be read. */
    Optional<PassError> readAgain(String name) {
        StoreContext ctx = stores.get(name);
        try {
            StateSnapshot snapshot = ctx.store().read();
            Records records = RecordsFormat.read(snapshot, ctx.model().path());
            stores.put(name, new StoreContext(ctx.model(), ctx.store(), snapshot, records));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new PassError(
                    PassError.Area.STATE_STORE,
                    name,
                    "Tried to read state store " + name + " ("
                            + ctx.store().location().qualifier()
                            + ") again after it refused a push, but it failed: " + e.getMessage()
                            + "; nothing was written to it, run kbr apply again"));
        }
    }

    /**
     * The last attempt's report with the pipeline runs of every attempt, the retries among its
     * notices and {@code errors} added.
     */
    RunReport finish(RunReport report, List<PassError> errors) {
        List<Notice> notices = new ArrayList<>(report.notices());
        notices.addAll(retries);
        List<PassError> allErrors = new ArrayList<>(report.errors());
        allErrors.addAll(errors);
        return new RunReport(
                        report.applied(),
                        report.diagnostics(),
                        runs,
                        report.cached(),
                        notices,
                        report.stores(),
                        allErrors)
                .withPlatform(origin);
    }

    void closeStores() {
        for (StoreContext ctx : stores.values()) {
            try {
                ctx.store().close();
            } catch (IOException e) {
                // A scratch folder left behind is not worth failing the pass for; the next run
                // removes it (see dev.kbr.run.TempFolders).
            }
        }
    }
}
