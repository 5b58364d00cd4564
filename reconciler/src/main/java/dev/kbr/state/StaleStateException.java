package dev.kbr.state;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link StateStore#commit} was refused because the store moved after the snapshot it was
 * computed against was read: someone else committed in between. Nothing was written. The caller
 * may read the store again, recompute its change set and retry.
 *
 * <p>Kratix's git writer ({@code lib/writers/git.go}) treats a rejected push as an error and
 * requeues the WorkPlacement; this exception is how kbr's engine tells that case apart from
 * other I/O failures without depending on an adapter.
 */
public class StaleStateException extends IOException {
    private static final long serialVersionUID = 1L;

    // Nullable strings rather than Optional fields: exceptions are Serializable, Optional is not.
    private final String expectedVersion;
    private final String actualVersion;

    /**
     * @param message what was attempted, on which store, and how the store moved
     * @param expectedVersion the version the change set was computed against; empty when the
     *     store held nothing
     * @param actualVersion the version found in the store instead; empty when it holds
     *     nothing (a deleted branch)
     */
    public StaleStateException(String message, Optional<String> expectedVersion, Optional<String> actualVersion) {
        super(message);
        this.expectedVersion =
                Objects.requireNonNull(expectedVersion, "expectedVersion").orElse(null);
        this.actualVersion =
                Objects.requireNonNull(actualVersion, "actualVersion").orElse(null);
    }

    /** The version the change set was computed against; empty when the store held nothing. */
    public Optional<String> expectedVersion() {
        return Optional.ofNullable(expectedVersion);
    }

    /** The version found in the store; empty when it holds nothing. */
    public Optional<String> actualVersion() {
        return Optional.ofNullable(actualVersion);
    }
}
