package dev.kbr.model;

import java.util.Objects;

/**
 * A Destination's {@code spec.stateStoreRef}.
 *
 * @param kind {@code GitStateStore} or {@code BucketStateStore}
 * @param name the state store's name
 */
public record StateStoreRef(String kind, String name) {
    public StateStoreRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }
}
