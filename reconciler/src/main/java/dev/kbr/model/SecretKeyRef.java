package dev.kbr.model;

import java.util.Objects;

/**
 * A value taken from a Secret key ({@code env[].valueFrom.secretKeyRef}, Kubernetes core/v1).
 * Outside a cluster kbr reads it from {@code --secrets-dir/<namespace>/<name>/<key>}, the layout
 * of a mounted Secret, where the namespace is the pipeline's namespace.
 *
 * @param name the Secret's name
 * @param key the key in the Secret
 * @param optional when true, a missing Secret or key leaves the variable unset instead of failing
 */
public record SecretKeyRef(String name, String key, boolean optional) {
    public SecretKeyRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
    }
}
