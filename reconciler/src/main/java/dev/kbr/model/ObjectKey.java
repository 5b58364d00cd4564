package dev.kbr.model;

import java.util.Objects;

/**
 * Identity of an object whose workflows kbr runs: a Promise, or a resource request of a Promise.
 *
 * @param promise the Promise name
 * @param namespace the request's namespace; empty for the Promise itself
 * @param name the request's name; empty for the Promise itself
 */
public record ObjectKey(String promise, String namespace, String name) implements Comparable<ObjectKey> {
    public ObjectKey {
        Objects.requireNonNull(promise, "promise");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static ObjectKey promise(String promise) {
        return new ObjectKey(promise, "", "");
    }

    public static ObjectKey request(String promise, String namespace, String name) {
        return new ObjectKey(promise, namespace, name);
    }

    public boolean isPromise() {
        return name.isEmpty();
    }

    @Override
    public int compareTo(ObjectKey other) {
        // By promise, namespace, name; written out, as in WorkId.
        int c = promise.compareTo(other.promise);
        if (c == 0) {
            c = namespace.compareTo(other.namespace);
        }
        return c != 0 ? c : name.compareTo(other.name);
    }

    /** {@code promise} or {@code promise/namespace/name}. */
    @Override
    public String toString() {
        return isPromise() ? "Promise " + promise : promise + "/" + namespace + "/" + name;
    }
}
