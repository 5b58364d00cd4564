package dev.kbr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.load.PlatformLoader;
import dev.kbr.load.YamlDocument;
import dev.kbr.load.YamlReader;
import dev.kbr.model.Destination;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.GitStateStore;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.RequiredPromise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkflowAction;
import dev.kbr.model.WorkflowType;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.report.PipelineRun;
import dev.kbr.report.RunReport;
import dev.kbr.report.StoreReport;
import dev.kbr.schedule.DestinationSelectorsFile;
import dev.kbr.schedule.Work;
import dev.kbr.schedule.WorkloadGroup;
import dev.kbr.schedule.WorkloadGroups;
import dev.kbr.state.DestinationRecord;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.ObjectRecord;
import dev.kbr.state.RecordedWorkload;
import dev.kbr.state.Records;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import dev.kbr.state.WorkRecord;
import dev.kbr.state.layout.RecordsFormat;
import dev.kbr.validate.PromiseValidator;
import dev.kbr.validate.RequestValidator;
import dev.kbr.validate.SchemaCache;
import dev.kbr.validate.ValidationResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        this.opener = store -> new ObservedStateStore(store.name(), opener.open(store), listener);
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Runs one pass. When a state store refuses the commit because its branch moved since it was
     * read (another writer), that store is read again and the pass recomputed against it, reusing
     * the pipeline results it already has, up to {@code --push-retries} times with jittered
     * backoff; stores already committed are not committed again. Each retry is a notice; giving
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
        Attempts attempts = new Attempts(clock.instant(), options.platform().origin());
        try {
            for (int retry = 0; ; retry++) {
                Pass pass = new Pass(options, loaded, attempts);
                RunReport report;
                try {
                    report = pass.run();
                } finally {
                    pass.close();
                }
                attempts.runs.addAll(report.pipelineRuns());
                if (pass.rejected.isEmpty()) {
                    return attempts.finish(report, List.of());
                }
                if (retry == options.pushRetries()) {
                    List<String> exhausted = new ArrayList<>();
                    pass.rejected.forEach((name, e) -> exhausted.add(PushRetry.exhausted(
                            name, attempts.stores.get(name).model().branch(), e, options.pushRetries())));
                    return attempts.finish(report, exhausted);
                }
                int next = retry + 1;
                pass.rejected.forEach((name, e) -> attempts.retries.add(PushRetry.retrying(
                        name, attempts.stores.get(name).model().branch(), e, next, options.pushRetries())));
                report.stores().stream()
                        .filter(s -> !pass.rejected.containsKey(s.name()))
                        .forEach(s -> attempts.settled.put(s.name(), s));
                Thread.sleep(PushRetry.delay(next, attempts.jitter).toMillis());
                for (String name : pass.rejected.keySet()) {
                    Optional<String> failure = attempts.readAgain(name);
                    if (failure.isPresent()) {
                        return attempts.finish(report, List.of(failure.get()));
                    }
                }
            }
        } finally {
            attempts.closeStores();
        }
    }

    /**
     * What the attempts of one pass share when a push is refused because the store moved
     * (compare-and-swap): the stores opened once, the pipeline results already produced (so a
     * retry recomputes the change set on the new head without running them again), the stores
     * already committed (never committed twice), and the retries made.
     */
    private static final class Attempts {
        /** One instant for every attempt, so records and conditions are the same in each. */
        final Instant now;

        final Map<String, StoreContext> stores = new TreeMap<>();
        final Map<String, Ran> ran = new ConcurrentHashMap<>();
        final Map<String, StoreReport> settled = new TreeMap<>();
        final List<String> retries = new ArrayList<>();
        /** Every pipeline run of every attempt, each once (a result reused is not run again). */
        final List<PipelineRun> runs = new ArrayList<>();

        final java.util.random.RandomGenerator jitter = new java.util.SplittableRandom();
        final dev.kbr.model.PlatformOrigin origin;

        Attempts(Instant now, dev.kbr.model.PlatformOrigin origin) {
            this.now = now;
            this.origin = origin;
        }

        /** Reads a store that refused a push again; the error line when it cannot be read. */
        Optional<String> readAgain(String name) {
            StoreContext ctx = stores.get(name);
            try {
                StateSnapshot snapshot = ctx.store().read();
                Records records = RecordsFormat.read(snapshot, ctx.model().path());
                stores.put(name, new StoreContext(ctx.model(), ctx.store(), snapshot, records));
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of("Tried to read state store " + name + " (branch "
                        + ctx.model().branch()
                        + ") again after it refused a push, but it failed: " + e.getMessage()
                        + "; nothing was written to it, run kbr apply again");
            }
        }

        /**
         * The last attempt's report with the pipeline runs of every attempt, the retries among its
         * notices and {@code errors} added.
         */
        RunReport finish(RunReport report, List<String> errors) {
            List<String> notices = new ArrayList<>(report.notices());
            notices.addAll(retries);
            List<String> allErrors = new ArrayList<>(report.errors());
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
                    // A scratch folder left behind is not worth failing the pass for; the next
                    // run removes it (see dev.kbr.run.TempFolders).
                }
            }
        }
    }

    /**
     * What running one pipeline gave, kept for the other attempts of the pass.
     *
     * @param result the result, or null when the pipeline could not be started
     * @param error why it could not be started, when {@code result} is null
     */
    private record Ran(PipelineResult result, String error) {}

    /** A store opened for this pass, with what was read from it. */
    record StoreContext(GitStateStore model, StateStore store, StateSnapshot snapshot, Records records) {}

    private final class Pass {
        private final PassOptions options;
        private final PlatformLoader.Result loaded;
        private final List<Diagnostic> diagnostics = new ArrayList<>();
        private final List<PipelineRun> runs = new ArrayList<>();
        private final List<String> notices = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private final Map<String, StoreContext> stores = new TreeMap<>();
        private final Map<String, Destination> destinations = new TreeMap<>();
        // Written by concurrent pipeline tasks: sorted concurrent collections keep iteration
        // deterministic.
        private final Map<WorkId, Work> fresh = new ConcurrentSkipListMap<>();
        private final Set<WorkId> kept = new ConcurrentSkipListSet<>();
        private final Map<ObjectKey, ObjectNode> objects = new ConcurrentSkipListMap<>();
        private final Set<ObjectKey> keptObjects = new ConcurrentSkipListSet<>();
        private final Map<ObjectKey, ObjectNode> previousObjects = new TreeMap<>();
        private final Set<WorkId> previousWorks = new TreeSet<>();
        // previousWorks by object, built with it: per-object lookups scanning every Work made a
        // no-op pass quadratic in the number of requests (15 s at 10,000).
        private final Map<ObjectKey, List<WorkId>> previousWorksByObject = new HashMap<>();
        private final Set<String> available = ConcurrentHashMap.newKeySet();
        private final Set<String> invalidPromises = new HashSet<>();
        // Promises held as they were because the platform did not load whole (issue 5, item 4).
        private final Set<String> heldPromises = ConcurrentHashMap.newKeySet();
        private boolean destinationsDropped;
        private final Set<ObjectKey> handled = new HashSet<>();
        private final Map<ObjectKey, WorkflowOutcome> outcomes = new ConcurrentSkipListMap<>();
        private final Map<ObjectKey, ObjectRecord.LastRun> previousRuns = new TreeMap<>();
        private final Map<ObjectKey, ObjectRecord.LastRun> runInfo = new ConcurrentSkipListMap<>();
        private final List<String> cached = new ArrayList<>();
        private final Log main = new Log(runs, notices, diagnostics, cached, errors);
        private final ThreadLocal<Log> current = new ThreadLocal<>();
        private final ExecutorService executor;
        private final Instant now;
        private final Attempts attempts;
        /** Stores that refused this attempt's commit because they moved since they were read. */
        final Map<String, dev.kbr.state.StaleStateException> rejected = new TreeMap<>();
        // One cache, so each schema and CEL rule is compiled once per pass.
        private final SchemaCache schemas = new SchemaCache();
        private final RequestValidator requestValidator = new RequestValidator(schemas);
        // Each Promise's spec in canonical form, made once: it is part of every request's input hash.
        private final Map<Promise, JsonNode> promiseSpecs = Collections.synchronizedMap(new IdentityHashMap<>());
        private final PromiseValidator promiseValidator = new PromiseValidator(schemas);
        private Platform platform;

        Pass(PassOptions options, PlatformLoader.Result loaded, Attempts attempts) {
            this.options = options;
            this.attempts = attempts;
            this.now = attempts.now;
            this.loaded = loaded;
            this.platform = loaded.platform();
            this.executor = Executors.newFixedThreadPool(options.parallelism(), runnable -> {
                Thread thread = new Thread(runnable, "kbr-pipeline");
                thread.setDaemon(true);
                return thread;
            });
            log().diagnostics.addAll(loaded.diagnostics());
        }

        RunReport run() throws InterruptedException {
            if (platform.promises().isEmpty()
                    && platform.destinations().isEmpty()
                    && platform.gitStateStores().isEmpty()) {
                // Fail closed: a wrong --platform folder must never look like "everything was removed".
                log().errors
                        .add("platform " + options.platform().origin() + " holds no Promise, Destination or"
                                + " GitStateStore (" + loaded.files().size() + " YAML file(s) read), so no state"
                                + " store was read or written; pass the folder holding your Kratix documents with"
                                + " --platform");
                return report(List.of());
            }
            applyStateUrls();
            if (!openStores()) {
                return report(List.of());
            }
            if (stores.isEmpty() && platformIncomplete()) {
                // Nothing could be written, and without the records every object looks new:
                // running pipelines would only waste time.
                log().notices.add("no state store is usable in this pass, so no pipeline runs; fix the errors above");
                return report(List.of());
            }
            for (Promise promise : platform.promises()) {
                List<Diagnostic> found = promiseValidator.validate(promise);
                log().diagnostics.addAll(found);
                if (found.stream().anyMatch(Diagnostic::isError)) {
                    invalidPromises.add(promise.name());
                }
            }
            for (List<Promise> level : promiseLevels(promiseOrder())) {
                inParallel(level, promise -> {
                    configurePromise(promise);
                    return List.<Queued>of();
                });
            }
            configureRequests();
            deleteRemoved();
            StateRenderer renderer = new StateRenderer(
                            options,
                            List.copyOf(stores.values()),
                            destinations,
                            fresh,
                            kept,
                            objects,
                            keptObjects,
                            previousObjects,
                            notices,
                            diagnostics,
                            errors,
                            this::worksPlaced,
                            lastRuns())
                    .settled(attempts.settled);
            List<StoreReport> storeReports = renderer.render();
            rejected.putAll(renderer.rejected());
            return report(storeReports);
        }

        /** What one task reports; merged into the pass's in task order, so reports are stable. */
        private record Log(
                List<PipelineRun> runs,
                List<String> notices,
                List<Diagnostic> diagnostics,
                List<String> cached,
                List<String> errors) {
            static Log fresh() {
                return new Log(
                        new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            }

            void mergeInto(Log target) {
                target.runs.addAll(runs);
                target.notices.addAll(notices);
                target.diagnostics.addAll(diagnostics);
                target.cached.addAll(cached);
                target.errors.addAll(errors);
            }
        }

        /** The log of the running task, or the pass's own outside tasks. */
        private Log log() {
            Log log = current.get();
            return log != null ? log : main;
        }

        /** A unit of work that may run pipelines. */
        @FunctionalInterface
        private interface Task<T, R> {
            R run(T input) throws InterruptedException;
        }

        /**
         * Runs {@code task} for every input on at most {@code --parallelism} threads; returns
         * the results and merges the tasks' logs in input order.
         */
        private <T, R> List<R> inParallel(List<T> inputs, Task<T, R> task) throws InterruptedException {
            List<Future<R>> futures = new ArrayList<>();
            List<Log> logs = new ArrayList<>();
            listener.objectsQueued(inputs.size());
            for (T input : inputs) {
                Log log = Log.fresh();
                logs.add(log);
                futures.add(executor.submit(() -> {
                    current.set(log);
                    try {
                        return task.run(input);
                    } finally {
                        current.remove();
                        listener.objectDone();
                    }
                }));
            }
            List<R> results = new ArrayList<>();
            try {
                for (Future<R> future : futures) {
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
            } finally {
                logs.forEach(l -> l.mergeInto(main));
            }
            return results;
        }

        /** Promises grouped so each group only requires Promises of earlier groups. */
        private List<List<Promise>> promiseLevels(List<Promise> order) {
            Map<String, Integer> level = new HashMap<>();
            List<List<Promise>> levels = new ArrayList<>();
            for (Promise promise : order) {
                int l = promise.requiredPromises().stream()
                        .mapToInt(r -> level.getOrDefault(r.name(), -1) + 1)
                        .max()
                        .orElse(0);
                level.put(promise.name(), l);
                while (levels.size() <= l) {
                    levels.add(new ArrayList<>());
                }
                levels.get(l).add(promise);
            }
            return levels;
        }

        // --- inputs -------------------------------------------------------------------------

        private void applyStateUrls() {
            List<GitStateStore> replaced = new ArrayList<>();
            Set<String> used = new HashSet<>();
            for (GitStateStore store : platform.gitStateStores()) {
                if (options.stateUrls().containsKey(store.name())) {
                    used.add(store.name());
                }
                replaced.add(store.withUrlFrom(options.stateUrls()));
            }
            for (String name : options.stateUrls().keySet()) {
                if (!used.contains(name)) {
                    log().diagnostics
                            .add(Diagnostic.error(
                                    SourceLocation.of("--state-url " + name + "=…"),
                                    "",
                                    "names GitStateStore " + name + ", which the platform does not define; known: "
                                            + platform.gitStateStores().stream()
                                                    .map(GitStateStore::name)
                                                    .toList()));
                }
            }
            platform = new Platform(platform.promises(), platform.requests(), platform.destinations(), replaced);
        }

        /** Opens every store a Destination uses; false when one cannot be read (nothing is written then). */
        private boolean openStores() {
            for (Destination destination : platform.destinations()) {
                String storeName = destination.stateStoreRef().name();
                if (!"GitStateStore".equals(destination.stateStoreRef().kind())) {
                    log().diagnostics
                            .add(Diagnostic.error(
                                    destination.location(),
                                    "spec.stateStoreRef.kind",
                                    "is " + destination.stateStoreRef().kind()
                                            + "; kbr writes only GitStateStores so far"));
                    destinationsDropped = true;
                    continue;
                }
                Optional<GitStateStore> model = platform.gitStateStore(storeName);
                if (model.isEmpty()) {
                    log().diagnostics
                            .add(Diagnostic.error(
                                    destination.location(),
                                    "spec.stateStoreRef.name",
                                    "names GitStateStore " + storeName
                                            + ", which the platform does not define; add it or fix the name"));
                    destinationsDropped = true;
                    continue;
                }
                if (!stores.containsKey(storeName) && attempts.stores.containsKey(storeName)) {
                    // A later attempt: the store is open and was read again if it moved.
                    stores.put(storeName, attempts.stores.get(storeName));
                } else if (!stores.containsKey(storeName)) {
                    if (model.get().url().isEmpty()) {
                        log().diagnostics
                                .add(Diagnostic.error(
                                        model.get().location(),
                                        "spec.url",
                                        "is empty; set it, or pass --state-url " + storeName + "=URL"));
                        destinationsDropped = true;
                        continue;
                    }
                    try {
                        StateStore store = opener.open(model.get());
                        attempts.stores.put(storeName, new StoreContext(model.get(), store, null, null));
                        StateSnapshot snapshot = store.read();
                        Records records =
                                RecordsFormat.read(snapshot, model.get().path());
                        stores.put(storeName, new StoreContext(model.get(), store, snapshot, records));
                        attempts.stores.put(storeName, stores.get(storeName));
                    } catch (IOException e) {
                        log().errors
                                .add(StateRenderer.storeFailure(
                                        "Tried to read state store " + storeName + " ("
                                                + model.get().displayUrl() + ", branch "
                                                + model.get().branch() + ")",
                                        e));
                        return false;
                    }
                }
                destinations.put(destination.name(), destination);
            }
            for (StoreContext ctx : stores.values()) {
                previousWorks.addAll(ctx.records().works().keySet());
                ctx.records().objects().forEach((k, v) -> {
                    previousObjects.putIfAbsent(k, v.object());
                    v.lastRun().ifPresent(run -> previousRuns.putIfAbsent(k, run));
                });
            }
            previousWorksByObject.clear();
            previousWorks.forEach(id -> previousWorksByObject
                    .computeIfAbsent(id.object(), k -> new ArrayList<>())
                    .add(id));
            return true;
        }

        /**
         * True when the platform did not load whole: a file failed to load, or a Destination was
         * left out (its state store is missing). Then what looks changed or gone may only look so.
         */
        private boolean platformIncomplete() {
            return !loaded.filesWithErrors().isEmpty() || destinationsDropped;
        }

        /** Promises with their required Promises first; cycles are reported and left out. */
        private List<Promise> promiseOrder() {
            List<Promise> order = new ArrayList<>();
            Set<String> done = new HashSet<>();
            Set<String> visiting = new HashSet<>();
            for (Promise promise : platform.promises()) {
                visit(promise, order, done, visiting);
            }
            return order;
        }

        private void visit(Promise promise, List<Promise> order, Set<String> done, Set<String> visiting) {
            if (done.contains(promise.name())) {
                return;
            }
            if (!visiting.add(promise.name())) {
                log().diagnostics
                        .add(Diagnostic.error(
                                promise.location(),
                                "spec.requiredPromises",
                                "Promise " + promise.name() + " requires itself through a cycle of requiredPromises;"
                                        + " break the cycle"));
                invalidPromises.add(promise.name());
                return;
            }
            for (RequiredPromise required : promise.requiredPromises()) {
                platform.promise(required.name()).ifPresent(p -> visit(p, order, done, visiting));
            }
            visiting.remove(promise.name());
            done.add(promise.name());
            order.add(promise);
        }

        // --- promise workflows --------------------------------------------------------------

        private void configurePromise(Promise promise) throws InterruptedException {
            ObjectKey key = ObjectKey.promise(promise.name());
            handled.add(key);
            if (invalidPromises.contains(promise.name())) {
                keep(key, "Promise " + promise.name() + " has errors; its previous outputs are kept");
                return;
            }
            ObjectNode object = withRecordedStatus(key, promise.document());
            String apiVersion = promise.api()
                    .map(a -> a.gvk().apiVersion().toLowerCase(java.util.Locale.ROOT))
                    .orElse("");
            String kind = promise.api().map(a -> a.gvk().kind()).orElse("");
            Optional<String> unmet = unmetRequirement(promise);
            if (unmet.isPresent() && platformIncomplete() && previousRuns.containsKey(key)) {
                // The required Promise may be in a file that failed to load: keep this Promise,
                // its requests and their status exactly as recorded.
                heldPromises.add(promise.name());
                keep(
                        key,
                        "Promise " + promise.name() + " is held as it was (" + unmet.get() + ", but platform files"
                                + " failed to load or Destinations were left out: " + loaded.filesWithErrors()
                                + "); fix them and run again");
                return;
            }
            if (unmet.isPresent()) {
                keep(
                        key,
                        "Promise " + promise.name() + " is unavailable: " + unmet.get()
                                + "; its requests wait and previous outputs are kept");
                KratixStatus.promiseAvailability(object, false, true, false, promise.version(), apiVersion, kind, now);
                objects.put(key, object);
                return;
            }
            String hash = inputHash(WorkflowType.PROMISE, promise, promise.document());
            Optional<String> why = whyRun(key, promise, promise.document(), hash);
            if (why.isPresent() && platformIncomplete() && previousRuns.containsKey(key)) {
                // A Destination (or Promise) in a file that failed to load looks gone, which would
                // change this Promise's inputs: running it now would deliver for a platform that
                // is not the real one. It stays as it was (outputs and status, as when cached)
                // until every file loads.
                log().notices
                        .add("Promise " + promise.name() + " would run again (" + why.get() + "), but is held with"
                                + " its previous outputs because platform files failed to load or Destinations were"
                                + " left out: " + loaded.filesWithErrors() + "; fix them and run again");
                why = Optional.empty();
            }
            if (!promise.dependencies().isEmpty()) {
                byte[] content = YamlText.writeSortedDocuments(promise.dependencies());
                WorkId id = WorkId.staticDependencies(promise.name());
                fresh.put(
                        id,
                        new Work(
                                id,
                                List.of(WorkloadGroups.staticDependencies(
                                        promise.name(), content, promise.destinationSelectors()))));
            }
            if (why.isEmpty()) {
                useCached(key, object, "Promise " + promise.name(), List.of());
                available.add(promise.name());
                return;
            }
            WorkflowOutcome outcome = configure(
                    promise,
                    WorkflowType.PROMISE,
                    object,
                    "Promise " + promise.name(),
                    pipeline -> WorkId.promise(promise.name(), pipeline),
                    promise.name(),
                    "",
                    new ArrayList<>(),
                    why.get());
            ran(key, promise.document(), hash);
            boolean ok = outcome instanceof WorkflowOutcome.Completed;
            KratixStatus.promiseAvailability(
                    object, ok, !promise.requiredPromises().isEmpty(), true, promise.version(), apiVersion, kind, now);
            objects.put(key, object);
            outcomes.put(key, outcome);
            if (ok) {
                available.add(promise.name());
            }
        }

        private Optional<String> unmetRequirement(Promise promise) {
            for (RequiredPromise required : promise.requiredPromises()) {
                Optional<Promise> found = platform.promise(required.name());
                if (found.isEmpty()) {
                    return Optional.of("required Promise " + required.name() + " is not installed");
                }
                if (required.version().isPresent()
                        && !required.version().equals(found.get().version())) {
                    return Optional.of("required Promise " + required.name() + " is not installed at version "
                            + required.version().get() + " (it has "
                            + found.get().version().orElse("no kratix.io/promise-version label") + ")");
                }
                if (!available.contains(required.name())) {
                    return Optional.of("required Promise " + required.name() + " is not available");
                }
            }
            return Optional.empty();
        }

        // --- resource workflows -------------------------------------------------------------

        private record Queued(ResourceRequest request, int depth) {}

        /**
         * Runs the requests' workflows in waves: the platform's requests, then the sub-requests
         * their pipelines produced, and so on; within a wave, requests run concurrently.
         */
        private void configureRequests() throws InterruptedException {
            List<Queued> wave = new ArrayList<>();
            platform.requests().forEach(r -> wave.add(new Queued(r, 0)));
            while (!wave.isEmpty()) {
                List<Queued> tasks = new ArrayList<>();
                for (Queued next : wave) {
                    ResourceRequest request = next.request();
                    ObjectKey key = ObjectKey.request(request.promiseName(), request.namespace(), request.name());
                    if (handled.add(key)) {
                        tasks.add(next);
                    } else {
                        log().diagnostics
                                .add(
                                        Diagnostic.error(
                                                request.location(),
                                                "metadata.name",
                                                "resource request " + request.displayName()
                                                        + " is produced more than once in this pass; give each request a unique name"));
                    }
                }
                wave.clear();
                for (List<Queued> subs : inParallel(tasks, this::configureRequest)) {
                    wave.addAll(subs);
                }
            }
        }

        /** One request's configure workflow; returns the sub-requests it produced. */
        private List<Queued> configureRequest(Queued next) throws InterruptedException {
            ResourceRequest request = next.request();
            ObjectKey key = ObjectKey.request(request.promiseName(), request.namespace(), request.name());
            List<Queued> produced = new ArrayList<>();
            Promise promise = platform.promise(request.promiseName()).orElseThrow();
            if (!available.contains(promise.name())) {
                keep(
                        key,
                        "request " + request.displayName() + " waits: Promise " + promise.name() + " is not available");
                if (!invalidPromises.contains(promise.name())
                        && !heldPromises.contains(promise.name())
                        && unmetRequirement(promise).isPresent()) {
                    ObjectNode waiting = withRecordedStatus(key, request.object());
                    KratixStatus.promiseUnavailable(waiting, now);
                    objects.put(key, waiting);
                }
                return produced;
            }
            ValidationResult validated =
                    requestValidator.validate(request, promise.api().orElseThrow());
            log().diagnostics.addAll(validated.diagnostics());
            if (validated.hasErrors()) {
                keep(key, "request " + request.displayName() + " is invalid; its previous outputs are kept");
                return produced;
            }
            ObjectNode object = withRecordedStatus(key, validated.object());
            if (!promise.requiredPromises().isEmpty()) {
                KratixStatus.promiseAvailableForRequest(object, now);
            }
            List<ResourceRequest> subRequests = new ArrayList<>();
            String hash = inputHash(WorkflowType.RESOURCE, promise, validated.object());
            Optional<String> why = whyRun(key, promise, validated.object(), hash);
            if (why.isEmpty()) {
                useCached(key, object, request.displayName(), subRequests);
            } else {
                WorkflowOutcome outcome = configure(
                        promise,
                        WorkflowType.RESOURCE,
                        object,
                        request.displayName(),
                        pipeline -> WorkId.resource(promise.name(), request.namespace(), request.name(), pipeline),
                        request.name(),
                        request.namespace(),
                        subRequests,
                        why.get());
                ran(key, validated.object(), hash);
                objects.put(key, object);
                outcomes.put(key, outcome);
            }
            for (ResourceRequest sub : subRequests) {
                if (next.depth() + 1 > options.maxRequestDepth()) {
                    log().diagnostics
                            .add(Diagnostic.error(
                                    sub.location(),
                                    "",
                                    "compound Promises nest deeper than " + options.maxRequestDepth()
                                            + " levels; check for a cycle"));
                } else {
                    produced.add(new Queued(sub, next.depth() + 1));
                }
            }
            return produced;
        }

        // --- running pipelines --------------------------------------------------------------

        /**
         * Runs a configure workflow's pipelines in order (KRATIX.md §2.5), each pipeline's output
         * its own Work. Stops at the first failure or suspension; that pipeline and later ones
         * keep the Works of the last pass.
         */
        private WorkflowOutcome configure(
                Promise promise,
                WorkflowType type,
                ObjectNode object,
                String objectName,
                java.util.function.Function<String, WorkId> workId,
                String name,
                String namespace,
                List<ResourceRequest> subRequests,
                String why)
                throws InterruptedException {
            KratixStatus.started(object);
            List<Pipeline> pipelines = promise.workflows().of(type, WorkflowAction.CONFIGURE);
            List<String> names = pipelines.stream().map(Pipeline::name).toList();
            for (int i = 0; i < pipelines.size(); i++) {
                Pipeline pipeline = pipelines.get(i);
                String description = objectName + " " + type.value() + ".configure " + pipeline.name();
                Optional<PipelineResult.Succeeded> result = runOne(
                        promise, type, WorkflowAction.CONFIGURE, pipeline, object, name, namespace, description, why);
                Optional<Step> step =
                        result.flatMap(r -> configureStep(promise, type, object, pipeline, workId, r, description));
                if (step.isEmpty() || step.get().control().stops()) {
                    for (int j = i; j < pipelines.size(); j++) {
                        kept.add(workId.apply(pipelines.get(j).name()));
                    }
                    if (step.isEmpty()) {
                        log().notices
                                .add(
                                        objectName + ": pipeline " + pipeline.name()
                                                + " failed; outputs of it and later pipelines are kept from the last successful pass");
                        return finished(object, type, new WorkflowOutcome.Failed(names, i, pipeline.name()));
                    }
                    WorkflowControl control = step.get().control();
                    log().notices
                            .add(objectName + ": pipeline " + pipeline.name() + " suspended the workflow"
                                    + control.retryAfter()
                                            .map(d -> " (retry after " + d + ")")
                                            .orElse("")
                                    + (control.message().isEmpty() ? "" : ": " + control.message())
                                    + "; previous outputs are kept and it is pending");
                    return finished(
                            object,
                            type,
                            new WorkflowOutcome.Suspended(
                                    names, i, pipeline.name(), control.message(), control.retryAfter()));
                }
                fresh.put(step.get().work().id(), step.get().work());
                if (type == WorkflowType.RESOURCE) {
                    subRequests.addAll(subRequests(result.get(), description));
                }
            }
            return finished(object, type, new WorkflowOutcome.Completed(names, names.size()));
        }

        /** Records how a configure workflow ended in the object's status, as Kratix's status-writer. */
        private WorkflowOutcome finished(ObjectNode object, WorkflowType type, WorkflowOutcome outcome) {
            KratixStatus.configured(object, type == WorkflowType.PROMISE, outcome, now);
            return outcome;
        }

        /** What a succeeded configure pipeline produced: its Work and its workflow control. */
        private record Step(Work work, WorkflowControl control) {}

        private Optional<PipelineResult.Succeeded> runOne(
                Promise promise,
                WorkflowType type,
                WorkflowAction action,
                Pipeline pipeline,
                ObjectNode object,
                String name,
                String namespace,
                String description,
                String why)
                throws InterruptedException {
            // An earlier attempt of this pass (its push was refused) may have run this pipeline on
            // the same object already; its status is left out, as it is kbr's own bookkeeping.
            ObjectNode withoutStatus = object.deepCopy();
            withoutStatus.remove("status");
            String ranKey = description + "\n" + Canonical.sha256(withoutStatus);
            Ran ran = attempts.ran.get(ranKey);
            boolean reused = ran != null;
            if (!reused) {
                listener.pipelineStarted(description);
                try {
                    ran = new Ran(
                            runner.run(PipelineInvocations.of(
                                    promise,
                                    type,
                                    action,
                                    pipeline,
                                    object,
                                    name,
                                    namespace,
                                    description,
                                    options.secrets(),
                                    options.pipelineTimeout())),
                            null);
                } catch (IOException | IllegalArgumentException e) {
                    ran = new Ran(null, e.getMessage());
                }
                attempts.ran.put(ranKey, ran);
            }
            if (ran.result() == null) {
                if (!reused) {
                    reportRun(new PipelineRun(description, why, false, ran.error(), Duration.ZERO, List.of()));
                }
                return Optional.empty();
            }
            PipelineResult result = ran.result();
            if (result instanceof PipelineResult.Failed failed) {
                if (reused) {
                    return Optional.empty();
                }
                reportRun(new PipelineRun(
                        description,
                        why,
                        false,
                        "container " + failed.container() + " " + failed.reason(),
                        failed.duration(),
                        failed.logs()));
                return Optional.empty();
            }
            PipelineResult.Succeeded ok = (PipelineResult.Succeeded) result;
            if (!reused) {
                // A reused result was reported by the attempt that ran it (see Attempts.runs).
                reportRun(new PipelineRun(description, why, true, "", ok.duration(), ok.logs()));
            }
            return Optional.of(ok);
        }

        /** Adds a pipeline run to the task's log and tells the listener. */
        private void reportRun(PipelineRun run) {
            log().runs.add(run);
            listener.pipelineFinished(run);
        }

        /** Applies a succeeded configure pipeline's metadata and turns its output into a Work. */
        private Optional<Step> configureStep(
                Promise promise,
                WorkflowType type,
                ObjectNode object,
                Pipeline pipeline,
                java.util.function.Function<String, WorkId> workId,
                PipelineResult.Succeeded result,
                String description) {
            try {
                WorkflowControl control = applyMetadata(type, object, result, description);
                List<DestinationSelectorsFile.Entry> entries =
                        PipelineMetadata.destinationSelectors(result.metadata().get("destination-selectors.yaml"));
                List<WorkloadGroup> groups =
                        WorkloadGroups.build(result.output(), entries, promise.destinationSelectors(), type);
                return Optional.of(new Step(new Work(workId.apply(pipeline.name()), groups), control));
            } catch (IllegalArgumentException e) {
                // Kratix's work-writer fails the pipeline on bad metadata; so do we.
                failLastRun(description, e.getMessage(), result);
                return Optional.empty();
            }
        }

        /** {@link PipelineMetadata#applyTo}, each dropped Promise status key a notice. */
        private WorkflowControl applyMetadata(
                WorkflowType type, ObjectNode object, PipelineResult.Succeeded result, String description) {
            return PipelineMetadata.applyTo(
                    type,
                    object,
                    result.metadata(),
                    key -> log().notices
                            .add(description + ": status.yaml key \"" + key
                                    + "\" dropped; a Promise's status keeps only message (as in Kratix)"));
        }

        private void failLastRun(String description, String reason, PipelineResult.Succeeded result) {
            PipelineRun last = log().runs.get(log().runs.size() - 1);
            PipelineRun failed =
                    new PipelineRun(description, last.why(), false, reason, result.duration(), result.logs());
            log().runs.set(log().runs.size() - 1, failed);
            listener.pipelineFinished(failed);
        }

        /** Documents in a resource pipeline's output that are requests for installed Promises. */
        private List<ResourceRequest> subRequests(PipelineResult.Succeeded result, String description) {
            List<ResourceRequest> found = new ArrayList<>();
            for (var file : result.output().entrySet()) {
                String path = file.getKey();
                if (!path.endsWith(".yaml") && !path.endsWith(".yml")) {
                    continue;
                }
                YamlReader.Result read = YamlReader.read("output of " + description + ": " + path, file.getValue());
                for (YamlDocument doc : read.documents()) {
                    PlatformLoader.asRequest(platform, doc, log().diagnostics).ifPresent(found::add);
                }
            }
            return found;
        }

        /** Run information to record: this pass's runs, else the last recorded ones. */
        private Map<ObjectKey, ObjectRecord.LastRun> lastRuns() {
            Map<ObjectKey, ObjectRecord.LastRun> all = new TreeMap<>(previousRuns);
            all.putAll(runInfo);
            return all;
        }

        /** Sets WorksSucceeded and Reconciled on every object whose workflow ran this pass. */
        private void worksPlaced(Map<ObjectKey, Set<String>> unscheduled, Map<ObjectKey, Set<String>> misplaced) {
            outcomes.forEach((key, outcome) -> {
                ObjectNode object = objects.get(key);
                if (object != null) {
                    KratixStatus.works(
                            object,
                            key.isPromise(),
                            outcome,
                            List.copyOf(unscheduled.getOrDefault(key, Set.of())),
                            List.copyOf(misplaced.getOrDefault(key, Set.of())),
                            now);
                }
            });
        }

        // --- cache ---------------------------------------------------------------------------

        /**
         * Why an object's configure workflow must run in this pass, or empty when the outputs of
         * its last run stand (Kratix's triggers, KRATIX.md §5.1): its inputs changed, {@code
         * kratix.io/manual-reconciliation} has a new value, the reconciliation interval elapsed,
         * {@code --reconcile-all}, or its last run did not end reconciled.
         */
        private Optional<String> whyRun(ObjectKey key, Promise promise, ObjectNode document, String hash) {
            ObjectRecord.LastRun last = previousRuns.get(key);
            if (options.reconcileAll()) {
                return Optional.of("--reconcile-all");
            }
            if (last == null) {
                return Optional.of("new");
            }
            if (!last.inputHash().equals(hash)) {
                return Optional.of("input changed");
            }
            String manual = manualReconciliation(document);
            if (!manual.isEmpty() && !manual.equals(last.manualReconciliation())) {
                return Optional.of("kratix.io/manual-reconciliation is " + manual);
            }
            ObjectNode recorded = previousObjects.get(key);
            boolean reconciled = recorded != null
                    && KratixStatus.condition(KratixStatus.status(recorded.deepCopy()), KratixStatus.RECONCILED)
                            .map(c -> "True".equals(c.path("status").asText()))
                            .orElse(false);
            if (!reconciled) {
                return Optional.of("last run did not end reconciled");
            }
            Optional<String> emptied = emptiedDestination(key);
            if (emptied.isPresent()) {
                return Optional.of("its Destination " + emptied.get() + " was removed with cleanup: all");
            }
            Duration interval = reconcileInterval(promise);
            if (!interval.isZero()) {
                try {
                    Instant at = Instant.parse(last.at());
                    if (!now.isBefore(at.plus(interval))) {
                        return Optional.of("reconciliation interval " + interval + " elapsed");
                    }
                } catch (java.time.format.DateTimeParseException e) {
                    return Optional.of("last run time unreadable");
                }
            }
            return Optional.empty();
        }

        /** The recorded Works of one object, in {@link WorkId} order; empty when it has none. */
        private List<WorkId> previousWorksOf(ObjectKey key) {
            return previousWorksByObject.getOrDefault(key, List.of());
        }

        /**
         * A Destination one of the object's groups was placed on that is gone and whose files
         * are removed ({@code cleanup: all}): those groups must be placed anew. With {@code
         * cleanup: none} they stay where they are, as in Kratix, and the cache may hold.
         */
        private Optional<String> emptiedDestination(ObjectKey key) {
            for (StoreContext ctx : stores.values()) {
                for (WorkId id : previousWorksOf(key)) {
                    WorkRecord work = ctx.records().works().get(id);
                    if (work == null) {
                        continue;
                    }
                    for (GroupRecord group : work.groups()) {
                        String name = group.destination();
                        DestinationRecord record = ctx.records().destinations().get(name);
                        if (!destinations.containsKey(name)
                                && (record == null || record.cleanup() == dev.kbr.model.DestinationCleanup.ALL)) {
                            return Optional.of(name);
                        }
                    }
                }
            }
            return Optional.empty();
        }

        /**
         * {@code kratix.io/reconciliation-interval} on the Promise, else its {@code
         * spec.workflows.config.reconciliationInterval}, else {@code --reconcile-interval}.
         */
        private Duration reconcileInterval(Promise promise) {
            JsonNode annotation =
                    promise.document().path("metadata").path("annotations").path("kratix.io/reconciliation-interval");
            JsonNode config = promise.document()
                    .path("spec")
                    .path("workflows")
                    .path("config")
                    .path("reconciliationInterval");
            for (JsonNode value : List.of(annotation, config)) {
                if (value.isTextual() && !value.asText().isBlank()) {
                    try {
                        return WorkflowControl.goDuration(value.asText());
                    } catch (IllegalArgumentException e) {
                        log().diagnostics
                                .add(Diagnostic.warning(
                                        promise.location(),
                                        "",
                                        "reconciliation interval \"" + value.asText()
                                                + "\" is not a duration; using --reconcile-interval"));
                    }
                }
            }
            return options.reconcileInterval();
        }

        private static String manualReconciliation(ObjectNode document) {
            return document.path("metadata")
                    .path("labels")
                    .path("kratix.io/manual-reconciliation")
                    .asText("");
        }

        /**
         * Hash of everything a workflow's outcome depends on: the object's spec, name and
         * namespace, and the Promise's spec (which holds every pipeline and image); for Promise
         * workflows also the Destinations, so dependencies reach a new Destination.
         */
        private String inputHash(WorkflowType type, Promise promise, ObjectNode document) {
            ObjectNode input = document.objectNode();
            input.set("spec", document.path("spec").deepCopy());
            input.put("name", document.path("metadata").path("name").asText());
            input.put("namespace", document.path("metadata").path("namespace").asText());
            input.set(
                    "promise",
                    promiseSpecs.computeIfAbsent(
                            promise, p -> Canonical.presorted(p.document().path("spec"))));
            if (type == WorkflowType.PROMISE) {
                var list = input.putArray("destinations");
                destinations
                        .values()
                        .forEach(d -> list.addObject()
                                .put("name", d.name())
                                .put("path", d.path())
                                .put("strict", d.strictMatchLabels())
                                .put("labels", new java.util.TreeMap<>(d.labels()).toString()));
            }
            return Canonical.sha256(input);
        }

        private void ran(ObjectKey key, ObjectNode document, String hash) {
            runInfo.put(key, new ObjectRecord.LastRun(hash, KratixStatus.rfc3339(now), manualReconciliation(document)));
        }

        /**
         * Reuses the outputs of the object's last run: its Works are kept as recorded, its status
         * too, and a request's recorded output is read again for compound sub-requests.
         */
        private void useCached(
                ObjectKey key, ObjectNode object, String description, List<ResourceRequest> subRequests) {
            List<WorkId> works = previousWorksOf(key).stream()
                    .filter(id -> id.type() != dev.kbr.model.WorkType.STATIC_DEPENDENCY)
                    .toList();
            kept.addAll(works);
            runInfo.put(key, previousRuns.get(key));
            objects.put(key, object);
            log().cached.add(description);
            listener.cached(description);
            if (key.isPromise()) {
                return;
            }
            Set<ObjectKey> seen = new HashSet<>();
            for (StoreContext ctx : stores.values()) {
                for (WorkId id : works) {
                    WorkRecord record = ctx.records().works().get(id);
                    if (record == null) {
                        continue;
                    }
                    for (GroupRecord group : record.groups()) {
                        for (RecordedWorkload workload : group.workloads()) {
                            if (!workload.filepath().endsWith(".yaml")
                                    && !workload.filepath().endsWith(".yml")) {
                                continue;
                            }
                            byte[] bytes;
                            try {
                                bytes = workload.content().isPresent()
                                        ? workload.content().get()
                                        : ctx.snapshot().reader().read(workload.contentId());
                            } catch (IOException e) {
                                log().errors
                                        .add("Tried to read the recorded output " + workload.filepath() + " of "
                                                + description + " from state store "
                                                + ctx.model().name() + ": " + e.getMessage());
                                continue;
                            }
                            if (!PlatformLoader.mayHoldRequests(platform, bytes)) {
                                continue;
                            }
                            YamlReader.Result read = YamlReader.read(
                                    "recorded output of " + description + ": " + workload.filepath(), bytes);
                            for (YamlDocument doc : read.documents()) {
                                PlatformLoader.asRequest(platform, doc, log().diagnostics)
                                        .filter(r ->
                                                seen.add(ObjectKey.request(r.promiseName(), r.namespace(), r.name())))
                                        .ifPresent(subRequests::add);
                            }
                        }
                    }
                }
            }
        }

        // --- keeping and deleting -----------------------------------------------------------

        private ObjectNode withRecordedStatus(ObjectKey key, ObjectNode document) {
            ObjectNode object = document.deepCopy();
            ObjectNode previous = previousObjects.get(key);
            if (previous != null && previous.has("status")) {
                object.set("status", previous.get("status").deepCopy());
            } else {
                object.remove("status");
            }
            return object;
        }

        private void keep(ObjectKey key, String why) {
            log().notices.add(why);
            for (WorkId id : previousWorks) {
                if (id.object().equals(key) || (key.isPromise() && id.promise().equals(key.promise()))) {
                    kept.add(id);
                }
            }
            previousObjects.keySet().stream()
                    .filter(k ->
                            k.equals(key) || (key.isPromise() && k.promise().equals(key.promise())))
                    .forEach(keptObjects::add);
        }

        /**
         * Objects kbr recorded that the platform no longer has: requests first, each through its
         * Promise's first resource.delete pipeline with the last recorded object, then Promises
         * through their first promise.delete pipeline (KRATIX.md §2.7). What an object delivered
         * is pruned once its delete pipeline succeeded; a failed or suspended delete keeps
         * everything. Nothing is deleted in a pass that cannot be trusted to say what is gone.
         */
        private void deleteRemoved() throws InterruptedException {
            Set<ObjectKey> gone = new TreeSet<>();
            previousObjects.keySet().stream()
                    .filter(k -> !handled.contains(k) && !keptObjects.contains(k))
                    .forEach(gone::add);
            previousWorks.stream()
                    .map(WorkId::object)
                    .filter(k -> !handled.contains(k) && !keptObjects.contains(k))
                    .forEach(gone::add);
            if (gone.isEmpty()) {
                return;
            }
            String reason = null;
            if (!loaded.filesWithErrors().isEmpty()) {
                reason = "files failed to parse: " + loaded.filesWithErrors();
            } else if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
                // An invalid compound request is kept, and the sub-requests its pipeline made are
                // then not made this pass: they only look gone. Same rule as StateRenderer's.
                reason = "this pass has input errors (see above)";
            } else if (platform.promises().isEmpty()) {
                reason = "the platform defines no Promise at all (wrong --platform folder?)";
            }
            if (reason != null) {
                log().notices
                        .add(gone.size() + " object(s) no longer in the platform were not deleted because " + reason
                                + "; they will be deleted by a clean pass");
                gone.forEach(this::holdGone);
                return;
            }
            // No delete pipeline runs for a pass the mass-delete guard will refuse: StateRenderer
            // counts these Works as deleted too, refuses, and writes nothing.
            Set<WorkId> goneWorks = new TreeSet<>();
            previousWorks.stream().filter(id -> gone.contains(id.object())).forEach(goneWorks::add);
            if (DeleteGuard.refusal(options, previousWorks, goneWorks).isPresent()) {
                log().notices
                        .add("the delete pipelines of " + gone.size() + " object(s) gone from the platform did not"
                                + " run: the pass would delete too much (see the error below)");
                return;
            }
            Set<String> blockedPromises = new HashSet<>();
            for (ObjectKey key : gone) {
                if (!key.isPromise() && !deleteObject(key)) {
                    blockedPromises.add(key.promise());
                }
            }
            for (ObjectKey key : gone) {
                if (!key.isPromise()) {
                    continue;
                }
                if (blockedPromises.contains(key.promise())) {
                    log().notices
                            .add("Promise " + key.promise() + " is not deleted yet: some of its requests could not be"
                                    + " deleted");
                    holdGone(key);
                } else {
                    deleteObject(key);
                }
            }
        }

        /** Keeps a gone object's Works and record as they are. */
        private void holdGone(ObjectKey key) {
            kept.addAll(previousWorksOf(key));
            if (previousObjects.containsKey(key)) {
                keptObjects.add(key);
            }
        }

        /** Runs a gone object's delete pipeline; true when its outputs may be pruned. */
        private boolean deleteObject(ObjectKey key) throws InterruptedException {
            ObjectNode recorded = previousObjects.get(key);
            Optional<Promise> promise = platform.promise(key.promise()).or(() -> recordedPromise(key.promise()));
            WorkflowType type = key.isPromise() ? WorkflowType.PROMISE : WorkflowType.RESOURCE;
            List<Pipeline> deletes = promise.map(p -> p.workflows().of(type, WorkflowAction.DELETE))
                    .orElse(List.of());
            if (recorded == null || deletes.isEmpty()) {
                log().notices.add(key + " is gone from the platform; what it delivered is pruned");
                return true;
            }
            String objectName = key.isPromise() ? "Promise " + key.promise() : key.toString();
            if (deletes.size() > 1) {
                log().notices
                        .add(objectName + ": only the first " + type.value()
                                + ".delete pipeline runs, as in Kratix; the others are ignored");
            }
            Pipeline pipeline = deletes.get(0);
            String description = objectName + " " + type.value() + ".delete " + pipeline.name();
            ObjectNode object = recorded.deepCopy();
            Optional<PipelineResult.Succeeded> result = runOne(
                    promise.get(),
                    type,
                    WorkflowAction.DELETE,
                    pipeline,
                    object,
                    key.isPromise() ? key.promise() : key.name(),
                    key.namespace(),
                    description,
                    "gone from the platform");
            boolean suspended = false;
            if (result.isPresent()) {
                try {
                    // The delete pipeline's output is ignored, as in Kratix; its metadata is not.
                    suspended = applyMetadata(type, object, result.get(), description)
                            .stops();
                    if (!suspended) {
                        log().notices
                                .add(objectName + " deleted: its delete pipeline ran and what it delivered is pruned");
                        return true;
                    }
                } catch (IllegalArgumentException e) {
                    failLastRun(description, e.getMessage(), result.get());
                }
            }
            KratixStatus.deleteNotCompleted(object, suspended, now);
            holdGone(key);
            keptObjects.remove(key);
            objects.put(key, object);
            log().notices
                    .add(objectName + ": the delete pipeline " + (suspended ? "is suspended" : "failed")
                            + "; everything it delivered is kept until it succeeds");
            return false;
        }

        private Optional<Promise> recordedPromise(String name) {
            ObjectNode recorded = previousObjects.get(ObjectKey.promise(name));
            if (recorded == null) {
                return Optional.empty();
            }
            return PlatformLoader.promise("Promise " + name + " as kbr recorded it", recorded, log().diagnostics);
        }

        private RunReport report(List<StoreReport> storeReports) {
            return new RunReport(options.apply(), diagnostics, runs, cached, notices, storeReports, errors);
        }

        /** Stops the pipeline threads; the stores stay open for a retry (see {@link Attempts}). */
        void close() {
            executor.shutdownNow();
        }
    }
}
