package dev.kbr.model;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * An {@code items[]} entry of a Secret or ConfigMap volume source (Kubernetes core/v1 {@code
 * KeyToPath}).
 *
 * @param key the key in the object
 * @param path the file's path in the volume: relative, normalised, without {@code ..}
 * @param mode the file's permission bits, e.g. {@code 0400}; empty takes the volume's {@code
 *     defaultMode}
 */
public record KeyToPath(String key, String path, OptionalInt mode) {
    public KeyToPath {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
    }
}
