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
 * @param volumes the pipeline's volumes ({@code spec.volumes}), in order
 * @param document the pipeline document as written (for hashing); do not mutate
 * @param location where the pipeline is defined
 */
public record Pipeline(
        String name,
        Map<String, String> labels,
        List<Container> containers,
        List<Volume> volumes,
        ObjectNode document,
        SourceLocation location) {
    public Pipeline {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        containers = List.copyOf(containers);
        volumes = List.copyOf(volumes);
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(location, "location");
    }

    /** A pipeline without volumes. */
    public Pipeline(
            String name,
            Map<String, String> labels,
            List<Container> containers,
            ObjectNode document,
            SourceLocation location) {
        this(name, labels, containers, List.of(), document, location);
    }

    /** The same pipeline with other containers (e.g. once Secrets are resolved). */
    public Pipeline withContainers(List<Container> newContainers) {
        return new Pipeline(name, labels, newContainers, volumes, document, location);
    }

    /** The same pipeline with other volumes (e.g. once Secret and ConfigMap volumes are resolved). */
    public Pipeline withVolumes(List<Volume> newVolumes) {
        return new Pipeline(name, labels, containers, newVolumes, document, location);
    }
}
