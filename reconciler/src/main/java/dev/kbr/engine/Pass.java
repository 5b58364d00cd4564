package dev.kbr.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.engine.ObjectWorkflows.ObjectResult;
import dev.kbr.engine.ObjectWorkflows.PromiseState;
import dev.kbr.execute.PipelineServices;
import dev.kbr.execute.WorkflowExecutor;
import dev.kbr.load.PlatformLoader;
import dev.kbr.model.Diagnostic;
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
import java.util.Optional;
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
                    new PipelineServices(runner, options.secrets(), options.pipelineTimeout(), api.api()),
                    listener,
                    attempts.now,
                    attempts.attempted());
            ObjectWorkflows workflows =
                    new ObjectWorkflows(platform, loaded.filesWithErrors(), stores, attempts.now, executor, planned);
            Execution.Builder execution = new Execution.Builder(stores);
            Set<ObjectKey> handled = new HashSet<>();
            Map<String, PromiseState> promises = new HashMap<>();
            configurePromises(platform, plan, workflows, log, execution, handled, promises);
            Waves waves = new Waves(workflows, log, execution, handled, api);
            waves.run(platform, Map.copyOf(promises));
            api.deleted().forEach(key -> {
                handled.remove(key);
                execution.forget(key);
            });
            DeletionPlan deletions = plan.deletions(handled, execution.keptObjects(), log.hasInputErrors());
            Deleting deleting = new Deleting(platform, stores, executor, plan);
            Deleting.Result deleted = deleting.carryOut(deletions);
            fold(deleted, log, execution);
            // Requests that delete pipelines deleted through the API go in a second round.
            List<ResourceRequest> none = api.fold(deleted.apiChanges(), "delete pipelines", log);
            List<ObjectKey> alsoGone = api.deleted().stream()
                    .filter(handled::remove)
                    .peek(execution::forget)
                    .filter(stores.previousObjects()::containsKey)
                    .toList();
            if (!alsoGone.isEmpty() && deletions instanceof DeletionPlan.Delete) {
                fold(deleting.carryOut(new DeletionPlan.Delete(alsoGone, List.of())), log, execution);
            }
            if (!none.isEmpty()) {
                log.notices.add(new Notice(
                        Notice.Topic.PLATFORM_API,
                        "",
                        none.size() + " request(s) created through the platform API by delete pipelines are"
                                + " reconciled by the next pass"));
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

    /** A request to reconcile, how deep it nests, and the request whose pipeline produced it. */
    private record Queued(ResourceRequest request, int depth, Optional<ObjectKey> producer) {
        ObjectKey key() {
            return ObjectKey.request(request.promiseName(), request.namespace(), request.name());
        }
    }

    /** How many times one pass re-runs a workflow that waits for its sub-requests. */
    static final int MAX_WAIT_ROUNDS = 5;

    /**
     * Requests in waves: the platform's requests (and those created through the platform API in
     * earlier passes), then the sub-requests their pipelines produced or created through the API,
     * and so on; within a wave, requests run in parallel. The platform API serves each wave the
     * objects as the waves before it left them. A request whose workflow suspended after producing
     * sub-requests (a compound Promise waiting for them, as app-stack does) runs again once they were
     * reconciled and their status changed, at most {@link #MAX_WAIT_ROUNDS} times.
     */
    private final class Waves {
        private final ObjectWorkflows workflows;
        private final PassLog log;
        private final Execution.Builder execution;
        private final Set<ObjectKey> handled;
        private final PassApi api;
        /** Each sub-request's producer, and each producer's sub-requests with their status then. */
        private final Map<ObjectKey, ObjectKey> producedBy = new HashMap<>();

        private final Map<ObjectKey, Queued> suspendedParents = new java.util.LinkedHashMap<>();
        private final Map<ObjectKey, Map<ObjectKey, String>> childStatusAtRun = new HashMap<>();

        Waves(
                ObjectWorkflows workflows,
                PassLog log,
                Execution.Builder execution,
                Set<ObjectKey> handled,
                PassApi api) {
            this.workflows = workflows;
            this.log = log;
            this.execution = execution;
            this.handled = handled;
            this.api = api;
        }

        void run(Platform platform, Map<String, PromiseState> promises) throws InterruptedException {
            List<Queued> wave = new ArrayList<>();
            platform.requests().forEach(r -> wave.add(new Queued(r, 0, Optional.empty())));
            api.recordedRequests(log).forEach(r -> wave.add(new Queued(r, 0, Optional.empty())));
            for (int round = 0; ; round++) {
                while (!wave.isEmpty()) {
                    List<Queued> next = runWave(wave, promises);
                    wave.clear();
                    wave.addAll(next);
                }
                List<Queued> again = parentsToRunAgain();
                if (again.isEmpty()) {
                    break;
                }
                if (round == MAX_WAIT_ROUNDS) {
                    again.forEach(q -> log.notices.add(new Notice(
                            Notice.Topic.WORKFLOW,
                            q.key().toString(),
                            q.request().displayName() + " still waits for its sub-requests after " + MAX_WAIT_ROUNDS
                                    + " runs in this pass; the next pass runs it again")));
                    break;
                }
                for (Queued parent : again) {
                    handled.remove(parent.key());
                    execution.forget(parent.key());
                    log.notices.add(new Notice(
                            Notice.Topic.WORKFLOW,
                            parent.key().toString(),
                            parent.request().displayName() + " runs again in this pass: the sub-requests it waits for"
                                    + " were reconciled"));
                    wave.add(parent);
                }
            }
            api.publish(execution.objectsAsCommitted(attempts.now));
        }

        /** Runs one wave; returns the next. */
        private List<Queued> runWave(List<Queued> wave, Map<String, PromiseState> promises)
                throws InterruptedException {
            api.publish(execution.objectsAsCommitted(attempts.now));
            List<Queued> tasks = new ArrayList<>();
            for (Queued next : wave) {
                ResourceRequest request = next.request();
                if (handled.add(next.key())) {
                    tasks.add(next);
                } else if (next.producer().isEmpty()
                        || !next.producer().equals(Optional.ofNullable(producedBy.get(next.key())))) {
                    log.diagnostics.add(Diagnostic.error(
                            request.location(),
                            "metadata.name",
                            "resource request " + request.displayName()
                                    + " is produced more than once in this pass; give each request a unique name"));
                }
                // Else its producer ran again and produced it again: it was reconciled already.
            }
            List<ObjectResult> results = inParallel(tasks, q -> workflows.request(q.request(), promises));
            List<Queued> following = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                Queued task = tasks.get(i);
                ObjectResult result = results.get(i);
                fold(result, log, execution);
                List<ResourceRequest> produced = new ArrayList<>(result.subRequests());
                for (ResourceRequest written :
                        api.fold(result.apiChanges(), task.request().displayName() + "'s pipelines", log)) {
                    ObjectKey key = ObjectKey.request(written.promiseName(), written.namespace(), written.name());
                    // Updated after its workflow ran this pass: it runs again with the update.
                    if (handled.remove(key)) {
                        execution.forget(key);
                    }
                    produced.add(written);
                }
                int depth = task.depth() + 1;
                Map<ObjectKey, String> children = new HashMap<>();
                for (ResourceRequest sub : produced) {
                    Queued child = new Queued(sub, depth, Optional.of(task.key()));
                    if (depth > options.maxRequestDepth()) {
                        log.diagnostics.add(Diagnostic.error(
                                sub.location(),
                                "",
                                "compound Promises nest deeper than " + options.maxRequestDepth()
                                        + " levels; check for a cycle"));
                        continue;
                    }
                    producedBy.putIfAbsent(child.key(), task.key());
                    api.produced(sub);
                    children.put(child.key(), statusOf(child.key()));
                    following.add(child);
                }
                suspendedParents.remove(task.key());
                if (!children.isEmpty()
                        && result.outcome() instanceof ObjectOutcome.Ran ran
                        && ran.workflow() instanceof dev.kbr.execute.WorkflowOutcome.Suspended) {
                    suspendedParents.put(task.key(), task);
                    childStatusAtRun.put(task.key(), children);
                }
            }
            return following;
        }

        /** The suspended parents some of whose sub-requests' status changed since they ran. */
        private List<Queued> parentsToRunAgain() {
            List<Queued> again = new ArrayList<>();
            suspendedParents.forEach((key, parent) -> {
                boolean changed = childStatusAtRun.get(key).entrySet().stream()
                        .anyMatch(child -> !statusOf(child.getKey()).equals(child.getValue()));
                if (changed) {
                    again.add(parent);
                }
            });
            again.forEach(q -> suspendedParents.remove(q.key()));
            return again;
        }

        private String statusOf(ObjectKey key) {
            ObjectNode object = execution.objectsSoFar().get(key);
            return object == null ? "" : object.path("status").toString();
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
