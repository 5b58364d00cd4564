package dev.kbr.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.ObjectKey;
import java.util.Objects;
import java.util.Optional;

/**
 * The last object a workflow ran with, including the status its pipelines wrote: fed back as
 * {@code /kratix/input/object.yaml} on the next run, and given to the delete pipeline once the
 * object is gone from the platform repo.
 *
 * @param key the Promise or request
 * @param object the whole object with {@code status}; do not mutate
 * @param lastRun when and with which inputs its configure workflow last ran; empty when it never
 *     ran (e.g. it waits for its Promise)
 * @param createdThroughApi true for a resource request a pipeline created through the platform
 *     API: it exists, for later passes too, until a pipeline deletes it through the API
 */
public record ObjectRecord(ObjectKey key, ObjectNode object, Optional<LastRun> lastRun, boolean createdThroughApi) {
    public ObjectRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(lastRun, "lastRun");
    }

    /** A record of an object of the platform repo. */
    public ObjectRecord(ObjectKey key, ObjectNode object, Optional<LastRun> lastRun) {
        this(key, object, lastRun, false);
    }

    /** A record without run information. */
    public ObjectRecord(ObjectKey key, ObjectNode object) {
        this(key, object, Optional.empty());
    }

    /**
     * The inputs and time of the last configure workflow run: what decides whether the next pass
     * may reuse its outputs (Kratix's {@code kratix.io/hash} Job label, KRATIX.md §5.1).
     *
     * @param inputHash hex hash of everything the workflow's outcome depends on
     * @param at when it ran, RFC 3339, seconds
     * @param manualReconciliation the {@code kratix.io/manual-reconciliation} label value it saw,
     *     empty when there was none
     * @param requestsInOutputs whether the outputs it left may hold resource requests (a compound
     *     Promise's sub-requests), which a pass that reuses them must read back; empty when not
     *     known (recorded by an earlier release), which counts as true
     */
    public record LastRun(
            String inputHash, String at, String manualReconciliation, Optional<Boolean> requestsInOutputs) {
        public LastRun {
            Objects.requireNonNull(inputHash, "inputHash");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(manualReconciliation, "manualReconciliation");
            Objects.requireNonNull(requestsInOutputs, "requestsInOutputs");
        }

        /** A run whose outputs may hold requests, as far as is known. */
        public LastRun(String inputHash, String at, String manualReconciliation) {
            this(inputHash, at, manualReconciliation, Optional.empty());
        }

        /** False only when the run is known to have left no resource request in its outputs. */
        public boolean mayHaveRequestsInOutputs() {
            return requestsInOutputs.orElse(true);
        }
    }
}
