package dev.kbr.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.ObjectKey;
import java.util.Objects;

/**
 * One object's recorded status.
 *
 * @param key the Promise or request
 * @param store the state store whose records hold it
 * @param status its {@code status}, as Kratix would show it; do not mutate
 */
public record ObjectStatusView(ObjectKey key, String store, ObjectNode status) {
    public ObjectStatusView {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(status, "status");
    }
}
