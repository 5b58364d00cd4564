package dev.kbr.model;

import java.util.Objects;

/**
 * One {@code envFrom[]} entry: every key of a Secret ({@code secretRef}) or a ConfigMap ({@code
 * configMapRef}) becomes a variable, named {@code prefix + key} (Kubernetes core/v1
 * EnvFromSource).
 *
 * @param secret true for {@code secretRef}, false for {@code configMapRef}
 * @param name the Secret's or ConfigMap's name
 * @param prefix prepended to each key; empty for none
 * @param optional when true, a missing Secret or ConfigMap adds nothing instead of failing
 */
public record EnvFromSource(boolean secret, String name, String prefix, boolean optional) {
    public EnvFromSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
    }

    /** {@code secretRef} or {@code configMapRef} and the name, as messages name it. */
    public String describe() {
        return (secret ? "Secret " : "ConfigMap ") + name;
    }
}
