package dev.kbr.execute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.schedule.Work;
import java.util.Objects;
import java.util.Optional;

/**
 * One pipeline of a configure workflow, once it ran or could not start.
 *
 * @param pipeline its name
 * @param input the object as it got it ({@code /kratix/input/object.yaml})
 * @param result how its containers ended; empty when it could not start
 * @param failure why it failed (could not start, a container failed, or its outputs were
 *     rejected); empty when it succeeded
 * @param work the Work its output makes; empty when it failed
 * @param control its {@code workflow-control.yaml}; "carry on" when it failed or had none
 */
public record PipelineStep(
        String pipeline,
        ObjectNode input,
        Optional<PipelineResult> result,
        Optional<String> failure,
        Optional<Work> work,
        WorkflowControl control) {
    public PipelineStep {
        Objects.requireNonNull(pipeline, "pipeline");
        input = input.deepCopy();
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(control, "control");
    }

    @Override
    public ObjectNode input() {
        return input.deepCopy();
    }

    /** The succeeded result whose output was accepted; empty when the step failed. */
    public Optional<PipelineResult.Succeeded> accepted() {
        return failure.isPresent()
                ? Optional.empty()
                : result.filter(PipelineResult.Succeeded.class::isInstance).map(PipelineResult.Succeeded.class::cast);
    }
}
