package dev.kbr.engine;

import dev.kbr.load.PlatformLoader;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.report.Notice;
import dev.kbr.report.PassError;
import dev.kbr.report.RunReport;
import dev.kbr.state.StaleStateException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One kbr pass over a platform repo (DESIGN.md §2): load, validate, run every workflow's
 * pipelines, schedule their outputs onto Destinations, render Kratix's state-store layout, diff
 * each state store against it, and (for {@code apply}) commit each store once.
 *
 * <p>A failing pipeline, an invalid request or an unavailable Promise keeps what the object
 * delivered before (from kbr's records); other objects carry on. Objects gone from the platform
 * are pruned only when every input file parsed and nothing was kept, so a broken pass never
 * deletes.
 */
public final class Reconciler {
    private final PipelineRunner runner;
    private final StateStoreOpener opener;
    private final Clock clock;
    private final PassListener listener;

    /**
     * @param runner runs pipeline containers
     * @param opener opens state stores
     * @param clock the time conditions are stamped with when they change
     */
    public Reconciler(PipelineRunner runner, StateStoreOpener opener, Clock clock) {
        this(runner, opener, clock, PassListener.NONE);
    }

    /**
     * @param runner runs pipeline containers
     * @param opener opens state stores
     * @param clock the time conditions are stamped with when they change
     * @param listener hears pipelines start and end, cached objects and pushes as they happen
     *     (called from several threads)
     */
    public Reconciler(PipelineRunner runner, StateStoreOpener opener, Clock clock, PassListener listener) {
        this.runner = runner;
        this.opener = store -> new ObservedStateStore(opener.open(store), listener);
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Runs one pass. When a state store refuses the change set because it moved since it was read
     * (another writer), that store is read again and the pass recomputed against it, reusing the
     * pipeline results it already has, up to {@code --push-retries} times with jittered backoff;
     * stores already written are not written again. Each retry is a notice; giving
     * up is an error naming the store.
     *
     * @return the report; failures inside the pass are in it, never thrown
     * @throws IOException when the platform folder cannot be read at all, or the pipeline runtime
     *     cannot be reached ({@link PipelineRunner#awaitReady()}, waited for once the platform is
     *     loaded, so a runner connecting in the background overlaps the load)
     * @throws InterruptedException when interrupted while a pipeline runs
     */
    public RunReport run(PassOptions options) throws IOException, InterruptedException {
        PlatformLoader.Result loaded = options.platform().load();
        runner.awaitReady();
        PassAttempts attempts =
                new PassAttempts(clock.instant(), options.platform().origin());
        try {
            for (int retry = 0; ; retry++) {
                Pass.Attempted attempt = new Pass(options, loaded, attempts, runner, opener, listener).run();
                RunReport report = attempt.report();
                Map<String, StaleStateException> rejected = attempt.rejected();
                attempts.runs.addAll(report.pipelineRuns());
                if (rejected.isEmpty()) {
                    return attempts.finish(report, List.of());
                }
                if (retry == options.pushRetries()) {
                    List<PassError> exhausted = new ArrayList<>();
                    rejected.forEach((name, e) -> exhausted.add(new PassError(
                            PassError.Area.STATE_STORE,
                            name,
                            PushRetry.exhausted(
                                    name, attempts.stores.get(name).store().location(), e, options.pushRetries()))));
                    return attempts.finish(report, exhausted);
                }
                int next = retry + 1;
                rejected.forEach((name, e) -> attempts.retries.add(new Notice(
                        Notice.Topic.RETRY,
                        name,
                        PushRetry.retrying(
                                name, attempts.stores.get(name).store().location(), e, next, options.pushRetries()))));
                report.stores().stream()
                        .filter(s -> !rejected.containsKey(s.name()))
                        .forEach(s -> attempts.settled.put(s.name(), s));
                Thread.sleep(PushRetry.delay(next, attempts.jitter).toMillis());
                for (String name : rejected.keySet()) {
                    Optional<PassError> failure = attempts.readAgain(name);
                    if (failure.isPresent()) {
                        return attempts.finish(report, List.of(failure.get()));
                    }
                }
            }
        } finally {
            attempts.closeStores();
        }
    }
}
