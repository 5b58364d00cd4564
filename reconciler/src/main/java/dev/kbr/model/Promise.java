package dev.kbr.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kratix Promise ({@code platform.kratix.io/v1alpha1 Promise}, {@code api/v1alpha1/promise_types.go}).
 *
 * @param name {@code metadata.name}
 * @param labels {@code metadata.labels}
 * @param api the offered API, if the Promise has one
 * @param dependencies static {@code spec.dependencies} documents, in order; do not mutate
 * @param workflows the four workflows
 * @param destinationSelectors {@code spec.destinationSelectors}, in order
 * @param requiredPromises {@code spec.requiredPromises}
 * @param document the Promise document as written; do not mutate
 * @param location where the Promise is defined
 * @param lines lines of its fields in that file
 */
public record Promise(
        String name,
        Map<String, String> labels,
        Optional<PromiseApi> api,
        List<ObjectNode> dependencies,
        Workflows workflows,
        List<Selector> destinationSelectors,
        List<RequiredPromise> requiredPromises,
        ObjectNode document,
        SourceLocation location,
        LineMap lines) {
    /** Label naming the Promise's version, compared by {@code requiredPromises}. */
    public static final String VERSION_LABEL = "kratix.io/promise-version";

    /**
     * The version of a Promise without {@value #VERSION_LABEL} ({@code UnversionedPromiseVersion}
     * in Kratix's {@code internal/controller}).
     */
    public static final String UNVERSIONED = "not-set";

    public Promise {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(api, "api");
        dependencies = List.copyOf(dependencies);
        Objects.requireNonNull(workflows, "workflows");
        destinationSelectors = List.copyOf(destinationSelectors);
        requiredPromises = List.copyOf(requiredPromises);
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(lines, "lines");
    }

    /** The {@code kratix.io/promise-version} label, if set. */
    public Optional<String> version() {
        return Optional.ofNullable(labels.get(VERSION_LABEL));
    }

    /**
     * The version of the revision this Promise document is: its {@value #VERSION_LABEL} label, or
     * {@value #UNVERSIONED} (Kratix's {@code handlePromiseVersion}).
     */
    public String revisionVersion() {
        return version().orElse(UNVERSIONED);
    }

    /** The same Promise with other workflows: how a request sees an earlier revision. */
    public Promise withWorkflows(Workflows other) {
        return new Promise(
                name,
                labels,
                api,
                dependencies,
                other,
                destinationSelectors,
                requiredPromises,
                document,
                location,
                lines);
    }
}
