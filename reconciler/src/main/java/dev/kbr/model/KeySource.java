package dev.kbr.model;

import java.util.List;
import java.util.Objects;

/**
 * One Secret or ConfigMap whose keys become files of a volume: a {@code secret} or {@code
 * configMap} volume, or one of a {@code projected} volume's {@code sources[]} (Kubernetes core/v1
 * {@code SecretVolumeSource}, {@code ConfigMapVolumeSource}, {@code SecretProjection}, {@code
 * ConfigMapProjection}). The object lives in the pipeline's namespace.
 *
 * @param secret true for a Secret, false for a ConfigMap
 * @param name the object's name
 * @param items the keys to project and where; empty projects every key as a file named after it
 * @param optional when true, a missing object or key is left out instead of failing the pipeline
 */
public record KeySource(boolean secret, String name, List<KeyToPath> items, boolean optional) {
    public KeySource {
        Objects.requireNonNull(name, "name");
        items = List.copyOf(items);
    }

    /** How messages name the object, e.g. {@code Secret gcp-credentials}. */
    public String describe() {
        return (secret ? "Secret " : "ConfigMap ") + name;
    }
}
