package dev.kbr.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Destination;
import dev.kbr.model.WorkflowType;
import java.util.Collection;
import java.util.TreeMap;

/**
 * The hash kbr records for a configure run and compares on the next pass: everything the
 * workflow's outcome depends on. Its bytes are part of the records' format: a change here re-runs
 * every workflow of every state store once.
 */
public final class InputHash {
    private InputHash() {}

    /**
     * SHA-256 (hex) of the object's {@code spec}, name and namespace and the Promise's spec (which
     * holds every pipeline and image), and for Promise workflows also the Destinations (name,
     * path, strictness, labels), so that dependencies reach a new Destination.
     *
     * @param type which workflow
     * @param promiseSpec the Promise's {@code spec} in {@link Canonical#presorted} form
     * @param document the object as validated (defaults applied), without its status
     * @param destinations the Destinations of the pass, in name order
     */
    public static String of(
            WorkflowType type, JsonNode promiseSpec, ObjectNode document, Collection<Destination> destinations) {
        ObjectNode input = document.objectNode();
        input.set("spec", document.path("spec").deepCopy());
        input.put("name", document.path("metadata").path("name").asText());
        input.put("namespace", document.path("metadata").path("namespace").asText());
        input.set("promise", promiseSpec);
        if (type == WorkflowType.PROMISE) {
            ArrayNode list = input.putArray("destinations");
            destinations.forEach(d -> list.addObject()
                    .put("name", d.name())
                    .put("path", d.path())
                    .put("strict", d.strictMatchLabels())
                    .put("labels", new TreeMap<>(d.labels()).toString()));
        }
        return Canonical.sha256(input);
    }

    /** The object's {@code kratix.io/manual-reconciliation} label, or empty. */
    public static String manualReconciliation(ObjectNode document) {
        return document.path("metadata")
                .path("labels")
                .path("kratix.io/manual-reconciliation")
                .asText("");
    }
}
