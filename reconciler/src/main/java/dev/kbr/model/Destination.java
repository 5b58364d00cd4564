package dev.kbr.model;

import java.util.Map;
import java.util.Objects;

/**
 * A Kratix Destination ({@code api/v1alpha1/destination_types.go}): where outputs are scheduled.
 *
 * @param name {@code metadata.name}
 * @param labels {@code metadata.labels}, matched by selectors
 * @param path {@code spec.path}, the folder inside the state store; {@code "."} for its root
 * @param stateStoreRef the state store it reads from
 * @param strictMatchLabels when true, excluded from groups whose resolved selector is empty
 * @param filepathMode the layout of its folder
 * @param aggregatedFilename file name in {@code aggregatedYAML} mode (default {@code aggregated.yaml})
 * @param initWorkloads whether the canary files are written ({@code spec.initWorkloads.enabled})
 * @param cleanup what happens to its files when it is deleted ({@code spec.cleanup}, default none)
 * @param location where the Destination is defined
 */
public record Destination(
        String name,
        Map<String, String> labels,
        String path,
        StateStoreRef stateStoreRef,
        boolean strictMatchLabels,
        FilepathMode filepathMode,
        String aggregatedFilename,
        boolean initWorkloads,
        DestinationCleanup cleanup,
        SourceLocation location) {
    public Destination {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(stateStoreRef, "stateStoreRef");
        Objects.requireNonNull(filepathMode, "filepathMode");
        Objects.requireNonNull(aggregatedFilename, "aggregatedFilename");
        Objects.requireNonNull(cleanup, "cleanup");
        Objects.requireNonNull(location, "location");
    }

    /** A Destination with the default {@code cleanup: none}. */
    public Destination(
            String name,
            Map<String, String> labels,
            String path,
            StateStoreRef stateStoreRef,
            boolean strictMatchLabels,
            FilepathMode filepathMode,
            String aggregatedFilename,
            boolean initWorkloads,
            SourceLocation location) {
        this(
                name,
                labels,
                path,
                stateStoreRef,
                strictMatchLabels,
                filepathMode,
                aggregatedFilename,
                initWorkloads,
                DestinationCleanup.NONE,
                location);
    }
}
