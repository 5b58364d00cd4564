package dev.kbr.model;

import java.util.Arrays;
import java.util.Optional;

/** A Destination's {@code spec.filepath.mode} ({@code api/v1alpha1/destination_types.go}). */
public enum FilepathMode {
    NESTED_BY_METADATA("nestedByMetadata"),
    AGGREGATED_YAML("aggregatedYAML"),
    NONE("none");

    private final String value;

    FilepathMode(String value) {
        this.value = value;
    }

    /** The spelling used in Destination documents. */
    public String value() {
        return value;
    }

    /** Parses the spelling used in Destination documents; empty when unknown. */
    public static Optional<FilepathMode> parse(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst();
    }
}
