package dev.kbr.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.execute.ConfigureRun;
import dev.kbr.execute.KratixStatus;
import dev.kbr.execute.PipelineStep;
import dev.kbr.execute.WorkflowExecutor;
import dev.kbr.execute.WorkflowJob;
import dev.kbr.execute.WorkflowOutcome;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceBinding;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.RevisionChoice;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkType;
import dev.kbr.plan.InputHash;
import dev.kbr.plan.ObjectDecision;
import dev.kbr.plan.PassPlan;
import dev.kbr.plan.Paused;
import dev.kbr.plan.RequiredPromises;
import dev.kbr.plan.RunReason;
import dev.kbr.platformapi.ApiChange;
import dev.kbr.report.Notice;
import dev.kbr.schedule.Work;
import dev.kbr.schedule.WorkloadGroups;
import dev.kbr.state.ObjectRecord;
import dev.kbr.state.layout.KratixYaml;
import dev.kbr.validate.RequestValidator;
import dev.kbr.validate.ValidationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out one object's planned decision ({@link PassPlan}) in a pass, a Promise's or a
 * resource request's, and runs its configure workflow when the plan says so. Each call is one
 * task: it reads only the pass's immutable inputs and what it is given, and returns what it did as
 * an {@link ObjectResult}, so tasks run in parallel share nothing they write.
 *
 * <p>Mirrors Kratix's controllers: a Promise whose required Promises are not available is not
 * available and its requests wait (KRATIX.md §2.6); an invalid object keeps what it delivered;
 * an object whose inputs did not change is cached; a compound Promise's requests produce
 * sub-requests, which run in the next wave. Only what the plan could not know is decided here:
 * a required Promise whose workflow failed in this pass, and the sub-requests, which the plan's
 * rules decide when they appear ({@link PassPlan#decideProduced}).
 */
final class ObjectWorkflows {
    /** Whether a Promise can take requests after its task. */
    enum PromiseState {
        AVAILABLE,
        UNAVAILABLE,
        /** Kept as recorded because the platform did not load whole. */
        HELD,
        INVALID
    }

    /**
     * What one object's task decided.
     *
     * @param outcome what the object delivers this pass
     * @param log the task's runs, notices and diagnostics
     * @param subRequests the requests a compound Promise's pipeline produced (or recorded)
     * @param promiseState a Promise's availability after its task; empty for requests
     * @param attempted the pipelines the task ran, for later attempts of the pass
     * @param apiChanges the requests its pipelines created, updated or deleted through the
     *     platform API
     */
    record ObjectResult(
            ObjectOutcome outcome,
            PassLog log,
            List<ResourceRequest> subRequests,
            Optional<PromiseState> promiseState,
            Map<String, dev.kbr.execute.PipelineAttempt> attempted,
            List<ApiChange> apiChanges) {
        ObjectResult(
                ObjectOutcome outcome,
                PassLog log,
                List<ResourceRequest> subRequests,
                Optional<PromiseState> promiseState,
                Map<String, dev.kbr.execute.PipelineAttempt> attempted) {
            this(outcome, log, subRequests, promiseState, attempted, List.of());
        }

        /** This result with the API changes of {@code run}. */
        ObjectResult withApiChanges(List<ApiChange> changes) {
            return new ObjectResult(outcome, log, subRequests, promiseState, attempted, changes);
        }
    }

    private final Platform platform;
    private final List<String> filesWithErrors;
    private final StoresRead stores;
    private final Instant now;
    private final WorkflowExecutor executor;
    private final PassPlan plan;
    private final Map<ObjectKey, ValidationResult> validated;
    private final RequestValidator requestValidator;

    /**
     * @param platform the platform, state store URLs applied
     * @param filesWithErrors platform files that failed to load
     * @param stores the stores as read at the start of the pass
     * @param now the pass's instant
     * @param executor runs the workflows
     * @param planned the pass's plan, whose decisions the tasks carry out, and the platform
     *     requests as validated for it
     */
    ObjectWorkflows(
            Platform platform,
            List<String> filesWithErrors,
            StoresRead stores,
            Instant now,
            WorkflowExecutor executor,
            Planning.Planned planned) {
        this.platform = platform;
        this.filesWithErrors = List.copyOf(filesWithErrors);
        this.stores = stores;
        this.now = now;
        this.executor = executor;
        this.plan = planned.plan();
        this.validated = planned.requests();
        this.requestValidator = planned.requestValidator();
    }

    /** True when the platform did not load whole: then what looks changed or gone may only look so. */
    boolean platformIncomplete() {
        return !filesWithErrors.isEmpty() || stores.destinationsDropped();
    }

    /**
     * A Promise's task.
     *
     * @param promise the Promise
     * @param promises each Promise's state so far (those of earlier levels are decided)
     */
    ObjectResult promise(Promise promise, Map<String, PromiseState> promises) throws InterruptedException {
        PassLog log = new PassLog();
        ObjectKey key = ObjectKey.promise(promise.name());
        PassPlan.Entry planned = plan.planned(key).orElseThrow();
        ObjectDecision decision = planned.decision();
        if (decision instanceof ObjectDecision.Invalid) {
            log.notice(
                    Notice.Topic.KEPT, key, "Promise " + promise.name() + " has errors; its previous outputs are kept");
            return promiseResult(new ObjectOutcome.Kept(key), log, PromiseState.INVALID, Map.of());
        }
        if (decision instanceof ObjectDecision.Paused) {
            log.notice(
                    Notice.Topic.KEPT,
                    key,
                    "Promise " + promise.name() + " is paused (" + Paused.LABEL + "): nothing runs for it or its"
                            + " requests, and what they delivered stays");
            ObjectNode paused = withRecordedStatus(key, promise.document());
            KratixStatus.paused(paused, true, now);
            return promiseResult(new ObjectOutcome.Waiting(key, paused), log, PromiseState.UNAVAILABLE, Map.of());
        }
        if (decision instanceof ObjectDecision.Held held) {
            log.notice(
                    Notice.Topic.HELD,
                    key,
                    "Promise " + promise.name() + " is held as it was (" + held.reason() + "); fix them and run again");
            return promiseResult(new ObjectOutcome.Kept(key), log, PromiseState.HELD, Map.of());
        }
        ObjectNode object = withRecordedStatus(key, promise.document());
        String apiVersion = promise.api()
                .map(a -> a.gvk().apiVersion().toLowerCase(Locale.ROOT))
                .orElse("");
        String kind = promise.api().map(a -> a.gvk().kind()).orElse("");
        Optional<String> unmet = decision instanceof ObjectDecision.Waiting waiting
                ? Optional.of(waiting.reason())
                : unmetRequirement(promise, promises);
        if (unmet.isPresent()
                && !(decision instanceof ObjectDecision.Waiting)
                && platformIncomplete()
                && stores.previousRuns().containsKey(key)) {
            // Planned available, but a required Promise's workflow failed in this pass; that Promise
            // may depend on a file that failed to load: keep this Promise, its requests and their
            // status exactly as recorded.
            log.notice(
                    Notice.Topic.HELD,
                    key,
                    "Promise " + promise.name() + " is held as it was (" + unmet.get()
                            + ", but platform files failed to load or Destinations were left out: " + filesWithErrors
                            + "); fix them and run again");
            return promiseResult(new ObjectOutcome.Kept(key), log, PromiseState.HELD, Map.of());
        }
        if (unmet.isPresent()) {
            log.notice(
                    Notice.Topic.KEPT,
                    key,
                    "Promise " + promise.name() + " is unavailable: " + unmet.get()
                            + "; its requests wait and previous outputs are kept");
            KratixStatus.promiseAvailability(object, false, true, false, promise.version(), apiVersion, kind, now);
            return promiseResult(new ObjectOutcome.Waiting(key, object), log, PromiseState.UNAVAILABLE, Map.of());
        }
        String hash = planned.inputHash();
        Optional<String> why = Optional.empty();
        if (decision instanceof ObjectDecision.Run run) {
            why = Optional.of(run.reason().text());
        } else if (decision instanceof ObjectDecision.HeldBack heldBack) {
            log.notice(
                    Notice.Topic.HELD,
                    key,
                    "Promise " + promise.name() + " would run again ("
                            + heldBack.wouldRun().text()
                            + "), but is held with its previous outputs because " + heldBack.reason()
                            + "; fix them and run again");
        }
        List<Work> dependencies = new ArrayList<>();
        if (!promise.dependencies().isEmpty()) {
            byte[] content = KratixYaml.writeDocuments(promise.dependencies());
            WorkId id = WorkId.staticDependencies(promise.name());
            dependencies.add(new Work(
                    id,
                    List.of(WorkloadGroups.staticDependencies(
                            promise.name(), content, promise.destinationSelectors()))));
        }
        if (why.isEmpty()) {
            ObjectOutcome cached = cached(key, object, dependencies, "Promise " + promise.name(), log);
            return promiseResult(cached, log, PromiseState.AVAILABLE, Map.of());
        }
        ConfigureRun run = executor.configure(job(promise, key, object, planned), step -> {});
        log.runs.addAll(run.log().runs());
        log.notices.addAll(run.log().notices());
        boolean ok = run.outcome() instanceof WorkflowOutcome.Completed;
        ObjectNode result = run.object();
        KratixStatus.promiseAvailability(
                result, ok, !promise.requiredPromises().isEmpty(), true, promise.version(), apiVersion, kind, now);
        List<Work> works = new ArrayList<>(dependencies);
        works.addAll(run.works());
        ObjectOutcome ran = new ObjectOutcome.Ran(
                key, result, run.outcome(), works, run.keptWorks(), lastRun(promise.document(), hash));
        return promiseResult(
                        ran,
                        log,
                        ok ? PromiseState.AVAILABLE : PromiseState.UNAVAILABLE,
                        run.log().attempted())
                .withApiChanges(run.log().apiChanges());
    }

    private static ObjectResult promiseResult(
            ObjectOutcome outcome,
            PassLog log,
            PromiseState state,
            Map<String, dev.kbr.execute.PipelineAttempt> attempted) {
        return new ObjectResult(outcome, log, List.of(), Optional.of(state), attempted);
    }

    /**
     * A resource request's task.
     *
     * @param request the request (of the platform, or produced by a compound Promise)
     * @param promises each Promise's state after the Promise tasks
     */
    ObjectResult request(ResourceRequest request, Map<String, PromiseState> promises) throws InterruptedException {
        PassLog log = new PassLog();
        ObjectKey key = ObjectKey.request(request.promiseName(), request.namespace(), request.name());
        Promise promise = platform.promise(request.promiseName()).orElseThrow();
        PromiseState state = promises.getOrDefault(promise.name(), PromiseState.UNAVAILABLE);
        if (Paused.isPaused(request.object()) || Paused.isPaused(promise.labels())) {
            // As the plan decided (sub-requests by the same rule): Kratix checks the label first.
            log.notice(
                    Notice.Topic.KEPT,
                    key,
                    "request " + request.displayName() + " is paused (" + Paused.LABEL + " on "
                            + (Paused.isPaused(request.object()) ? "it" : "its Promise " + promise.name())
                            + "): nothing runs for it, and what it delivered stays");
            ObjectNode paused = withRecordedStatus(key, request.object());
            KratixStatus.paused(paused, false, now);
            return requestResult(new ObjectOutcome.Waiting(key, paused), log, List.of(), Map.of());
        }
        if (state != PromiseState.AVAILABLE) {
            log.notice(
                    Notice.Topic.WAITING,
                    key,
                    "request " + request.displayName() + " waits: Promise " + promise.name() + " is not available");
            if (state == PromiseState.UNAVAILABLE
                    && unmetRequirement(promise, promises).isPresent()) {
                ObjectNode waiting = withRecordedStatus(key, request.object());
                KratixStatus.promiseUnavailable(waiting, now);
                return requestResult(new ObjectOutcome.Waiting(key, waiting), log, List.of(), Map.of());
            }
            return requestResult(new ObjectOutcome.Kept(key), log, List.of(), Map.of());
        }
        ValidationResult validation;
        PassPlan.Entry planned;
        if (plan.planned(key).isPresent()) {
            validation = validated.get(key);
            planned = plan.planned(key).get();
        } else {
            // A sub-request a pipeline produced: decided now, by the plan's rules.
            validation = RevisionCheck.withBinding(
                    platform,
                    request,
                    requestValidator.validate(request, promise.api().orElseThrow()));
            planned = plan.decideProduced(
                    request, validation.hasErrors() ? Optional.empty() : Optional.of(validation.object()));
        }
        log.diagnostics.addAll(validation.diagnostics());
        if (planned.decision() instanceof ObjectDecision.Invalid) {
            log.notice(
                    Notice.Topic.KEPT,
                    key,
                    "request " + request.displayName() + " is invalid; its previous outputs are kept");
            return requestResult(new ObjectOutcome.Kept(key), log, List.of(), Map.of());
        }
        ObjectNode object = withRecordedStatus(key, validation.object());
        if (!promise.requiredPromises().isEmpty()) {
            KratixStatus.promiseAvailableForRequest(object, now);
        }
        String hash = planned.inputHash();
        Optional<String> why = whyRun(planned);
        if (why.isEmpty()) {
            ObjectOutcome cached = cached(key, object, List.of(), request.displayName(), log);
            ObjectRecord.LastRun previous = stores.previousRuns().get(key);
            // Reading every cached request's outputs back costs a request each on a bucket; a
            // run that left no sub-request says so in its record.
            List<ResourceRequest> subRequests = previous != null && !previous.mayHaveRequestsInOutputs()
                    ? List.of()
                    : RecordedOutputs.subRequests(
                            platform, stores, ((ObjectOutcome.Cached) cached).keptWorks(), request.displayName(), log);
            return requestResult(cached, log, subRequests, Map.of());
        }
        // A request bound to an earlier revision runs that revision's workflows, and its status
        // records the revision that ran. Validation has already failed a binding to a missing one.
        RevisionChoice.Chosen revision = (RevisionChoice.Chosen) platform.revisionFor(request);
        ConfigureRun run = executor.configure(job(revision.promise(), key, object, planned), step -> {});
        log.runs.addAll(run.log().runs());
        log.notices.addAll(run.log().notices());
        List<ResourceRequest> subRequests = new ArrayList<>();
        // Outputs not searched here (kept from an earlier run, or of a step that stopped the
        // workflow) may hold requests.
        boolean unsearched = !run.keptWorks().isEmpty()
                || run.steps().stream()
                        .anyMatch(step ->
                                step.work().isPresent() && step.control().stops());
        for (PipelineStep step : run.steps()) {
            if (step.work().isPresent() && !step.control().stops()) {
                String description = request.displayName() + " resource.configure " + step.pipeline();
                step.accepted()
                        .ifPresent(ok -> subRequests.addAll(RecordedOutputs.requestsIn(
                                platform, ok.output(), "output of " + description, log.diagnostics)));
            }
        }
        ObjectRecord.LastRun last = lastRun(validation.object(), hash);
        ObjectNode finished = run.object().deepCopy();
        KratixStatus.promiseVersion(
                finished,
                revision.version(),
                platform.binding(key).map(ResourceBinding::version).orElse(ResourceBinding.LATEST));
        ObjectOutcome ran = new ObjectOutcome.Ran(
                key,
                finished,
                run.outcome(),
                run.works(),
                run.keptWorks(),
                new ObjectRecord.LastRun(
                        last.inputHash(),
                        last.at(),
                        last.manualReconciliation(),
                        Optional.of(unsearched || !subRequests.isEmpty())));
        return requestResult(ran, log, subRequests, run.log().attempted())
                .withApiChanges(run.log().apiChanges());
    }

    private static ObjectResult requestResult(
            ObjectOutcome outcome,
            PassLog log,
            List<ResourceRequest> subRequests,
            Map<String, dev.kbr.execute.PipelineAttempt> attempted) {
        return new ObjectResult(outcome, log, subRequests, Optional.empty(), attempted);
    }

    private Optional<String> unmetRequirement(Promise promise, Map<String, PromiseState> promises) {
        return RequiredPromises.unmet(platform, promise, name -> promises.get(name) == PromiseState.AVAILABLE);
    }

    /**
     * The job of a planned run. A retry whose time has come ({@link RunReason.Kind#RETRY_DUE})
     * keeps the suspended pipeline's recorded {@code attempts}; any other run restarts the workflow
     * and forgets them, as Kratix does.
     */
    private static WorkflowJob job(Promise promise, ObjectKey key, ObjectNode object, PassPlan.Entry planned) {
        ObjectDecision.Run run = (ObjectDecision.Run) planned.decision();
        if (run.reason().kind() != RunReason.Kind.RETRY_DUE) {
            KratixStatus.restarted(object);
        }
        return new WorkflowJob(promise, key, object, run.reason().text());
    }

    /** Reuses the outputs of the object's last run: its recorded Works and status stand. */
    private ObjectOutcome cached(
            ObjectKey key, ObjectNode object, List<Work> dependencies, String description, PassLog log) {
        List<WorkId> works = stores.recorded().worksOf(key).stream()
                .filter(id -> id.type() != WorkType.STATIC_DEPENDENCY)
                .toList();
        log.cached.add(description);
        KratixStatus.nextRetryAt(object)
                .filter(now::isBefore)
                .ifPresent(at -> log.notice(
                        Notice.Topic.WORKFLOW,
                        key,
                        description + " is suspended until " + KratixStatus.rfc3339(at)
                                + " (workflow-control.yaml retryAfter); it runs again in the first pass from then,"
                                + " and its outputs so far stand"));
        return new ObjectOutcome.Cached(
                key, object, dependencies, works, stores.previousRuns().get(key));
    }

    /**
     * Why a request available to run runs, as the report's text; empty when it is cached. Its
     * Promise is available, so the plan can only have decided it runs or is cached.
     */
    private static Optional<String> whyRun(PassPlan.Entry planned) {
        if (planned.decision() instanceof ObjectDecision.Run run) {
            return Optional.of(run.reason().text());
        }
        if (planned.decision() instanceof ObjectDecision.Cached) {
            return Optional.empty();
        }
        throw new IllegalStateException(
                "the plan decided " + planned.line() + ", but its Promise is available; this is a bug in kbr");
    }

    private ObjectRecord.LastRun lastRun(ObjectNode document, String hash) {
        return new ObjectRecord.LastRun(hash, KratixStatus.rfc3339(now), InputHash.manualReconciliation(document));
    }

    /**
     * The object as its pipelines get it and kbr records it: the document with the recorded status
     * and the fields an API server sets (namespace, uid, creation time, generation, version).
     */
    private ObjectNode withRecordedStatus(ObjectKey key, ObjectNode document) {
        ObjectNode object = document.deepCopy();
        ObjectNode previous = stores.previousObjects().get(key);
        if (previous != null && previous.has("status")) {
            object.set("status", previous.get("status").deepCopy());
        } else {
            object.remove("status");
        }
        if (!key.isPromise()) {
            KratixStatus.health(object, platform.healthRecordsOf(key));
        }
        return ApiViews.served(key, object, stores, now);
    }
}
