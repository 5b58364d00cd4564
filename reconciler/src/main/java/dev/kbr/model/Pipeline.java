package dev.kbr.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kratix {@code Pipeline} embedded in a Promise workflow ({@code api/v1alpha1/pipeline_types.go}).
 *
 * @param name {@code metadata.name}; becomes the {@code <pipeline>} segment of state-store paths
 * @param labels {@code metadata.labels}
 * @param containers the containers, run in order
 * @param document the pipeline document as written (for hashing); do not mutate
 * @param location where the pipeline is defined
 */
public record Pipeline(
        String name,
        Map<String, String> labels,
        List<Container> containers,
        ObjectNode document,
        SourceLocation location) {
    public Pipeline {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        containers = List.copyOf(containers);
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(location, "location");
    }
}
