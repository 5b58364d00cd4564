package dev.kbr.pipeline;

import dev.kbr.model.PipelineSpec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * What every container-runtime runner does around its client library, so each runner says only
 * what is specific to its runtime: connecting (make the client, prove it answers, remove a killed
 * run's leftovers, and close the client again when any of that fails), refusing runs once closed,
 * closing once, turning the library's unchecked exceptions into an {@link IOException} that says
 * what was attempted (or an {@link InterruptedException} when they hide an interrupt), clean-up
 * that runs even after an interrupt, and short descriptions of the library's exceptions.
 *
 * <p>Subclasses are the Docker and Kubernetes runners; both stay thread-safe.
 */
public abstract class RuntimeConnection implements PipelineRunner {
    private final String runtime;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param runtime how messages name the runtime, e.g. {@code "Docker"} or {@code "Kubernetes"}
     */
    protected RuntimeConnection(String runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** What a new runner does before it is handed out: ping, remove leftovers, and so on. */
    @FunctionalInterface
    public interface Preparation<R> {
        /**
         * @throws IOException when the runtime cannot be used; the message names it
         * @throws InterruptedException when interrupted meanwhile
         */
        void prepare(R runner) throws IOException, InterruptedException;
    }

    /**
     * Prepares a freshly made runner and returns it, or closes it and throws when preparing fails.
     *
     * @param runner the runner, owning a client that no one else closes
     * @param preparation the checks and clean-up a connect does
     * @return {@code runner}, ready for pipelines
     * @throws IOException the preparation's; an interrupt becomes {@link InterruptedIOException}
     *     {@code "Interrupted while connecting to <runtime address>"} with the interrupt flag set
     */
    protected static <R extends RuntimeConnection> R prepared(R runner, Preparation<? super R> preparation)
            throws IOException {
        try {
            preparation.prepare(runner);
        } catch (IOException | RuntimeException e) {
            runner.close();
            throw e;
        } catch (InterruptedException e) {
            runner.close();
            throw RuntimeInterrupts.whileConnecting(runner.address(), e);
        }
        return runner;
    }

    /**
     * The runtime as messages name it, with its address, e.g. {@code "the Docker engine at
     * unix:///var/run/docker.sock"}.
     */
    protected abstract String address();

    /** Closes the client library's connection; called once, by {@link #close()}. */
    protected abstract void closeClient() throws IOException;

    /**
     * The {@link IOException} for a library exception that hides no interrupt.
     *
     * @param attempted what was tried, e.g. {@code "Tried to start container …"}
     * @param e what the library threw
     */
    protected abstract IOException failure(String attempted, RuntimeException e);

    /**
     * Throws when the runner is closed.
     *
     * @throws IllegalStateException {@code "The <runtime> pipeline runner is closed"}
     */
    protected final void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The " + runtime + " pipeline runner is closed");
        }
    }

    /** Closes the runtime connection; idempotent. */
    @Override
    public final void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            closeClient();
        }
    }

    /** A call into the client library; its unchecked exceptions are translated by {@link #call}. */
    @FunctionalInterface
    public interface LibraryCall<T> {
        /**
         * @return the library's answer
         * @throws InterruptedException when waiting for it was interrupted
         */
        T call() throws InterruptedException;
    }

    /**
     * Runs a library call, turning its unchecked exceptions into {@link #failure} or, when they
     * hide an interrupt, an {@link InterruptedException}.
     *
     * @param attempted what is being tried, for the message
     * @throws IOException when the runtime refused or could not be reached
     * @throws InterruptedException when interrupted meanwhile
     */
    protected final <T> T call(String attempted, LibraryCall<T> libraryCall) throws IOException, InterruptedException {
        try {
            return libraryCall.call();
        } catch (RuntimeException e) {
            RuntimeInterrupts.throwIfInterrupted(e, runtime);
            throw failure(attempted, e);
        }
    }

    /** Clean-up through the client library. */
    @FunctionalInterface
    public interface Cleanup {
        /**
         * @throws IOException when the runtime refuses
         * @throws InterruptedException when interrupted meanwhile
         */
        void run() throws IOException, InterruptedException;
    }

    /**
     * Runs clean-up that must happen even when the run was interrupted: the interrupt flag is
     * cleared for the clean-up and set again afterwards.
     *
     * @param what what is cleaned up, e.g. {@code "Pod ns/name of pipeline p"}
     * @throws IOException the clean-up's; {@link InterruptedIOException} {@code "Interrupted while
     *     <removing|deleting> <what>"} when the clean-up itself was interrupted
     */
    protected static void cleanUp(String verb, String what, Cleanup cleanup) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            cleanup.run();
        } catch (InterruptedException e) {
            interrupted = true;
            InterruptedIOException io = new InterruptedIOException("Interrupted while " + verb + " " + what);
            io.initCause(e);
            throw io;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A short description of a library exception: the runtime's own message where {@code own}
     * finds one, else the exception's message, else its cause's description, else the
     * exception's class name.
     */
    protected static String describe(Throwable e, Function<Throwable, Optional<String>> own) {
        Optional<String> found = own.apply(e);
        if (found.isPresent()) {
            return found.get();
        }
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message.strip();
        }
        Throwable cause = e.getCause();
        return cause != null && cause != e ? describe(cause, own) : e.getClass().getSimpleName();
    }

    /**
     * A container's log with a note of why it may be incomplete: {@code "[kbr: <problem>]"} on a
     * line of its own; the log unchanged when {@code problem} is null.
     */
    protected static String withProblem(String log, String problem) {
        if (problem == null) {
            return log;
        }
        return log + (log.isEmpty() || log.endsWith("\n") ? "" : "\n") + "[kbr: " + problem + "]\n";
    }

    /**
     * The result both runners give a pipeline with a container field neither honours, before
     * anything runs: {@link PipelineResult.Failed} naming the container, with the first problem
     * ({@code "<file>:<line>: error: <field>: <message>"}) as the reason and a count of the others.
     *
     * @param spec the pipeline's containers, read with {@link PipelineSpec#read(dev.kbr.model.Pipeline)}
     * @param startedNanos when the run started, a {@link System#nanoTime()} reading
     * @return the failure, or empty when every field can be honoured
     */
    protected static Optional<PipelineResult> unhonoured(PipelineSpec spec, long startedNanos) {
        List<PipelineSpec.Problem> problems = spec.problems();
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        PipelineSpec.Problem first = problems.get(0);
        String others =
                problems.size() == 1 ? "" : " (and " + (problems.size() - 1) + " more; kbr validate lists them all)";
        return Optional.of(new PipelineResult.Failed(
                first.container(), first.diagnostic() + others, List.of(), since(startedNanos)));
    }

    /** The time since {@code startedNanos}, a {@link System#nanoTime()} reading. */
    protected static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
