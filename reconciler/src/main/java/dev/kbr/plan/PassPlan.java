package dev.kbr.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Destination;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The plan of one pass: one {@link ObjectDecision} per object known when the pass starts, in
 * Kratix's order (Promises level by level of their {@code requiredPromises}, then the platform's
 * requests in file order, then the recorded objects the platform no longer has, requests before
 * Promises). The pass builds it once, before any pipeline runs, and each object's task carries out
 * its decision; {@link #lines()} prints it ({@code kbr plan --explain}).
 *
 * <p>What the plan cannot know before pipelines run, it says so rather than guess:
 *
 * <ul>
 *   <li>Sub-requests that a compound Promise's pipelines write are decided when they appear, by the
 *       same rules ({@link #decideProduced}); they are not in the plan.
 *   <li>A request's input hash holds its Promise's spec as written in the platform, never anything
 *       the Promise's workflow produces, so a Promise that runs does not change its requests'
 *       decisions. Only its availability does: when a Promise's workflow fails in the pass, its
 *       requests (and the Promises requiring it) wait instead of their planned decision.
 *   <li>Deletions are final only after the configure phase ({@link #deletions}): a gone request
 *       may be a sub-request that a pipeline, or a cached parent's recorded outputs, produce again
 *       (its decision says {@code unless a pipeline writes it again}), and input errors found while
 *       running hold every deletion.
 * </ul>
 *
 * <p>Immutable; safe to share between the pass's threads.
 */
public final class PassPlan {
    /**
     * One object's line of the plan.
     *
     * @param key the object
     * @param subject how the plan names it: {@code Promise redis}, or a request's kind and {@code
     *     namespace/name}
     * @param decision what the pass does with it
     * @param inputHash {@link InputHash#of} its inputs now, for objects whose cache was checked;
     *     empty otherwise
     */
    public record Entry(ObjectKey key, String subject, ObjectDecision decision, String inputHash) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(inputHash, "inputHash");
        }

        /** {@code subject: decision}, e.g. {@code App default/one: run (input changed)}. */
        public String line() {
            return subject + ": " + decision.text();
        }
    }

    /**
     * What load and validation found, before anything runs.
     *
     * @param invalidPromises the names of Promises whose document has errors
     * @param requests each platform request's object as validated against its Promise's API
     *     (defaults applied, never modified afterwards), empty when it has errors; requests of
     *     invalid Promises are not validated and are absent
     * @param filesWithErrors platform files that failed to parse
     * @param destinationsDropped true when a Destination was left out because its store cannot be
     *     written: with failed files, what looks changed or gone may only look so
     * @param inputErrors true when load or validation reported an error (deletions are then held)
     */
    public record Checks(
            Set<String> invalidPromises,
            Map<ObjectKey, Optional<ObjectNode>> requests,
            List<String> filesWithErrors,
            boolean destinationsDropped,
            boolean inputErrors) {
        public Checks {
            invalidPromises = Set.copyOf(invalidPromises);
            requests = Map.copyOf(requests);
            filesWithErrors = List.copyOf(filesWithErrors);
        }

        /** True when the platform did not load whole. */
        boolean platformIncomplete() {
            return !filesWithErrors.isEmpty() || destinationsDropped;
        }
    }

    /**
     * The pass's cache and safety options.
     *
     * @param reconcileAll {@code --reconcile-all}
     * @param interval {@code --reconcile-interval}, for Promises that set none
     * @param goDuration parses a Go duration, for the Promises' own intervals ({@link
     *     ReconcileInterval#of})
     * @param now the instant of the pass
     * @param limits the mass-delete guard's limits
     */
    public record Caching(
            boolean reconcileAll,
            Duration interval,
            Function<String, Duration> goDuration,
            Instant now,
            DeleteGuard.Limits limits) {
        public Caching {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(goDuration, "goDuration");
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(limits, "limits");
        }
    }

    private final List<Entry> entries;
    private final Map<ObjectKey, Entry> byKey;
    private final PassPlanner planner;
    private final PromiseOrder order;
    private final Set<ObjectKey> platformObjects;

    private PassPlan(List<Entry> entries, PassPlanner planner, PromiseOrder order, Set<ObjectKey> platformObjects) {
        this.entries = List.copyOf(entries);
        Map<ObjectKey, Entry> index = new HashMap<>();
        this.entries.forEach(e -> index.putIfAbsent(e.key(), e));
        this.byKey = Map.copyOf(index);
        this.planner = planner;
        this.order = order;
        this.platformObjects = Set.copyOf(platformObjects);
    }

    /**
     * Plans a pass.
     *
     * @param platform the platform as loaded, state store URLs applied
     * @param destinations the Destinations this pass writes (those whose store could be read)
     * @param checks what load and validation found
     * @param recorded what the last passes recorded
     * @param recordedObjects every recorded object's last form, by key (a gone object's delete
     *     workflow runs with it)
     * @param caching the cache and safety options
     * @return the plan; never throws for a platform that loaded
     */
    public static PassPlan of(
            Platform platform,
            Collection<Destination> destinations,
            Checks checks,
            Recorded recorded,
            Map<ObjectKey, ObjectNode> recordedObjects,
            Caching caching) {
        PassPlanner planner = new PassPlanner(platform, destinations, checks, recorded, recordedObjects, caching);
        PromiseOrder order = PromiseOrder.of(platform.promises(), platform::promise);
        List<Entry> entries = new ArrayList<>();
        Map<String, ObjectDecision> promises = new HashMap<>();
        Set<ObjectKey> platformObjects = new HashSet<>();
        for (Promise promise : platform.promises()) {
            platformObjects.add(ObjectKey.promise(promise.name()));
        }
        for (List<Promise> level : order.levels()) {
            for (Promise promise : level) {
                Entry entry = planner.promise(promise, order.inCycles().contains(promise.name()), promises);
                promises.put(promise.name(), entry.decision());
                entries.add(entry);
            }
        }
        // The pass reports these input errors as it runs; with any of them, deletions are held.
        boolean inputErrors =
                checks.inputErrors() || entries.stream().anyMatch(e -> e.decision() instanceof ObjectDecision.Invalid);
        Map<ObjectKey, ResourceRequest> firsts = new LinkedHashMap<>();
        for (ResourceRequest request : platform.requests()) {
            ObjectKey key = ObjectKey.request(request.promiseName(), request.namespace(), request.name());
            if (firsts.putIfAbsent(key, request) != null) {
                inputErrors = true;
            }
        }
        // Each request's input hash covers its Promise's whole spec: with many requests that is
        // most of the planning time, so requests are decided on all cores (in order).
        List<Entry> requests = firsts.entrySet().stream()
                .parallel()
                .map(e -> planner.request(
                        e.getValue(),
                        promises.get(e.getValue().promiseName()),
                        checks.requests().get(e.getKey())))
                .toList();
        entries.addAll(requests);
        platformObjects.addAll(firsts.keySet());
        inputErrors |= requests.stream().anyMatch(e -> e.decision() instanceof ObjectDecision.Invalid);
        entries.addAll(planner.gone(platformObjects, promises, inputErrors));
        return new PassPlan(entries, planner, order, platformObjects);
    }

    /** Every decision, in the order the pass takes them. */
    public List<Entry> entries() {
        return entries;
    }

    /** The decision taken for {@code key} before the pass ran; empty for objects not in the plan. */
    public Optional<Entry> entry(ObjectKey key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The order Promises are configured in, with the cycles found. */
    public PromiseOrder order() {
        return order;
    }

    /** The warnings about Promises' reconciliation intervals (values that are not durations). */
    public List<Diagnostic> intervalWarnings() {
        return planner.intervalWarnings();
    }

    /**
     * The decision for a Promise or request of the platform; empty for other keys (a gone
     * object's entry, or a sub-request that reuses its key, is not returned).
     */
    public Optional<Entry> planned(ObjectKey key) {
        return platformObjects.contains(key) ? entry(key) : Optional.empty();
    }

    /**
     * Decides a request a pipeline produced during the pass, by the rules the plan used for the
     * platform's requests; the pass asks only once the request's Promise is available.
     *
     * @param request the sub-request
     * @param validated the request as validated against its Promise's API; empty when it has errors
     * @return {@link ObjectDecision.Invalid}, {@link ObjectDecision.Run} or {@link
     *     ObjectDecision.Cached}
     */
    public Entry decideProduced(ResourceRequest request, Optional<ObjectNode> validated) {
        return planner.configure(request, validated);
    }

    /**
     * The deletions of the pass, once its configure phase is done: the recorded objects that were
     * neither handled nor kept ({@link Deletions#plan}). Its gone objects are among this plan's
     * gone entries, since everything the platform has was handled.
     *
     * @param handled every object the pass configured or decided about: the platform's Promises
     *     and requests, and the sub-requests produced
     * @param kept recorded objects the configure phase kept as they were
     * @param inputErrors true when the pass reported an input error
     */
    public DeletionPlan deletions(Set<ObjectKey> handled, Set<ObjectKey> kept, boolean inputErrors) {
        return planner.deletions(handled, kept, inputErrors);
    }

    /**
     * The recorded objects gone from the platform that are paused, with why: their deletion waits
     * until they are unpaused, and everything they delivered is kept.
     *
     * @param handled every object the pass configured or decided about
     */
    public java.util.SortedMap<ObjectKey, String> pausedGone(Set<ObjectKey> handled) {
        return planner.pausedGone(handled);
    }

    /** Whether a gone object's delete workflow runs (see {@link ObjectDecision.Delete}). */
    public boolean runsDeleteWorkflow(ObjectKey key) {
        return planner.hasDeleteWorkflow(key);
    }

    /**
     * The plan as printed: one line per object ({@code Promise redis: cached}, {@code Redis
     * default/example: run (input changed)}), then what is decided only while the pass runs.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        entries.forEach(e -> lines.add(e.line()));
        if (entries.isEmpty()) {
            lines.add("no Promise, request or recorded object");
        }
        lines.add("(sub-requests that pipelines produce are decided when they appear, also one listed as gone;"
                + " a Promise whose workflow fails makes its requests and the Promises requiring it wait)");
        return List.copyOf(lines);
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
