package dev.kbr.pipeline;

import java.io.IOException;

/**
 * Runs one Kratix pipeline: its containers in order, sharing {@code /kratix/output} and {@code
 * /kratix/metadata}, each seeing the same read-only {@code /kratix/input/object.yaml} (Kratix
 * {@code api/v1alpha1/pipeline_factory.go}). Implementations are thread-safe, so independent
 * pipelines can run concurrently.
 */
public interface PipelineRunner extends AutoCloseable {

    /**
     * Runs the invocation's containers in order and collects the output and metadata trees.
     *
     * @return {@link PipelineResult.Succeeded} when every container exited 0, otherwise {@link
     *     PipelineResult.Failed} naming the first failing container (non-zero exit, timeout,
     *     unsafe output, or an image that is missing and cannot be pulled); never null
     * @throws IOException when the runtime itself cannot be used (engine unreachable or
     *     answering with an error)
     * @throws InterruptedException when the calling thread is interrupted
     */
    PipelineResult run(PipelineInvocation invocation) throws IOException, InterruptedException;

    /**
     * Returns when the runtime can take pipelines; a runner that connects in the background
     * ({@link ConnectingPipelineRunner}) waits for its connection here. A pass calls it once,
     * after loading the platform and before any pipeline, so an unreachable runtime is one error.
     *
     * @throws IOException when the runtime cannot be reached; the message names it
     * @throws InterruptedException when interrupted while waiting
     */
    default void awaitReady() throws IOException, InterruptedException {}

    /** Releases the runtime connection; idempotent. */
    @Override
    void close() throws IOException;
}
