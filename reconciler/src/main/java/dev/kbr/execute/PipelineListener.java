package dev.kbr.execute;

import dev.kbr.report.PipelineRun;

/**
 * Hears pipelines start and end while a workflow runs, for progress output. Pipelines of
 * different objects run in parallel, so implementations must be thread-safe, return quickly and
 * never throw.
 */
public interface PipelineListener {
    /** A listener that does nothing. */
    PipelineListener NONE = new PipelineListener() {};

    /**
     * A pipeline's containers are about to start.
     *
     * @param description e.g. {@code redis/default/example-redis resource.configure instance-configure}
     */
    default void pipelineStarted(String description) {}

    /**
     * A pipeline ended, its outputs accepted or rejected (a failed run says why).
     *
     * @param run what the report records for it
     */
    default void pipelineFinished(PipelineRun run) {}
}
