package dev.kbr.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.execute.WorkflowOutcome;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import dev.kbr.schedule.Work;
import dev.kbr.state.ObjectRecord;
import java.util.List;
import java.util.Objects;

/**
 * What the pass did with one object (a Promise or a resource request), decided by one task and
 * folded into the pass's {@link Execution} on the pass's own thread. Each kind says what the
 * object delivers this pass: the Works it produced, the recorded Works it keeps, and the object
 * the state store records for it.
 */
sealed interface ObjectOutcome {
    /** The object this is about. */
    ObjectKey key();

    /**
     * Its configure workflow ran.
     *
     * @param object the object with the status the workflow gave it
     * @param workflow how the workflow ended
     * @param works the Works of its succeeded pipelines (and a Promise's static dependencies)
     * @param keptWorks the Works of the pipeline that stopped it and later ones, kept as recorded
     * @param lastRun the run to record (input hash, time, manual-reconciliation label)
     */
    record Ran(
            ObjectKey key,
            ObjectNode object,
            WorkflowOutcome workflow,
            List<Work> works,
            List<WorkId> keptWorks,
            ObjectRecord.LastRun lastRun)
            implements ObjectOutcome {
        public Ran {
            Objects.requireNonNull(key, "key");
            object = object.deepCopy();
            Objects.requireNonNull(workflow, "workflow");
            works = List.copyOf(works);
            keptWorks = List.copyOf(keptWorks);
            Objects.requireNonNull(lastRun, "lastRun");
        }
    }

    /**
     * Its inputs did not change: the recorded outputs and status stand.
     *
     * @param object the object with its recorded status
     * @param works a Promise's static dependencies, made again from the Promise file
     * @param keptWorks the recorded Works of its workflow
     * @param lastRun the recorded run, unchanged
     */
    record Cached(
            ObjectKey key, ObjectNode object, List<Work> works, List<WorkId> keptWorks, ObjectRecord.LastRun lastRun)
            implements ObjectOutcome {
        public Cached {
            Objects.requireNonNull(key, "key");
            object = object.deepCopy();
            works = List.copyOf(works);
            keptWorks = List.copyOf(keptWorks);
            Objects.requireNonNull(lastRun, "lastRun");
        }
    }

    /**
     * Kept exactly as recorded (it is invalid, or held because the platform did not load whole):
     * its recorded Works and record, and for a Promise those of its requests too.
     */
    record Kept(ObjectKey key) implements ObjectOutcome {}

    /**
     * Waits for a required Promise (or its Promise) to become available: kept as recorded, with
     * the status that says it waits.
     *
     * @param object the object with its waiting status
     */
    record Waiting(ObjectKey key, ObjectNode object) implements ObjectOutcome {
        public Waiting {
            Objects.requireNonNull(key, "key");
            object = object.deepCopy();
        }
    }

    /** Gone from the platform, and its delete workflow completed (or it had none): pruned. */
    record Deleted(ObjectKey key) implements ObjectOutcome {}

    /**
     * Gone from the platform, but its delete workflow failed or suspended: everything it
     * delivered stays, and the record shows why.
     *
     * @param object the recorded object with its {@code DeleteWorkflowCompleted} condition
     */
    record DeleteBlocked(ObjectKey key, ObjectNode object) implements ObjectOutcome {
        public DeleteBlocked {
            Objects.requireNonNull(key, "key");
            object = object.deepCopy();
        }
    }

    /** Gone from the platform, but not deleted in this pass (it cannot be trusted, or a request blocks its Promise). */
    record Held(ObjectKey key) implements ObjectOutcome {}
}
