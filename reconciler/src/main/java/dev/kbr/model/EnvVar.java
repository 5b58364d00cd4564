package dev.kbr.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An environment variable of a pipeline container: a plain {@code value}, or a value taken from
 * a Secret key, which the engine resolves before the container runs. Its {@link #toString()}
 * never shows a value that came from a Secret.
 *
 * @param name variable name
 * @param value its value (empty when the Promise gives none, or before a Secret is resolved)
 * @param secretKeyRef where the value comes from, when it comes from a Secret
 */
public record EnvVar(String name, String value, Optional<SecretKeyRef> secretKeyRef) {
    public EnvVar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(secretKeyRef, "secretKeyRef");
    }

    /** A plain {@code name: value} variable. */
    public EnvVar(String name, String value) {
        this(name, value, Optional.empty());
    }

    @Override
    public String toString() {
        return "EnvVar[" + name + "="
                + secretKeyRef
                        .map(ref -> "<from Secret " + ref.name() + " key " + ref.key() + ">")
                        .orElse(value) + "]";
    }
}
