package dev.kbr.plan;

import dev.kbr.model.ObjectKey;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What happens to the recorded objects the platform no longer has (KRATIX.md §2.7): nothing is
 * gone; they are held because the pass cannot be trusted to say what is gone; their deletion is
 * refused by the mass-delete guard; or they are deleted, requests first, each through its
 * Promise's first delete pipeline, then Promises.
 */
public sealed interface DeletionPlan {
    /** Nothing recorded is gone. */
    record Nothing() implements DeletionPlan {}

    /**
     * Gone objects kept as they are, records and outputs.
     *
     * @param reason why the pass cannot be trusted, as the notice ends
     * @param gone the objects
     */
    record Held(String reason, SortedSet<ObjectKey> gone) implements DeletionPlan {
        public Held {
            gone = Collections.unmodifiableSortedSet(new TreeSet<>(gone));
        }
    }

    /**
     * The guard refuses the pass: no delete pipeline runs, and the render refuses to write it.
     *
     * @param gone the objects
     */
    record Refused(SortedSet<ObjectKey> gone) implements DeletionPlan {
        public Refused {
            gone = Collections.unmodifiableSortedSet(new TreeSet<>(gone));
        }
    }

    /**
     * Gone objects to delete, in this order.
     *
     * @param requests resource requests, in key order
     * @param promises Promises, in key order; one with a request whose deletion did not complete
     *     is held instead (Kratix deletes a Promise only once its requests are gone)
     */
    record Delete(List<ObjectKey> requests, List<ObjectKey> promises) implements DeletionPlan {
        public Delete {
            requests = List.copyOf(requests);
            promises = List.copyOf(promises);
        }
    }
}
