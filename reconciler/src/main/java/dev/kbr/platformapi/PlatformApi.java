package dev.kbr.platformapi;

/**
 * The platform API a pass serves to its pipelines. Thread-safe: pipelines running at once each
 * hold their own {@link ApiSession}.
 */
public interface PlatformApi extends AutoCloseable {
    /**
     * Replaces what reads see, and forgets the writes of closed sessions (the pass has folded them
     * into {@code view}). Called by the pass between waves, while no session is open.
     */
    void publish(ApiView view);

    /** Opens a session for one pipeline run. */
    ApiSession open(Caller caller);

    /** Stops serving; idempotent. */
    @Override
    void close();
}
