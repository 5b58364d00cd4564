package dev.kbr.platformapi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One resource the API serves, as discovery lists it ({@code /api/v1}, {@code
 * /apis/GROUP/VERSION}).
 *
 * @param group the API group, {@code ""} for the core group
 * @param version the version served
 * @param kind the kind, e.g. {@code NamespaceClaim}
 * @param plural the resource name, e.g. {@code namespaceclaims}
 * @param singular the singular name, lower case
 * @param shortNames short names kubectl accepts
 * @param namespaced whether objects live in namespaces
 * @param promise the Promise whose API this is; empty for Kratix's and Kubernetes' own kinds
 */
public record ServedKind(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        List<String> shortNames,
        boolean namespaced,
        Optional<String> promise) {
    public ServedKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(singular, "singular");
        shortNames = List.copyOf(shortNames);
        Objects.requireNonNull(promise, "promise");
    }

    /** {@code group/version}, or {@code version} for the core group. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** Whether this is a Promise's API, whose objects are resource requests. */
    public boolean isPromiseApi() {
        return promise.isPresent();
    }
}
