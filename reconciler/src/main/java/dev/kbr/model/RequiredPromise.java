package dev.kbr.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code spec.requiredPromises[]} entry. Kratix compares versions as exact strings against
 * the required Promise's {@code kratix.io/promise-version} label (no semver).
 *
 * @param name the required Promise's name
 * @param version the exact version required; empty means any version
 */
public record RequiredPromise(String name, Optional<String> version) {
    public RequiredPromise {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }
}
