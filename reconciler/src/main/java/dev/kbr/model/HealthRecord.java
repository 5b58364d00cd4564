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
 * @param check what the check found: {@code data.state}, {@code data.lastRun}, {@code data.details}
 * @param location where it is defined
 */
public record HealthRecord(String namespace, String name, ObjectKey request, Check check, SourceLocation location) {
    public HealthRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(location, "location");
    }

    /**
     * The result of one health check.
     *
     * @param state {@code data.state}
     * @param lastRun {@code data.lastRun}, Unix seconds of the last check; 0 when absent
     * @param details {@code data.details}, any JSON; empty when absent
     */
    public record Check(HealthState state, long lastRun, Optional<JsonNode> details) {
        public Check {
            Objects.requireNonNull(state, "state");
            details = details.map(JsonNode::deepCopy);
        }

        @Override
        public Optional<JsonNode> details() {
            return details.map(JsonNode::deepCopy);
        }
    }

    /** {@code data.state}. */
    public HealthState state() {
        return check.state();
    }

    /** {@code data.lastRun}, Unix seconds of the last check; 0 when absent. */
    public long lastRun() {
        return check.lastRun();
    }

    /** {@code data.details}, any JSON; empty when absent. */
    public Optional<JsonNode> details() {
        return check.details();
    }
}
