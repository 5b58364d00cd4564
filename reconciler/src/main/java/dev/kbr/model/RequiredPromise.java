package dev.kbr.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code spec.requiredPromises[]} entry. Kratix compares versions as exact strings (no semver)
 * against the versions of the required Promise's revisions: the Promise's own
 * {@code kratix.io/promise-version} label and its {@code PromiseRevision} documents
 * ({@code requiredRevisionExists} in {@code internal/controller/promise_controller.go}).
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
