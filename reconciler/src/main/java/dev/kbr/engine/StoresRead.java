package dev.kbr.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Destination;
import dev.kbr.model.ObjectKey;
import dev.kbr.plan.Recorded;
import dev.kbr.state.ObjectRecord;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state stores a pass writes, as read at its start: each store with its snapshot and
 * records, the Destinations whose store could be read, and what the records say about every
 * object, merged over the stores (the first store that records an object wins).
 *
 * @param stores the stores by name
 * @param destinations the platform's Destinations that will be written, by name
 * @param destinationsDropped true when a Destination was left out (its store is missing or of a
 *     kind kbr does not write): then what looks gone may only look so
 * @param recorded the records, for the plan
 * @param previousObjects every recorded object, by key
 * @param previousRuns every recorded last run, by key
 */
record StoresRead(
        SortedMap<String, StoreContext> stores,
        SortedMap<String, Destination> destinations,
        boolean destinationsDropped,
        Recorded recorded,
        SortedMap<ObjectKey, ObjectNode> previousObjects,
        SortedMap<ObjectKey, ObjectRecord.LastRun> previousRuns) {
    StoresRead {
        stores = Collections.unmodifiableSortedMap(new TreeMap<>(stores));
        destinations = Collections.unmodifiableSortedMap(new TreeMap<>(destinations));
        previousObjects = Collections.unmodifiableSortedMap(new TreeMap<>(previousObjects));
        previousRuns = Collections.unmodifiableSortedMap(new TreeMap<>(previousRuns));
    }

    /**
     * The recorded requests that pipelines created through the platform API, with the object
     * recorded for each: they exist until a pipeline deletes them through it.
     */
    SortedMap<ObjectKey, ObjectNode> createdThroughApi() {
        SortedMap<ObjectKey, ObjectNode> created = new TreeMap<>();
        for (StoreContext ctx : stores.values()) {
            ctx.records().objects().values().stream()
                    .filter(ObjectRecord::createdThroughApi)
                    .forEach(r -> created.putIfAbsent(r.key(), r.object()));
        }
        return created;
    }

    /** Builds the merged view of {@code stores}' records. */
    static StoresRead of(
            SortedMap<String, StoreContext> stores,
            SortedMap<String, Destination> destinations,
            boolean destinationsDropped) {
        SortedMap<ObjectKey, ObjectNode> objects = new TreeMap<>();
        SortedMap<ObjectKey, ObjectRecord.LastRun> runs = new TreeMap<>();
        java.util.SortedSet<dev.kbr.model.WorkId> works = new java.util.TreeSet<>();
        for (StoreContext ctx : stores.values()) {
            works.addAll(ctx.records().works().keySet());
            ctx.records().objects().forEach((k, v) -> {
                objects.putIfAbsent(k, v.object());
                v.lastRun().ifPresent(run -> runs.putIfAbsent(k, run));
            });
        }
        return new StoresRead(
                stores,
                destinations,
                destinationsDropped,
                RecordedView.of(stores.values(), objects, runs, works, destinations),
                objects,
                runs);
    }
}
