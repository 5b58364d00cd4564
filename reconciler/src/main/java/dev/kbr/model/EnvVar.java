package dev.kbr.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An environment variable of a pipeline container: a plain {@code value}, or a value taken from
 * a Secret or ConfigMap key, which the engine resolves before the container runs. Its {@link
 * #toString()} never shows a value that came from a Secret.
 *
 * @param name variable name
 * @param value its value (empty when the Promise gives none, or before a reference is resolved)
 * @param secretKeyRef where the value comes from, when it comes from a Secret
 * @param configMapKeyRef where the value comes from, when it comes from a ConfigMap
 */
public record EnvVar(
        String name, String value, Optional<SecretKeyRef> secretKeyRef, Optional<ConfigMapKeyRef> configMapKeyRef) {
    public EnvVar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(secretKeyRef, "secretKeyRef");
        Objects.requireNonNull(configMapKeyRef, "configMapKeyRef");
        if (secretKeyRef.isPresent() && configMapKeyRef.isPresent()) {
            throw new IllegalArgumentException("variable " + name + " has both a secretKeyRef and a configMapKeyRef");
        }
    }

    /** A variable from a Secret key, or a plain one when {@code secretKeyRef} is empty. */
    public EnvVar(String name, String value, Optional<SecretKeyRef> secretKeyRef) {
        this(name, value, secretKeyRef, Optional.empty());
    }

    /** A plain {@code name: value} variable. */
    public EnvVar(String name, String value) {
        this(name, value, Optional.empty(), Optional.empty());
    }

    /**
     * Whether the value comes from a Secret or ConfigMap: the kubelet expands {@code $(VAR)} only
     * in plain values ({@code pkg/kubelet/kubelet_pods.go}, {@code makeEnvironmentVariables}).
     */
    public boolean fromReference() {
        return secretKeyRef.isPresent() || configMapKeyRef.isPresent();
    }

    @Override
    public String toString() {
        return "EnvVar[" + name + "="
                + secretKeyRef
                        .map(ref -> "<from Secret " + ref.name() + " key " + ref.key() + ">")
                        .orElse(value) + "]";
    }
}
