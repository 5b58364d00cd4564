package dev.kbr.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A runner whose connection (a Docker engine ping and clean-up of a killed run's containers, or
 * a Kubernetes client) is made on a background thread while the pass loads the platform and
 * reads the state stores; both take a noticeable share of a pass that runs no pipeline (about
 * 0.4 s to connect to Docker, docs/performance.md). {@link #awaitReady()} waits for it, so a
 * runtime that cannot be reached is still one error before any pipeline runs.
 */
public final class ConnectingPipelineRunner implements PipelineRunner {

    /** Makes the connection; what {@code DockerPipelineRunner::connect} and its kin do. */
    @FunctionalInterface
    public interface Connector {
        /**
         * @return the connected runner
         * @throws IOException when the runtime cannot be reached; the message says which
         */
        PipelineRunner connect() throws IOException;
    }

    private final FutureTask<PipelineRunner> connection;

    private ConnectingPipelineRunner(Connector connector) {
        this.connection = new FutureTask<>(connector::connect);
    }

    /**
     * Starts connecting on a daemon thread and returns at once.
     *
     * @param connector makes the connection; runs once
     */
    public static ConnectingPipelineRunner start(Connector connector) {
        Objects.requireNonNull(connector, "connector");
        ConnectingPipelineRunner runner = new ConnectingPipelineRunner(connector);
        Thread thread = new Thread(runner.connection, "kbr-connect");
        thread.setDaemon(true);
        thread.start();
        return runner;
    }

    /**
     * Waits until the connection is made.
     *
     * @throws IOException the connector's, when the runtime cannot be reached
     * @throws InterruptedException when interrupted while waiting
     */
    @Override
    public void awaitReady() throws IOException, InterruptedException {
        connected();
    }

    /** {@inheritDoc} Waits for the connection first. */
    @Override
    public PipelineResult run(PipelineInvocation invocation) throws IOException, InterruptedException {
        return connected().run(invocation);
    }

    /** Waits for the connection attempt to end, then closes the runner it made, if any. */
    @Override
    public void close() throws IOException {
        PipelineRunner runner;
        try {
            runner = connection.get();
        } catch (InterruptedException e) {
            connection.cancel(true);
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | CancellationException e) {
            // Nothing was connected, so nothing to close; the failure was reported by awaitReady.
            return;
        }
        runner.close();
    }

    private PipelineRunner connected() throws IOException, InterruptedException {
        try {
            return connection.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(String.valueOf(cause.getMessage()), cause);
        } catch (CancellationException e) {
            throw new InterruptedIOException("The connection to the pipeline runtime was cancelled");
        }
    }
}
