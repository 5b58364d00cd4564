package dev.kbr.engine;

import dev.kbr.engine.ObjectWorkflows.ObjectResult;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.ResourceRequest;
import dev.kbr.report.Notice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Requests in waves: the platform's requests (and those created through the platform API in
 * earlier passes), then the sub-requests their pipelines produced or created through the API,
 * and so on; within a wave, requests run in parallel. The platform API serves each wave the
 * objects as the waves before it left them. A request whose workflow suspended after producing
 * sub-requests (a compound Promise waiting for them, as app-stack does) runs again once they were
 * reconciled and their status changed, at most {@link #MAX_WAIT_ROUNDS} times.
 */
final class RequestWaves {
    /** How many times one pass re-runs a workflow that waits for its sub-requests. */
    static final int MAX_WAIT_ROUNDS = 5;

    /** What the pass does for the waves: runs requests' tasks and folds their results. */
    interface Tasks {
        /** Runs each request's task, in parallel; the results in request order. */
        List<ObjectResult> run(List<ResourceRequest> requests) throws InterruptedException;

        /** Folds one task's result into the pass, on the pass's thread. */
        void fold(ObjectResult result);
    }

    /**
     * @param maxRequestDepth how deep compound Promises may nest sub-requests in one pass
     * @param now the pass's instant
     */
    record Limits(int maxRequestDepth, Instant now) {}

    /** A request to reconcile, how deep it nests, and the request whose pipeline produced it. */
    private record Queued(ResourceRequest request, int depth, Optional<ObjectKey> producer) {
        ObjectKey key() {
            return ObjectKey.request(request.promiseName(), request.namespace(), request.name());
        }
    }

    private final Tasks tasks;
    private final PassLog log;
    private final Execution.Builder execution;
    private final Set<ObjectKey> handled;
    private final PassApi api;
    private final Limits limits;
    /** Each sub-request's producer, and each producer's sub-requests with their status then. */
    private final Map<ObjectKey, ObjectKey> producedBy = new HashMap<>();

    private final Map<ObjectKey, Queued> suspendedParents = new java.util.LinkedHashMap<>();
    private final Map<ObjectKey, Map<ObjectKey, String>> childStatusAtRun = new HashMap<>();

    /**
     * @param tasks runs a wave's requests in parallel and folds each result into the pass
     * @param log where diagnostics and notices go
     * @param execution the pass's execution so far
     * @param handled the objects the pass handled so far
     * @param api the platform API of the pass
     * @param limits how deep requests nest, and the pass's instant
     */
    RequestWaves(
            Tasks tasks, PassLog log, Execution.Builder execution, Set<ObjectKey> handled, PassApi api, Limits limits) {
        this.tasks = tasks;
        this.limits = limits;
        this.log = log;
        this.execution = execution;
        this.handled = handled;
        this.api = api;
    }

    /**
     * Reconciles {@code requests} and every request they lead to.
     *
     * @param requests the platform's requests
     * @throws InterruptedException when interrupted while pipelines run
     */
    void run(List<ResourceRequest> requests) throws InterruptedException {
        List<Queued> wave = new ArrayList<>();
        requests.forEach(r -> wave.add(new Queued(r, 0, Optional.empty())));
        api.recordedRequests(log).forEach(r -> wave.add(new Queued(r, 0, Optional.empty())));
        for (int round = 0; ; round++) {
            while (!wave.isEmpty()) {
                List<Queued> next = runWave(wave);
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
        api.publish(() -> execution.objectsAsCommitted(limits.now()));
    }

    /** Runs one wave; returns the next. */
    private List<Queued> runWave(List<Queued> wave) throws InterruptedException {
        api.publish(() -> execution.objectsAsCommitted(limits.now()));
        List<Queued> toRun = new ArrayList<>();
        for (Queued next : wave) {
            ResourceRequest request = next.request();
            if (handled.add(next.key())) {
                toRun.add(next);
            } else if (next.producer().isEmpty()
                    || !next.producer().equals(Optional.ofNullable(producedBy.get(next.key())))) {
                log.diagnostics.add(Diagnostic.error(
                        request.lines().lineOf("metadata.name") > 0
                                ? request.location().atLine(request.lines().lineOf("metadata.name"))
                                : request.location(),
                        "metadata.name",
                        "resource request " + request.displayName()
                                + " is produced more than once in this pass; give each request a unique name"));
            }
            // Else its producer ran again and produced it again: it was reconciled already.
        }
        List<ObjectResult> results =
                tasks.run(toRun.stream().map(Queued::request).toList());
        // Every result of the wave is in before any is acted upon: a request updated or deleted
        // through the API by one task may be another task of the same wave.
        results.forEach(tasks::fold);
        List<Queued> following = new ArrayList<>();
        for (int i = 0; i < toRun.size(); i++) {
            Queued task = toRun.get(i);
            ObjectResult result = results.get(i);
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
                if (depth > limits.maxRequestDepth()) {
                    log.diagnostics.add(Diagnostic.error(
                            sub.location(),
                            "",
                            "compound Promises nest deeper than " + limits.maxRequestDepth()
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
        return execution.objectSoFar(key).map(o -> o.path("status").toString()).orElse("");
    }
}
