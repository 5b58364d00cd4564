package dev.kbr.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code platform.kratix.io/v1alpha1 HealthRecord} of the platform repo ({@code
 * api/v1alpha1/healthrecord_types.go}): the result of a health check of one resource request,
 * which Kratix copies into the request's {@code status.healthStatus}.
 *
 * @param namespace {@code metadata.namespace}, {@code default} when absent
 * @param name {@code metadata.name}
 * @param request the request it is about: {@code data.promiseRef.name}, {@code
 *     data.resourceRef.namespace} and {@code data.resourceRef.name}
 * @param state {@code data.state}
 * @param lastRun {@code data.lastRun}, Unix seconds of the last check; 0 when absent
 * @param details {@code data.details}, any JSON; empty when absent
 * @param location where it is defined
 */
public record HealthRecord(
        String namespace,
        String name,
        ObjectKey request,
        HealthState state,
        long lastRun,
        Optional<JsonNode> details,
        SourceLocation location) {
    public HealthRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        details = details.map(JsonNode::deepCopy);
        Objects.requireNonNull(location, "location");
    }

    @Override
    public Optional<JsonNode> details() {
        return details.map(JsonNode::deepCopy);
    }
}
