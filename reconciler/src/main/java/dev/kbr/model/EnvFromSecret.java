package dev.kbr.model;

import java.util.Objects;

/**
 * {@code envFrom[].secretRef}: every key of a Secret becomes a variable, named {@code prefix +
 * key} (Kubernetes core/v1 EnvFromSource).
 *
 * @param name the Secret's name
 * @param prefix prepended to each key; empty for none
 * @param optional when true, a missing Secret adds nothing instead of failing
 */
public record EnvFromSecret(String name, String prefix, boolean optional) {
    public EnvFromSecret {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
    }
}
