package dev.kbr.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * An earlier version of a Promise, kept so that requests bound to it run its workflows: a
 * {@code platform.kratix.io/v1alpha1 PromiseRevision} document
 * ({@code api/v1alpha1/promiserevision_types.go}). The latest revision is never such a document:
 * it is the Promise itself (Kratix writes it from the Promise on every reconcile,
 * {@code handlePromiseVersion} in {@code internal/controller/promise_controller.go}).
 *
 * @param promiseName {@code spec.promiseRef.name}
 * @param version {@code spec.version}, compared as an exact string
 * @param workflows the workflows of {@code spec.promiseSpec.workflows}
 * @param document the revision document as written; do not mutate
 * @param location where the revision is defined
 * @param lines lines of its fields in that file
 */
public record PromiseRevision(
        String promiseName,
        String version,
        Workflows workflows,
        ObjectNode document,
        SourceLocation location,
        LineMap lines) {
    public PromiseRevision {
        Objects.requireNonNull(promiseName, "promiseName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(workflows, "workflows");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(lines, "lines");
    }

    /** {@code spec.promiseSpec}: the Promise's spec as it was at this version. */
    public JsonNode promiseSpec() {
        return document.path("spec").path("promiseSpec");
    }

    /** Where a field of the revision is written, or the document's start. */
    public SourceLocation at(String path) {
        int line = lines.lineOf(path);
        return line > 0 ? location.atLine(line) : location;
    }
}
