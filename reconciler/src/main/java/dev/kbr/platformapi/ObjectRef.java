package dev.kbr.platformapi;

import java.util.Objects;

/**
 * Where an object lives in the API: its resource (group and plural), namespace and name.
 *
 * @param group the API group, {@code ""} for the core group (Secrets, ConfigMaps)
 * @param plural the resource, e.g. {@code namespaces} or {@code promises}
 * @param namespace the namespace, {@code ""} for cluster-scoped objects
 * @param name {@code metadata.name}
 */
public record ObjectRef(String group, String plural, String namespace, String name) implements Comparable<ObjectRef> {
    public ObjectRef {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(ObjectRef o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return (group.isEmpty() ? "" : group + "/") + plural + "/" + (namespace.isEmpty() ? "" : namespace + "/")
                + name;
    }
}
