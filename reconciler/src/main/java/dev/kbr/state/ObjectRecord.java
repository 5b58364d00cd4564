package dev.kbr.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.ObjectKey;
import java.util.Objects;

/**
 * The last object a workflow ran with, including the status its pipelines wrote: fed back as
 * {@code /kratix/input/object.yaml} on the next run, and given to the delete pipeline once the
 * object is gone from the platform repo.
 *
 * @param key the Promise or request
 * @param object the whole object with {@code status}; do not mutate
 */
public record ObjectRecord(ObjectKey key, ObjectNode object) {
    public ObjectRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(object, "object");
    }
}
