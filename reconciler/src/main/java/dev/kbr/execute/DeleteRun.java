package dev.kbr.execute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * How a gone object's delete workflow ended (KRATIX.md §2.7: only its first delete pipeline
 * runs; its output is ignored, its metadata is not).
 *
 * @param object the recorded object, with a {@code DeleteWorkflowCompleted=False} condition when
 *     the delete did not complete
 * @param outcome completed, failed or suspended
 * @param log its pipeline run, notices and attempt
 */
public record DeleteRun(ObjectNode object, WorkflowOutcome outcome, WorkflowLog log) {
    public DeleteRun {
        object = object.deepCopy();
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(log, "log");
    }

    @Override
    public ObjectNode object() {
        return object.deepCopy();
    }

    /** True when the delete pipeline succeeded and did not suspend: what it delivered may go. */
    public boolean completed() {
        return outcome instanceof WorkflowOutcome.Completed;
    }
}
