package dev.kbr.pipeline;

import java.io.InterruptedIOException;

/**
 * Interrupts that a container runtime's client library hides in its own unchecked exceptions
 * (docker-java's, fabric8's), turned back into {@link InterruptedException}, so a pass that is
 * interrupted (timeout, shutdown) stops instead of reporting a failed request. Both runners use
 * it.
 */
public final class RuntimeInterrupts {
    private RuntimeInterrupts() {}

    /**
     * Throws an {@link InterruptedException} when {@code e} was caused by an interrupt (an
     * {@link InterruptedException} or {@link InterruptedIOException} in its cause chain) or the
     * current thread's interrupt flag is set; returns otherwise. The flag is cleared, as after
     * {@link Thread#sleep}, since whoever catches the exception expects that.
     *
     * @param e what the client library threw
     * @param runtime how the message names the request, e.g. {@code "Docker"}
     * @throws InterruptedException {@code "Interrupted during a <runtime> request"}, caused by {@code e}
     */
    public static void throwIfInterrupted(RuntimeException e, String runtime) throws InterruptedException {
        boolean interrupt = Thread.interrupted();
        for (Throwable t = e; t != null && !interrupt; t = t.getCause()) {
            interrupt = t instanceof InterruptedException || t instanceof InterruptedIOException;
        }
        if (interrupt) {
            InterruptedException interrupted = new InterruptedException("Interrupted during a " + runtime + " request");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    /**
     * An interrupt while a runner connects, as the {@link InterruptedIOException} that connecting
     * throws; the thread's interrupt flag is set again for whoever handles it.
     *
     * @param what what was being connected to, e.g. {@code "the Docker engine at unix:///…"}
     */
    public static InterruptedIOException whileConnecting(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException interrupted = new InterruptedIOException("Interrupted while connecting to " + what);
        interrupted.initCause(e);
        return interrupted;
    }

    /**
     * An interrupted stream read as an {@link InterruptedException}: {@code "<attempted> but was
     * interrupted"}, caused by {@code e}.
     */
    public static InterruptedException interrupted(String attempted, InterruptedIOException e) {
        InterruptedException interrupted = new InterruptedException(attempted + " but was interrupted");
        interrupted.initCause(e);
        return interrupted;
    }
}
