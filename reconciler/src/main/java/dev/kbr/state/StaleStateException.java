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
    private final String expectedHead;
    private final String actualHead;

    /**
     * @param message what was attempted, on which store, and how the store moved
     * @param expectedHead the head the change set was computed against (hex); empty when the
     *     branch did not exist
     * @param actualHead the head found in the store instead (hex); empty when the branch no
     *     longer exists
     */
    public StaleStateException(String message, Optional<String> expectedHead, Optional<String> actualHead) {
        super(message);
        this.expectedHead = Objects.requireNonNull(expectedHead, "expectedHead").orElse(null);
        this.actualHead = Objects.requireNonNull(actualHead, "actualHead").orElse(null);
    }

    /** The head the change set was computed against (hex); empty when the branch did not exist. */
    public Optional<String> expectedHead() {
        return Optional.ofNullable(expectedHead);
    }

    /** The head found in the store (hex); empty when the branch does not exist there. */
    public Optional<String> actualHead() {
        return Optional.ofNullable(actualHead);
    }
}
