package dev.kbr.plan;

import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the last passes recorded in the state stores, as far as planning needs it: which objects
 * and Works exist, how each object's last configure workflow ran, and where its Works were placed.
 * Built by the engine from every store's records (the first store in name order wins where two
 * record the same object); immutable.
 *
 */
public final class Recorded {
    private final SortedMap<ObjectKey, LastRun> lastRuns;
    private final Set<ObjectKey> reconciled;
    private final SortedSet<ObjectKey> objects;
    private final SortedSet<WorkId> works;
    private final SortedMap<ObjectKey, List<Placement>> placements;
    private final Set<ObjectKey> outputsChanged;
    // Per-object lookups that scan every Work make a pass quadratic in the number of requests.
    private final Map<ObjectKey, List<WorkId>> worksByObject = new HashMap<>();

    /** A record in which no delivered file was changed in the state store. */
    public Recorded(
            SortedMap<ObjectKey, LastRun> lastRuns,
            Set<ObjectKey> reconciled,
            SortedSet<ObjectKey> objects,
            SortedSet<WorkId> works,
            SortedMap<ObjectKey, List<Placement>> placements) {
        this(lastRuns, reconciled, objects, works, placements, Set.of());
    }

    /**
     * @param outputsChanged the objects whose delivered files no longer hold what was recorded for
     *     them (a file edited or removed by hand in the state store)
     */
    public Recorded(
            SortedMap<ObjectKey, LastRun> lastRuns,
            Set<ObjectKey> reconciled,
            SortedSet<ObjectKey> objects,
            SortedSet<WorkId> works,
            SortedMap<ObjectKey, List<Placement>> placements,
            Set<ObjectKey> outputsChanged) {
        this.outputsChanged = Set.copyOf(outputsChanged);
        this.lastRuns = Collections.unmodifiableSortedMap(new TreeMap<>(lastRuns));
        this.reconciled = Set.copyOf(reconciled);
        this.objects = Collections.unmodifiableSortedSet(new TreeSet<>(objects));
        this.works = Collections.unmodifiableSortedSet(new TreeSet<>(works));
        SortedMap<ObjectKey, List<Placement>> copy = new TreeMap<>();
        placements.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.placements = Collections.unmodifiableSortedMap(copy);
        this.works.forEach(id -> worksByObject
                .computeIfAbsent(id.object(), k -> new ArrayList<>())
                .add(id));
        worksByObject.replaceAll((k, v) -> List.copyOf(v));
    }

    /** The last configure run of each object. */
    public SortedMap<ObjectKey, LastRun> lastRuns() {
        return lastRuns;
    }

    /**
     * This record, with the objects whose delivered files no longer hold what was recorded for
     * them (a file edited or removed by hand in the state store).
     */
    public Recorded withOutputsChanged(Set<ObjectKey> changed) {
        return new Recorded(lastRuns, reconciled, objects, works, placements, changed);
    }

    /** Whether a file {@code key} delivered was changed in the state store since it was recorded. */
    public boolean outputChanged(ObjectKey key) {
        return outputsChanged.contains(key);
    }

    /** Whether the recorded status of {@code key} has {@code Reconciled=True}. */
    public boolean endedReconciled(ObjectKey key) {
        return reconciled.contains(key);
    }

    /** Every recorded object. */
    public SortedSet<ObjectKey> objects() {
        return objects;
    }

    /** Every recorded Work. */
    public SortedSet<WorkId> works() {
        return works;
    }

    /** Where the recorded Works of {@code key} were placed, in store, Work and group order. */
    public List<Placement> placements(ObjectKey key) {
        return placements.getOrDefault(key, List.of());
    }

    /** Nothing recorded: a new state store. */
    public static Recorded none() {
        return new Recorded(new TreeMap<>(), Set.of(), new TreeSet<>(), new TreeSet<>(), new TreeMap<>());
    }

    /**
     * How an object's last configure workflow ran (kbr's record of it, {@code lastRun} in
     * {@code .kbr/objects/...}).
     *
     * @param inputHash {@link InputHash} of its inputs then
     * @param at when it ran, RFC 3339
     * @param manualReconciliation the {@code kratix.io/manual-reconciliation} label then, or empty
     * @param nextRetryAt when it suspended with {@code retryAfter}: the {@code nextRetryAt} its
     *     status records, before which Kratix does not run it again; else empty
     */
    public record LastRun(
            String inputHash,
            String at,
            String manualReconciliation,
            java.util.Optional<java.time.Instant> nextRetryAt) {
        public LastRun {
            java.util.Objects.requireNonNull(nextRetryAt, "nextRetryAt");
        }

        /** A run that did not ask to be retried later. */
        public LastRun(String inputHash, String at, String manualReconciliation) {
            this(inputHash, at, manualReconciliation, java.util.Optional.empty());
        }
    }

    /**
     * One group of a recorded Work placed on a Destination.
     *
     * @param destination the Destination's name
     * @param recordedCleanup the {@code cleanup} policy recorded for it in the same store, empty
     *     when the store has no record of the Destination
     */
    public record Placement(String destination, Optional<DestinationCleanup> recordedCleanup) {}

    /** The recorded Works of one object, in {@link WorkId} order; empty when it has none. */
    public List<WorkId> worksOf(ObjectKey key) {
        return worksByObject.getOrDefault(key, List.of());
    }

    /** The last run recorded for {@code key}. */
    public Optional<LastRun> lastRun(ObjectKey key) {
        return Optional.ofNullable(lastRuns.get(key));
    }
}
