package dev.kbr.state;

import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * All of kbr's records in one state store.
 *
 * @param works the Work records, by Work
 * @param objects the object records, by object
 * @param destinations the Destination records, by Destination name
 */
public record Records(
        SortedMap<WorkId, WorkRecord> works,
        SortedMap<ObjectKey, ObjectRecord> objects,
        SortedMap<String, DestinationRecord> destinations) {
    public Records {
        works = Collections.unmodifiableSortedMap(new TreeMap<>(works));
        objects = Collections.unmodifiableSortedMap(new TreeMap<>(objects));
        destinations = Collections.unmodifiableSortedMap(new TreeMap<>(destinations));
    }

    /** Records without Destination records. */
    public Records(SortedMap<WorkId, WorkRecord> works, SortedMap<ObjectKey, ObjectRecord> objects) {
        this(works, objects, new TreeMap<>());
    }

    public static Records empty() {
        return new Records(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    /** Every repo path a Work or Destination record says kbr wrote. */
    public SortedSet<String> ownedFiles() {
        SortedSet<String> owned = new TreeSet<>();
        works.values()
                .forEach(w -> w.groups().forEach(g -> owned.addAll(g.files().keySet())));
        destinations.values().forEach(d -> owned.addAll(d.ownedFiles().keySet()));
        return owned;
    }
}
