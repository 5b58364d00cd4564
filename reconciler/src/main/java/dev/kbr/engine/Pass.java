package dev.kbr.engine;

import dev.kbr.engine.ObjectWorkflows.ObjectResult;
import dev.kbr.engine.ObjectWorkflows.PromiseState;
import dev.kbr.execute.ConfigMaps;
import dev.kbr.execute.PipelineServices;
import dev.kbr.execute.WorkflowExecutor;
import dev.kbr.load.PlatformLoader;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.plan.DeletionPlan;
import dev.kbr.plan.PassPlan;
import dev.kbr.report.Notice;
import dev.kbr.report.PassError;
import dev.kbr.report.RunReport;
import dev.kbr.report.StoreReport;
import dev.kbr.state.StaleStateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One attempt of a pass, as a script of phases (docs/architecture.md): read the state stores,
 * plan every object's decision ({@link PassPlan}), configure the Promises level by level, then the resource requests wave by wave, delete what is
 * gone, and render, diff and commit each store. Each phase returns a value the next one reads;
 * the parallel tasks of a level or wave each return their own {@link ObjectResult}, folded here
 * in task order on this thread.
 */
final class Pass {
    /**
     * What an attempt gave.
     *
     * @param report the attempt's report
     * @param rejected the stores that refused the commit because they moved since they were read
     */
    record Attempted(RunReport report, Map<String, StaleStateException> rejected) {}

    private final PassOptions options;
    private final PlatformLoader.Result loaded;
    private final PassAttempts attempts;
    private final PipelineRunner runner;
    private final StateStoreOpener opener;
    private final PassListener listener;
    private final ExecutorService pool;

    Pass(
            PassOptions options,
            PlatformLoader.Result loaded,
            PassAttempts attempts,
            PipelineRunner runner,
            StateStoreOpener opener,
            PassListener listener) {
        this.options = options;
        this.loaded = loaded;
        this.attempts = attempts;
        this.runner = runner;
        this.opener = opener;
        this.listener = listener;
        this.pool = Executors.newFixedThreadPool(options.parallelism(), runnable -> {
            Thread thread = new Thread(runnable, "kbr-pipeline");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs the attempt; the pipeline threads stop when it ends. */
    Attempted run() throws InterruptedException {
        try {
            return attempt();
        } finally {
            pool.shutdownNow();
        }
    }

    private Attempted attempt() throws InterruptedException {
        PassLog log = new PassLog();
        log.diagnostics.addAll(loaded.diagnostics());
        Platform loadedPlatform = loaded.platform();
        if (loadedPlatform.promises().isEmpty()
                && loadedPlatform.destinations().isEmpty()
                && loadedPlatform.stateStores().isEmpty()) {
            // Fail closed: a wrong --platform folder must never look like "everything was removed".
            log.errors.add(new PassError(
                    PassError.Area.PLATFORM,
                    "",
                    "platform " + options.platform().origin() + " holds no Promise, Destination or"
                            + " GitStateStore (" + loaded.files().size() + " YAML file(s) read), so no state"
                            + " store was read or written; pass the folder holding your Kratix documents with"
                            + " --platform"));
            return done(log, List.of(), Map.of());
        }
        StoreReading.Result reading =
                new StoreReading(opener).read(loadedPlatform, options.stateUrls(), attempts.stores);
        log.append(reading.log());
        if (reading.read().isEmpty()) {
            return done(log, List.of(), Map.of());
        }
        StoresRead stores = reading.read().get();
        Platform platform = reading.platform();
        if (stores.stores().isEmpty() && (!loaded.filesWithErrors().isEmpty() || stores.destinationsDropped())) {
            // Nothing could be written, and without the records every object looks new: running
            // pipelines would only waste time.
            log.notices.add(new Notice(
                    Notice.Topic.PASS,
                    "",
                    "no state store is usable in this pass, so no pipeline runs; fix the errors above"));
            return done(log, List.of(), Map.of());
        }
        Planning.Planned planned =
                Planning.plan(options, platform, loaded, stores, attempts.now, pool, log.hasInputErrors());
        PassPlan plan = planned.plan();
        listener.planned(plan);
        java.util.SortedSet<ObjectKey> createdThroughApi;
        Execution built;
        log.diagnostics.addAll(plan.intervalWarnings());
        log.diagnostics.addAll(planned.promiseDiagnostics());
        log.diagnostics.addAll(plan.order().cycles());
        PassApi.Served served = new PassApi.Served(platform, stores, loaded.configMaps(), attempts.now);
        try (PassApi api = PassApi.start(options, planned, served, log)) {
            WorkflowExecutor executor = new WorkflowExecutor(
                    new PipelineServices(
                            runner,
                            options.secrets(),
                            ConfigMaps.of(loaded.configMaps()),
                            options.pipelineTimeout(),
                            api.api(),
                            options.pipelineMode()),
                    listener,
                    attempts.now,
                    attempts.attempted());
            ObjectWorkflows workflows =
                    new ObjectWorkflows(platform, loaded.filesWithErrors(), stores, attempts.now, executor, planned);
            Execution.Builder execution = new Execution.Builder(stores);
            Set<ObjectKey> handled = new HashSet<>();
            Map<String, PromiseState> promises = new HashMap<>();
            configurePromises(platform, plan, workflows, log, execution, handled, promises);
            Map<String, PromiseState> available = Map.copyOf(promises);
            RequestWaves.Tasks tasks = new RequestWaves.Tasks() {
                @Override
                public List<ObjectResult> run(List<ResourceRequest> requests) throws InterruptedException {
                    return inParallel(requests, request -> workflows.request(request, available));
                }

                @Override
                public void fold(ObjectResult result) {
                    Pass.this.fold(result, log, execution);
                }
            };
            new RequestWaves(
                            tasks,
                            log,
                            execution,
                            handled,
                            api,
                            new RequestWaves.Limits(options.maxRequestDepth(), attempts.now))
                    .run(platform.requests());
            api.deleted().forEach(key -> {
                handled.remove(key);
                execution.forget(key);
            });
            // Kratix checks kratix.io/paused before a deletion: a paused object waits, all kept.
            plan.pausedGone(handled).forEach((key, why) -> {
                if (!execution.keptObjects().contains(key)) {
                    log.notices.add(new Notice(Notice.Topic.HELD, key.toString(), key + " is gone but " + why));
                    execution.add(new ObjectOutcome.Held(key));
                }
            });
            DeletionPlan deletions = plan.deletions(handled, execution.keptObjects(), log.hasInputErrors());
            Deleting deleting = new Deleting(platform, stores, executor, plan, attempts.now);
            Deleting.Result deleted = deleting.carryOut(deletions);
            fold(deleted, log, execution);
            // Requests that delete pipelines deleted through the API go in a second round.
            List<ResourceRequest> createdByDeletes = api.fold(deleted.apiChanges(), "delete pipelines", log);
            List<ObjectKey> alsoGone = new ArrayList<>();
            for (ObjectKey key : api.deleted()) {
                if (handled.remove(key)) {
                    execution.forget(key);
                    if (stores.previousObjects().containsKey(key)) {
                        alsoGone.add(key);
                    }
                }
            }
            if (!alsoGone.isEmpty() && deletions instanceof DeletionPlan.Delete) {
                fold(deleting.carryOut(new DeletionPlan.Delete(alsoGone, List.of())), log, execution);
            }
            if (!createdByDeletes.isEmpty()) {
                log.notices.add(new Notice(
                        Notice.Topic.PLATFORM_API,
                        "",
                        createdByDeletes.size() + " request(s) created through the platform API by delete pipelines"
                                + " are reconciled by the next pass"));
            }
            createdThroughApi = api.createdThroughApi();
            built = execution.build();
        }
        StateRenderer.Rendered rendered = new StateRenderer(
                        options, stores, built, log.hasInputErrors(), attempts.now, createdThroughApi)
                .render();
        log.notices.addAll(rendered.notices());
        log.errors.addAll(rendered.errors());
        StoreCommits.Committed committed = new StoreCommits(options)
                .commit(rendered.stores(), rendered.refusal().isPresent(), attempts.settled);
        log.errors.addAll(committed.errors());
        return done(log, committed.stores(), committed.rejected());
    }

    /** Promises level by level: each level's Promises require only Promises of earlier levels. */
    private void configurePromises(
            Platform platform,
            PassPlan plan,
            ObjectWorkflows workflows,
            PassLog log,
            Execution.Builder execution,
            Set<ObjectKey> handled,
            Map<String, PromiseState> promises)
            throws InterruptedException {
        platform.promises().forEach(promise -> handled.add(ObjectKey.promise(promise.name())));
        for (List<Promise> level : plan.order().levels()) {
            Map<String, PromiseState> soFar = Map.copyOf(promises);
            List<ObjectResult> results = inParallel(level, promise -> workflows.promise(promise, soFar));
            for (int i = 0; i < level.size(); i++) {
                fold(results.get(i), log, execution);
                promises.put(level.get(i).name(), results.get(i).promiseState().orElseThrow());
            }
        }
    }

    private void fold(Deleting.Result deleted, PassLog log, Execution.Builder execution) {
        log.append(deleted.log());
        attempts.addAttempted(deleted.attempted());
        deleted.outcomes().forEach(execution::add);
    }

    private void fold(ObjectResult result, PassLog log, Execution.Builder execution) {
        log.append(result.log());
        execution.add(result.outcome());
        attempts.addAttempted(result.attempted());
    }

    /** One object's task. */
    @FunctionalInterface
    private interface Task<T> {
        ObjectResult run(T input) throws InterruptedException;
    }

    /** Runs {@code task} for every input on the pool; the results in input order. */
    private <T> List<ObjectResult> inParallel(List<T> inputs, Task<T> task) throws InterruptedException {
        listener.objectsQueued(inputs.size());
        List<Future<ObjectResult>> futures = new ArrayList<>();
        for (T input : inputs) {
            futures.add(pool.submit(() -> {
                try {
                    ObjectResult result = task.run(input);
                    result.log().cached.forEach(listener::cached);
                    return result;
                } finally {
                    listener.objectDone();
                }
            }));
        }
        List<ObjectResult> results = new ArrayList<>();
        try {
            for (Future<ObjectResult> future : futures) {
                results.add(future.get());
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("a pipeline task failed unexpectedly", cause);
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return results;
    }

    private Attempted done(PassLog log, List<StoreReport> stores, Map<String, StaleStateException> rejected) {
        RunReport report =
                new RunReport(options.apply(), log.diagnostics, log.runs, log.cached, log.notices, stores, log.errors);
        return new Attempted(report, Map.copyOf(rejected));
    }
}
