package dev.kbr.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Merges a pipeline's {@code /kratix/metadata/status.yaml} into an object's status as Kratix's
 * status-writer does ({@code work-creator/lib/status_updater.go}): shallow, each top-level key
 * replaces the old value, except {@code conditions}, merged by {@code type} (the file wins); the
 * {@code kratix} key is reserved.
 */
public final class ObjectStatus {
    private ObjectStatus() {}

    /**
     * @param object the object, changed in place
     * @param statusFile the parsed {@code status.yaml}
     * @throws IllegalArgumentException when the file is not a map or sets {@code kratix}
     */
    public static void merge(ObjectNode object, JsonNode statusFile) {
        if (statusFile.isNull() || statusFile.isMissingNode()) {
            return;
        }
        if (!statusFile.isObject()) {
            throw new IllegalArgumentException("status.yaml must be a map of status fields");
        }
        if (statusFile.has("kratix")) {
            throw new IllegalArgumentException("status.yaml must not set the key \"kratix\", which Kratix reserves");
        }
        ObjectNode status =
                object.path("status").isObject() ? (ObjectNode) object.get("status") : object.putObject("status");
        for (Iterator<Map.Entry<String, JsonNode>> it = statusFile.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("conditions")
                    && field.getValue().isArray()
                    && status.path("conditions").isArray()) {
                mergeConditions(status, field.getValue());
            } else {
                status.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static void mergeConditions(ObjectNode status, JsonNode fromFile) {
        java.util.Map<String, JsonNode> byType = new java.util.TreeMap<>();
        for (JsonNode c : status.path("conditions")) {
            byType.put(c.path("type").asText(), c);
        }
        for (JsonNode c : fromFile) {
            byType.put(c.path("type").asText(), c.deepCopy());
        }
        var merged = status.putArray("conditions");
        byType.values().forEach(merged::add);
    }
}
