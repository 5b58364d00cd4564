package dev.kbr.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.execute.KratixStatus;
import dev.kbr.execute.WorkflowOutcome;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import dev.kbr.schedule.Work;
import dev.kbr.state.ObjectRecord;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the execute phase of a pass decided, folded from every object's {@link ObjectOutcome}:
 * the input of scheduling and rendering. Immutable; the object trees it holds must not be
 * changed by readers (the methods that change status return a new value).
 *
 * @param fresh the Works produced this pass, by id
 * @param kept the recorded Works that stand as recorded (cached, kept, waiting, held, failed)
 * @param objects the objects to record with their status this pass, by key
 * @param keptObjects recorded objects kept as recorded, with the recorded object
 * @param outcomes how each configure workflow that ran this pass ended
 * @param lastRuns the last run to record per object: this pass's, else the recorded one
 */
record Execution(
        SortedMap<WorkId, Work> fresh,
        SortedSet<WorkId> kept,
        SortedMap<ObjectKey, ObjectNode> objects,
        SortedMap<ObjectKey, ObjectNode> keptObjects,
        SortedMap<ObjectKey, WorkflowOutcome> outcomes,
        SortedMap<ObjectKey, ObjectRecord.LastRun> lastRuns) {
    Execution {
        fresh = Collections.unmodifiableSortedMap(new TreeMap<>(fresh));
        kept = Collections.unmodifiableSortedSet(new TreeSet<>(kept));
        objects = Collections.unmodifiableSortedMap(new TreeMap<>(objects));
        keptObjects = Collections.unmodifiableSortedMap(new TreeMap<>(keptObjects));
        outcomes = Collections.unmodifiableSortedMap(new TreeMap<>(outcomes));
        lastRuns = Collections.unmodifiableSortedMap(new TreeMap<>(lastRuns));
    }

    /**
     * This execution with {@code failed} Works no longer fresh but kept as recorded, and the last
     * run of their objects forgotten, so those objects run again next pass (a Work that conflicts
     * with another object's is reported until it is fixed, not hidden behind the cache).
     */
    Execution withFailedWorks(Set<WorkId> failed) {
        SortedMap<WorkId, Work> stillFresh = new TreeMap<>(fresh);
        SortedSet<WorkId> nowKept = new TreeSet<>(kept);
        SortedMap<ObjectKey, ObjectRecord.LastRun> runs = new TreeMap<>(lastRuns);
        for (WorkId id : failed) {
            stillFresh.remove(id);
            nowKept.add(id);
            runs.remove(id.object());
        }
        return new Execution(stillFresh, nowKept, objects, keptObjects, outcomes, runs);
    }

    /**
     * This execution with WorksSucceeded and Reconciled set on every object whose workflow ran,
     * from where its Works' groups went (Kratix's work and placement status).
     *
     * @param unscheduled per object, the Works with a group no Destination matched
     * @param misplaced per object, the Works with a group left on a Destination that no longer
     *     matches
     * @param now the instant changed conditions are stamped with
     */
    Execution withWorkStatus(
            Map<ObjectKey, Set<String>> unscheduled, Map<ObjectKey, Set<String>> misplaced, Instant now) {
        return new Execution(
                fresh,
                kept,
                withWorkStatus(objects, outcomes, unscheduled, misplaced, now),
                keptObjects,
                outcomes,
                lastRuns);
    }

    /**
     * {@code objects} with WorksSucceeded and Reconciled set on each one whose workflow ran
     * ({@code outcomes}); the others as they are. The objects are copied, never changed.
     */
    private static SortedMap<ObjectKey, ObjectNode> withWorkStatus(
            Map<ObjectKey, ObjectNode> objects,
            Map<ObjectKey, WorkflowOutcome> outcomes,
            Map<ObjectKey, Set<String>> unscheduled,
            Map<ObjectKey, Set<String>> misplaced,
            Instant now) {
        SortedMap<ObjectKey, ObjectNode> updated = new TreeMap<>(objects);
        outcomes.forEach((key, outcome) -> {
            ObjectNode object = objects.get(key);
            if (object != null) {
                ObjectNode copy = object.deepCopy();
                KratixStatus.works(
                        copy,
                        key.isPromise(),
                        outcome,
                        List.copyOf(unscheduled.getOrDefault(key, Set.of())),
                        List.copyOf(misplaced.getOrDefault(key, Set.of())),
                        now);
                updated.put(key, copy);
            }
        });
        return updated;
    }

    /** Every object to record: this pass's, then the kept ones it does not replace. */
    SortedMap<ObjectKey, ObjectNode> allObjects() {
        SortedMap<ObjectKey, ObjectNode> all = new TreeMap<>(objects);
        keptObjects.forEach(all::putIfAbsent);
        return all;
    }

    /**
     * Folds object outcomes into an {@link Execution}, in the order they are added. Used by the
     * pass's own thread only.
     */
    static final class Builder {
        private final StoresRead read;
        private final SortedMap<WorkId, Work> fresh = new TreeMap<>();
        private final SortedSet<WorkId> kept = new TreeSet<>();
        private final SortedMap<ObjectKey, ObjectNode> objects = new TreeMap<>();
        private final SortedSet<ObjectKey> keptObjects = new TreeSet<>();
        private final SortedMap<ObjectKey, WorkflowOutcome> outcomes = new TreeMap<>();
        private final SortedMap<ObjectKey, ObjectRecord.LastRun> runs = new TreeMap<>();

        /** @param read the stores' records, which kept and held objects keep */
        Builder(StoresRead read) {
            this.read = read;
        }

        /** Adds what one object delivers this pass. */
        Builder add(ObjectOutcome outcome) {
            ObjectKey key = outcome.key();
            if (outcome instanceof ObjectOutcome.Ran ran) {
                ran.works().forEach(w -> fresh.put(w.id(), w));
                kept.addAll(ran.keptWorks());
                objects.put(key, ran.object());
                outcomes.put(key, ran.workflow());
                runs.put(key, ran.lastRun());
            } else if (outcome instanceof ObjectOutcome.Cached cached) {
                cached.works().forEach(w -> fresh.put(w.id(), w));
                kept.addAll(cached.keptWorks());
                objects.put(key, cached.object());
                runs.put(key, cached.lastRun());
            } else if (outcome instanceof ObjectOutcome.Kept) {
                keep(key);
            } else if (outcome instanceof ObjectOutcome.Waiting waiting) {
                keep(key);
                objects.put(key, waiting.object());
            } else if (outcome instanceof ObjectOutcome.DeleteBlocked blocked) {
                hold(key);
                keptObjects.remove(key);
                objects.put(key, blocked.object());
            } else if (outcome instanceof ObjectOutcome.Held) {
                hold(key);
            }
            // Deleted: nothing of it stays.
            return this;
        }

        /**
         * Drops everything added for a request, as if it had not been handled: a request deleted
         * through the platform API after its workflow ran this pass.
         */
        Builder forget(ObjectKey key) {
            fresh.keySet().removeIf(id -> id.object().equals(key));
            kept.removeIf(id -> id.object().equals(key));
            objects.remove(key);
            keptObjects.remove(key);
            outcomes.remove(key);
            runs.remove(key);
            return this;
        }

        /** Keeps an object's recorded Works and record; for a Promise, its requests' too. */
        private void keep(ObjectKey key) {
            for (WorkId id : read.recorded().works()) {
                if (id.object().equals(key) || (key.isPromise() && id.promise().equals(key.promise()))) {
                    kept.add(id);
                }
            }
            read.previousObjects().keySet().stream()
                    .filter(k ->
                            k.equals(key) || (key.isPromise() && k.promise().equals(key.promise())))
                    .forEach(keptObjects::add);
        }

        /** Keeps a gone object's Works and record as they are. */
        private void hold(ObjectKey key) {
            kept.addAll(read.recorded().worksOf(key));
            if (read.previousObjects().containsKey(key)) {
                keptObjects.add(key);
            }
        }

        /** The object with the status this pass gave it so far; empty when the pass has none. */
        java.util.Optional<ObjectNode> objectSoFar(ObjectKey key) {
            return java.util.Optional.ofNullable(objects.get(key));
        }

        /**
         * The objects so far as the commit will record them when every Work they produced finds
         * its Destinations: with Kratix's WorksSucceeded and Reconciled conditions set. What the
         * platform API serves between waves, since this pass's Works are delivered with the
         * commit that also delivers what a waiting parent produces.
         *
         * @param now the instant changed conditions are stamped with
         */
        Map<ObjectKey, ObjectNode> objectsAsCommitted(Instant now) {
            return Collections.unmodifiableMap(withWorkStatus(objects, outcomes, Map.of(), Map.of(), now));
        }

        /** The recorded objects kept so far (the deletion plan leaves them alone). */
        Set<ObjectKey> keptObjects() {
            return Collections.unmodifiableSet(keptObjects);
        }

        Execution build() {
            SortedMap<ObjectKey, ObjectNode> keptRecords = new TreeMap<>();
            keptObjects.forEach(k -> keptRecords.put(k, read.previousObjects().get(k)));
            SortedMap<ObjectKey, ObjectRecord.LastRun> lastRuns = new TreeMap<>(read.previousRuns());
            lastRuns.putAll(runs);
            return new Execution(fresh, kept, objects, keptRecords, outcomes, lastRuns);
        }
    }
}
