package dev.kbr.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.execute.DeleteRun;
import dev.kbr.execute.KratixStatus;
import dev.kbr.execute.PipelineAttempt;
import dev.kbr.execute.WorkflowExecutor;
import dev.kbr.execute.WorkflowJob;
import dev.kbr.load.PlatformLoader;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.plan.DeletionPlan;
import dev.kbr.plan.PassPlan;
import dev.kbr.report.Notice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Carries out a {@link DeletionPlan}: the objects kbr recorded that the platform no longer has.
 * Requests go first, each through its Promise's first {@code resource.delete} pipeline with the
 * last recorded object, then Promises through their first {@code promise.delete} pipeline
 * (KRATIX.md §2.7). What an object delivered is pruned once its delete pipeline succeeded; a
 * failed or suspended delete keeps everything, and a Promise with a request whose deletion did
 * not complete is not deleted yet.
 */
final class Deleting {
    /**
     * What the deletions gave.
     *
     * @param outcomes one per gone object, in the order they were decided
     * @param log the delete pipelines' runs and the notices
     * @param attempted the pipelines run, for later attempts of the pass
     * @param apiChanges the requests the delete pipelines created, updated or deleted through the
     *     platform API
     */
    record Result(
            List<ObjectOutcome> outcomes,
            PassLog log,
            Map<String, PipelineAttempt> attempted,
            List<dev.kbr.platformapi.ApiChange> apiChanges) {}

    private final Platform platform;
    private final StoresRead stores;
    private final WorkflowExecutor executor;
    private final PassPlan plan;
    private final java.time.Instant now;

    /**
     * @param platform the platform (a gone request's Promise is looked up in it first)
     * @param stores the records (a gone object's last recorded form, a gone Promise's too)
     * @param executor runs the delete pipelines
     * @param plan the pass's plan, which says whose delete workflow runs
     * @param now the pass's instant: a delete suspended with {@code retryAfter} waits until its
     *     {@code nextRetryAt}
     */
    Deleting(Platform platform, StoresRead stores, WorkflowExecutor executor, PassPlan plan, java.time.Instant now) {
        this.now = now;
        this.platform = platform;
        this.stores = stores;
        this.executor = executor;
        this.plan = plan;
    }

    /** Carries out {@code plan}; runs pipelines only for {@link DeletionPlan.Delete}. */
    Result carryOut(DeletionPlan plan) throws InterruptedException {
        PassLog log = new PassLog();
        List<ObjectOutcome> outcomes = new ArrayList<>();
        Map<String, PipelineAttempt> attempted = new TreeMap<>();
        List<dev.kbr.platformapi.ApiChange> apiChanges = new ArrayList<>();
        if (plan instanceof DeletionPlan.Held held) {
            log.notices.add(new Notice(
                    Notice.Topic.HELD,
                    "",
                    held.gone().size() + " object(s) no longer in the platform were not deleted because "
                            + held.reason() + "; they will be deleted by a clean pass"));
            held.gone().forEach(key -> outcomes.add(new ObjectOutcome.Held(key)));
        } else if (plan instanceof DeletionPlan.Refused refused) {
            // No delete pipeline runs for a pass the mass-delete guard will refuse: the renderer
            // counts these Works as deleted too, refuses, and writes nothing.
            log.notices.add(new Notice(
                    Notice.Topic.HELD,
                    "",
                    "the delete pipelines of " + refused.gone().size() + " object(s) gone from the"
                            + " platform did not run: the pass would delete too much (see the error below)"));
        } else if (plan instanceof DeletionPlan.Delete delete) {
            Set<String> blockedPromises = new HashSet<>();
            for (ObjectKey key : delete.requests()) {
                ObjectOutcome outcome = deleteObject(key, log, attempted, apiChanges);
                outcomes.add(outcome);
                if (!(outcome instanceof ObjectOutcome.Deleted)) {
                    blockedPromises.add(key.promise());
                }
            }
            for (ObjectKey key : delete.promises()) {
                if (blockedPromises.contains(key.promise())) {
                    log.notices.add(new Notice(
                            Notice.Topic.DELETE_BLOCKED,
                            key.toString(),
                            "Promise " + key.promise() + " is not deleted yet: some of its requests could not be"
                                    + " deleted"));
                    outcomes.add(new ObjectOutcome.Held(key));
                } else {
                    outcomes.add(deleteObject(key, log, attempted, apiChanges));
                }
            }
        }
        return new Result(outcomes, log, attempted, apiChanges);
    }

    /** Runs a gone object's delete pipeline; {@code Deleted} when its outputs may be pruned. */
    private ObjectOutcome deleteObject(
            ObjectKey key,
            PassLog log,
            Map<String, PipelineAttempt> attempted,
            List<dev.kbr.platformapi.ApiChange> apiChanges)
            throws InterruptedException {
        ObjectNode recorded = stores.previousObjects().get(key);
        Optional<Promise> promise = plan.runsDeleteWorkflow(key)
                ? platform.promiseForDelete(
                                key, Optional.ofNullable(recorded).flatMap(KratixStatus::appliedPromiseVersion))
                        .or(() -> recordedPromise(key.promise(), log))
                : Optional.empty();
        if (recorded == null || promise.isEmpty()) {
            log.notices.add(new Notice(
                    Notice.Topic.DELETED,
                    key.toString(),
                    key + " is gone from the platform; what it delivered is pruned"));
            return new ObjectOutcome.Deleted(key);
        }
        String objectName = key.toString();
        Optional<java.time.Instant> retryAt =
                KratixStatus.deleteRetryAt(recorded).filter(now::isBefore);
        if (retryAt.isPresent()) {
            // As Kratix requeues a suspended delete until its nextRetryAt.
            log.notices.add(new Notice(
                    Notice.Topic.DELETE_BLOCKED,
                    key.toString(),
                    objectName + ": the delete pipeline is suspended until " + KratixStatus.rfc3339(retryAt.get())
                            + " (workflow-control.yaml retryAfter); everything it delivered is kept until it"
                            + " succeeds"));
            return new ObjectOutcome.DeleteBlocked(key, recorded);
        }
        DeleteRun run = executor.delete(new WorkflowJob(promise.get(), key, recorded, "gone from the platform"));
        log.runs.addAll(run.log().runs());
        log.notices.addAll(run.log().notices());
        attempted.putAll(run.log().attempted());
        apiChanges.addAll(run.log().apiChanges());
        if (run.completed()) {
            log.notices.add(new Notice(
                    Notice.Topic.DELETED,
                    key.toString(),
                    objectName + " deleted: its delete pipeline ran and what it delivered is pruned"));
            return new ObjectOutcome.Deleted(key);
        }
        boolean suspended = run.outcome() instanceof dev.kbr.execute.WorkflowOutcome.Suspended;
        log.notices.add(new Notice(
                Notice.Topic.DELETE_BLOCKED,
                key.toString(),
                objectName + ": the delete pipeline " + (suspended ? "is suspended" : "failed")
                        + "; everything it delivered is kept until it succeeds"));
        return new ObjectOutcome.DeleteBlocked(key, run.object());
    }

    private Optional<Promise> recordedPromise(String name, PassLog log) {
        ObjectNode recorded = stores.previousObjects().get(ObjectKey.promise(name));
        if (recorded == null) {
            return Optional.empty();
        }
        return PlatformLoader.promise("Promise " + name + " as kbr recorded it", recorded, log.diagnostics);
    }
}
