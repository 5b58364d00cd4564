package dev.kbr.execute;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How one object's configure or delete workflow ended in this pass.
 *
 * <p>{@code pipelines} names every pipeline of the workflow and {@code succeeded} how many ran to
 * the end, in order.
 */
public sealed interface WorkflowOutcome {
    List<String> pipelines();

    int succeeded();

    /**
     * Every pipeline succeeded.
     *
     * @param pipelines the pipeline names
     * @param succeeded equal to their number
     */
    record Completed(List<String> pipelines, int succeeded) implements WorkflowOutcome {}

    /**
     * A pipeline failed; later ones did not run.
     *
     * @param pipelines the pipeline names
     * @param succeeded pipelines that succeeded before it
     * @param pipeline the failed pipeline
     */
    record Failed(List<String> pipelines, int succeeded, String pipeline) implements WorkflowOutcome {}

    /**
     * A pipeline asked to suspend or retry later via {@code workflow-control.yaml}.
     *
     * @param pipelines the pipeline names
     * @param succeeded pipelines that succeeded before it
     * @param pipeline the suspending pipeline
     * @param message its message
     * @param retryAfter when it asked to be retried
     */
    record Suspended(
            List<String> pipelines, int succeeded, String pipeline, String message, Optional<Duration> retryAfter)
            implements WorkflowOutcome {}
}
