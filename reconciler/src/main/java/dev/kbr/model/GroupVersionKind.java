package dev.kbr.model;

import java.util.Objects;

/**
 * A Kubernetes API type: group (empty for the core group), version and kind.
 *
 * @param group API group, e.g. {@code marketplace.kratix.io}; empty for core types
 * @param version API version, e.g. {@code v1alpha1}
 * @param kind kind exactly as written, e.g. {@code jenkins} or {@code Database}
 */
public record GroupVersionKind(String group, String version, String kind) {
    public GroupVersionKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
    }

    /** Parses an {@code apiVersion} ({@code group/version} or {@code version}) and a kind. */
    public static GroupVersionKind of(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return slash < 0
                ? new GroupVersionKind("", apiVersion, kind)
                : new GroupVersionKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    }

    /** The {@code apiVersion} field value: {@code group/version}, or {@code version} for core. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    @Override
    public String toString() {
        return apiVersion() + " " + kind;
    }
}
