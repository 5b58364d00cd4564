package dev.kbr.model;

import java.util.Objects;

/**
 * A state store's {@code spec.secretRef}; the namespace defaults to {@code default}.
 *
 * @param namespace the Secret's namespace
 * @param name the Secret's name
 */
public record SecretRef(String namespace, String name) {
    public SecretRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }
}
