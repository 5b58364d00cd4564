package dev.kbr.model;

import java.util.Objects;

/**
 * A value taken from a ConfigMap key ({@code env[].valueFrom.configMapKeyRef}, Kubernetes
 * core/v1). kbr reads it from the ConfigMaps of the platform repository, in the pipeline's
 * namespace.
 *
 * @param name the ConfigMap's name
 * @param key the key in its {@code data}
 * @param optional when true, a missing ConfigMap or key leaves the variable unset instead of
 *     failing
 */
public record ConfigMapKeyRef(String name, String key, boolean optional) {
    public ConfigMapKeyRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
    }
}
