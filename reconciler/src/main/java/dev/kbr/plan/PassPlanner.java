package dev.kbr.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Destination;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.PromiseRevision;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.RevisionChoice;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkflowAction;
import dev.kbr.model.WorkflowType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rules behind {@link PassPlan}: one object's decision from the platform, the checks, the
 * records and the caching options. Mirrors what Kratix's Promise and request controllers decide
 * (KRATIX.md §2.6, §2.7, §5.1).
 */
final class PassPlanner {
    private final Platform platform;
    private final List<Destination> destinations;
    private final PassPlan.Checks checks;
    private final Recorded recorded;
    private final Map<ObjectKey, ObjectNode> recordedObjects;
    private final PassPlan.Caching caching;
    private final CachePolicy cachePolicy;
    private final Map<String, Duration> intervals = new HashMap<>();
    private final Map<String, JsonNode> promiseSpecs = new HashMap<>();
    private final Map<String, JsonNode> revisionSpecs = new HashMap<>();
    private final List<Diagnostic> intervalWarnings = new ArrayList<>();

    PassPlanner(
            Platform platform,
            Collection<Destination> destinations,
            PassPlan.Checks checks,
            Recorded recorded,
            Map<ObjectKey, ObjectNode> recordedObjects,
            PassPlan.Caching caching) {
        this.platform = platform;
        this.destinations = List.copyOf(destinations);
        this.checks = checks;
        this.recorded = recorded;
        this.recordedObjects = Map.copyOf(recordedObjects);
        this.caching = caching;
        Set<String> names = new java.util.TreeSet<>();
        destinations.forEach(d -> names.add(d.name()));
        this.cachePolicy = new CachePolicy(recorded, names, caching.reconcileAll(), caching.now());
        for (Promise promise : platform.promises()) {
            ReconcileInterval interval = ReconcileInterval.of(promise, caching.interval(), caching.goDuration());
            intervalWarnings.addAll(interval.warnings());
            intervals.put(promise.name(), interval.interval());
            promiseSpecs.putIfAbsent(
                    promise.name(), Canonical.presorted(promise.document().path("spec")));
        }
        for (PromiseRevision revision : platform.revisions()) {
            ObjectNode spec = revision.document().objectNode();
            spec.put("revision", revision.version());
            spec.set("spec", revision.promiseSpec().deepCopy());
            revisionSpecs.put(revisionKey(revision), Canonical.presorted(spec));
        }
    }

    /**
     * The Promise spec a request's input hash covers: its Promise's, or, for a request bound to an
     * earlier revision, that revision's spec with its version. Requests that follow the latest
     * hash as they did before Promise versions were read, so nothing re-runs for them; moving a
     * binding to another revision changes the hash, which re-runs the request (as Kratix re-runs a
     * request whose binding's version differs from the one it applied, resourcebinding_controller.go).
     */
    private JsonNode revisionSpec(ResourceRequest request) {
        if (platform.revisionFor(request) instanceof RevisionChoice.Chosen chosen
                && chosen.revision().isPresent()) {
            return revisionSpecs.get(revisionKey(chosen.revision().get()));
        }
        return promiseSpecs.get(request.promiseName());
    }

    private static String revisionKey(PromiseRevision revision) {
        return revision.promiseName() + "\n" + revision.version();
    }

    List<Diagnostic> intervalWarnings() {
        return List.copyOf(intervalWarnings);
    }

    /**
     * A Promise's decision; the Promises it requires are decided already (earlier levels).
     *
     * @param inCycle true when it requires itself through {@code requiredPromises}
     * @param decided the decisions of the Promises of earlier levels, by name
     */
    PassPlan.Entry promise(Promise promise, boolean inCycle, Map<String, ObjectDecision> decided) {
        ObjectKey key = ObjectKey.promise(promise.name());
        String subject = "Promise " + promise.name();
        if (inCycle || checks.invalidPromises().contains(promise.name())) {
            return new PassPlan.Entry(key, subject, new ObjectDecision.Invalid(), "");
        }
        if (Paused.isPaused(promise.labels())) {
            return new PassPlan.Entry(key, subject, new ObjectDecision.Paused(Paused.LABEL + " on the Promise"), "");
        }
        boolean ranBefore = recorded.lastRun(key).isPresent();
        Optional<String> unmet = RequiredPromises.unmet(
                platform,
                promise,
                name -> decided.containsKey(name) && decided.get(name).available());
        if (unmet.isPresent() && checks.platformIncomplete() && ranBefore) {
            // The required Promise may be in a file that failed to load.
            return new PassPlan.Entry(key, subject, new ObjectDecision.Held(unmet.get() + ", but " + incomplete()), "");
        }
        if (unmet.isPresent()) {
            return new PassPlan.Entry(key, subject, new ObjectDecision.Waiting(unmet.get()), "");
        }
        String hash =
                InputHash.of(WorkflowType.PROMISE, promiseSpecs.get(promise.name()), promise.document(), destinations);
        Optional<RunReason> why = whyRun(key, promise, promise.document(), hash);
        if (why.isPresent() && checks.platformIncomplete() && ranBefore) {
            // A Destination or Promise in a file that failed to load looks gone, which changes this
            // Promise's inputs: running it would deliver for a platform that is not the real one.
            return new PassPlan.Entry(key, subject, new ObjectDecision.HeldBack(why.get(), incomplete()), hash);
        }
        return new PassPlan.Entry(key, subject, runOrCached(why), hash);
    }

    /**
     * A request's decision.
     *
     * @param promise its Promise's decision; null when its Promise is not in the plan
     * @param validated the request as validated (empty when it has errors); null when it was not
     *     validated, which only happens for the requests of invalid Promises
     */
    PassPlan.Entry request(ResourceRequest request, ObjectDecision promise, Optional<ObjectNode> validated) {
        ObjectKey key = ObjectKey.request(request.promiseName(), request.namespace(), request.name());
        String subject = subject(request);
        if (Paused.isPaused(request.object())) {
            // Kratix checks the label before anything else, even its Promise's availability.
            return new PassPlan.Entry(key, subject, new ObjectDecision.Paused(Paused.LABEL + " on the request"), "");
        }
        if (promise instanceof ObjectDecision.Paused) {
            return new PassPlan.Entry(
                    key,
                    subject,
                    new ObjectDecision.Paused(Paused.LABEL + " on its Promise " + request.promiseName()),
                    "");
        }
        if (promise == null || !promise.available() || validated == null) {
            return new PassPlan.Entry(
                    key,
                    subject,
                    new ObjectDecision.Waiting("Promise " + request.promiseName() + " is not available"),
                    "");
        }
        return configure(request, validated);
    }

    /** A request's decision once its Promise is available. */
    PassPlan.Entry configure(ResourceRequest request, Optional<ObjectNode> validated) {
        ObjectKey key = ObjectKey.request(request.promiseName(), request.namespace(), request.name());
        String subject = subject(request);
        if (Paused.isPaused(request.object())) {
            return new PassPlan.Entry(key, subject, new ObjectDecision.Paused(Paused.LABEL + " on the request"), "");
        }
        if (validated.isEmpty()) {
            return new PassPlan.Entry(key, subject, new ObjectDecision.Invalid(), "");
        }
        Promise owner = platform.promise(request.promiseName()).orElseThrow();
        String hash = InputHash.of(WorkflowType.RESOURCE, revisionSpec(request), validated.get(), destinations);
        return new PassPlan.Entry(key, subject, runOrCached(whyRun(key, owner, validated.get(), hash)), hash);
    }

    /**
     * The recorded objects the platform does not have, as far as the start of the pass can tell:
     * those of a Promise that is kept are kept with it; the others are deleted, held or refused as
     * {@link Deletions#plan} decides.
     *
     * @param platformObjects the platform's Promises and requests
     * @param promises every Promise's decision
     * @param inputErrors whether the checks, or the decisions taken, found an input error
     */
    List<PassPlan.Entry> gone(
            Set<ObjectKey> platformObjects, Map<String, ObjectDecision> promises, boolean inputErrors) {
        SortedMap<ObjectKey, String> keptWithPromise = new TreeMap<>();
        List<ObjectKey> recordedKeys = new ArrayList<>(recorded.objects());
        recorded.works().stream().map(WorkId::object).forEach(recordedKeys::add);
        for (ObjectKey key : recordedKeys) {
            ObjectDecision promise = promises.get(key.promise());
            if (!platformObjects.contains(key) && promise != null && !promise.available()) {
                keptWithPromise.put(key, "its Promise " + key.promise() + " is kept as it was");
            }
        }
        pausedGone(platformObjects).forEach(keptWithPromise::putIfAbsent);
        List<PassPlan.Entry> entries = new ArrayList<>();
        keptWithPromise.forEach(
                (key, why) -> entries.add(new PassPlan.Entry(key, subject(key), new ObjectDecision.Held(why), "")));
        DeletionPlan deletions = Deletions.plan(
                recorded, platformObjects, keptWithPromise.keySet(), trust(inputErrors), caching.limits());
        if (deletions instanceof DeletionPlan.Held held) {
            held.gone()
                    .forEach(key -> entries.add(new PassPlan.Entry(
                            key, subject(key), new ObjectDecision.Held("deletion held: " + held.reason()), "")));
        } else if (deletions instanceof DeletionPlan.Refused refused) {
            refused.gone()
                    .forEach(key ->
                            entries.add(new PassPlan.Entry(key, subject(key), new ObjectDecision.DeleteRefused(), "")));
        } else if (deletions instanceof DeletionPlan.Delete delete) {
            List<ObjectKey> order = new ArrayList<>(delete.requests());
            order.addAll(delete.promises());
            order.forEach(key -> entries.add(new PassPlan.Entry(
                    key, subject(key), new ObjectDecision.Delete(hasDeleteWorkflow(key), !key.isPromise()), "")));
        }
        return entries;
    }

    /**
     * The recorded objects gone from the platform whose deletion waits because they are paused:
     * Kratix checks {@code kratix.io/paused} before a deletion, so a paused object stays, with
     * everything it delivered, until it is unpaused. Paused are those whose recorded labels say
     * so, and those whose Promise (the platform's, else the recorded one) is paused.
     *
     * @param handled the objects the platform has or the pass decided about
     * @return each such object with why, as the plan prints it
     */
    SortedMap<ObjectKey, String> pausedGone(Set<ObjectKey> handled) {
        SortedMap<ObjectKey, String> paused = new TreeMap<>();
        for (ObjectKey key : recorded.objects()) {
            if (handled.contains(key)) {
                continue;
            }
            ObjectNode own = recordedObjects.get(key);
            boolean promisePaused = platform.promise(key.promise())
                    .map(p -> Paused.isPaused(p.labels()))
                    .orElseGet(() -> Paused.isPaused(recordedObjects.get(ObjectKey.promise(key.promise()))));
            if ((own != null && Paused.isPaused(own)) || (!key.isPromise() && promisePaused)) {
                paused.put(key, "paused (" + Paused.LABEL + "): its deletion waits until it is unpaused");
            }
        }
        return paused;
    }

    DeletionPlan deletions(Set<ObjectKey> handled, Set<ObjectKey> kept, boolean inputErrors) {
        return Deletions.plan(recorded, handled, kept, trust(inputErrors), caching.limits());
    }

    /**
     * Whether a gone object's delete workflow runs: it has a recorded form and its Promise (the
     * platform's, else the one kbr recorded) has a delete workflow for its kind of object.
     */
    boolean hasDeleteWorkflow(ObjectKey key) {
        if (!recordedObjects.containsKey(key)) {
            return false;
        }
        WorkflowType type = key.isPromise() ? WorkflowType.PROMISE : WorkflowType.RESOURCE;
        Optional<Promise> promise = platform.promise(key.promise());
        if (promise.isPresent()) {
            return !promise.get().workflows().of(type, WorkflowAction.DELETE).isEmpty();
        }
        ObjectNode recordedPromise = recordedObjects.get(ObjectKey.promise(key.promise()));
        if (recordedPromise == null) {
            return false;
        }
        String field = type == WorkflowType.PROMISE ? "promise" : "resource";
        JsonNode delete =
                recordedPromise.path("spec").path("workflows").path(field).path("delete");
        return delete.isArray() && !delete.isEmpty();
    }

    private Deletions.Trust trust(boolean inputErrors) {
        return new Deletions.Trust(
                checks.filesWithErrors(), inputErrors, !platform.promises().isEmpty());
    }

    private static String subject(ResourceRequest request) {
        return request.gvk().kind() + " " + request.namespace() + "/" + request.name();
    }

    private String subject(ObjectKey key) {
        if (key.isPromise()) {
            return key.toString();
        }
        ObjectNode object = recordedObjects.get(key);
        String kind = object == null ? "" : object.path("kind").asText("");
        String name = key.namespace() + "/" + key.name();
        return kind.isEmpty() ? key.toString() : kind + " " + name;
    }

    private String incomplete() {
        return "platform files failed to load or Destinations were left out: " + checks.filesWithErrors();
    }

    private static ObjectDecision runOrCached(Optional<RunReason> why) {
        return why.<ObjectDecision>map(ObjectDecision.Run::new).orElseGet(ObjectDecision.Cached::new);
    }

    private Optional<RunReason> whyRun(ObjectKey key, Promise promise, ObjectNode document, String hash) {
        return cachePolicy.whyRun(key, hash, InputHash.manualReconciliation(document), intervals.get(promise.name()));
    }
}
