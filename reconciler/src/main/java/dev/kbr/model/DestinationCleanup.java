package dev.kbr.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * A Destination's {@code spec.cleanup} ({@code api/v1alpha1/destination_types.go}): what happens to
 * what was written for it when the Destination is deleted.
 */
public enum DestinationCleanup {
    /** The default: every file stays, and WorkPlacements keep pointing at the gone Destination. */
    NONE("none"),
    /** Every WorkPlacement targeting it is deleted (hence its files), and so are the canary files. */
    ALL("all");

    private final String value;

    DestinationCleanup(String value) {
        this.value = value;
    }

    /** The spelling used in Destination documents. */
    public String value() {
        return value;
    }

    /** Parses the spelling used in Destination documents; empty when unknown. */
    public static Optional<DestinationCleanup> parse(String value) {
        return Arrays.stream(values()).filter(c -> c.value.equals(value)).findFirst();
    }
}
