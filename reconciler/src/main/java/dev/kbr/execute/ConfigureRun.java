package dev.kbr.execute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.WorkId;
import dev.kbr.schedule.Work;
import java.util.List;
import java.util.Objects;

/**
 * How one object's configure workflow ended (KRATIX.md §2.5): its pipelines in order, each a
 * Work, stopping at the first failure or suspension.
 *
 * @param object the object with the status its pipelines and the workflow's end gave it
 * @param outcome completed, failed or suspended, and at which pipeline
 * @param steps the pipelines that ran, in order
 * @param keptWorks the Works of the pipeline that stopped the workflow and of those after it,
 *     which keep what the last pass recorded
 * @param log its pipeline runs, notices and attempts
 */
public record ConfigureRun(
        ObjectNode object, WorkflowOutcome outcome, List<PipelineStep> steps, List<WorkId> keptWorks, WorkflowLog log) {
    public ConfigureRun {
        object = object.deepCopy();
        Objects.requireNonNull(outcome, "outcome");
        steps = List.copyOf(steps);
        keptWorks = List.copyOf(keptWorks);
        Objects.requireNonNull(log, "log");
    }

    /**
     * The Works of the pipelines that succeeded and let the workflow carry on, in order; the Work
     * of a pipeline that suspended the workflow is not delivered (it is among {@link #keptWorks}).
     */
    public List<Work> works() {
        return steps.stream()
                .filter(s -> !s.control().stops())
                .flatMap(s -> s.work().stream())
                .toList();
    }

    @Override
    public ObjectNode object() {
        return object.deepCopy();
    }
}
