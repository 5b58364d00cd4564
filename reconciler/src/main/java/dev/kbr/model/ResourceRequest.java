package dev.kbr.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A resource request: an object whose group, version and kind are served by a Promise's API.
 *
 * @param promiseName the Promise serving it
 * @param gvk its group, version and kind
 * @param namespace {@code metadata.namespace}, {@code default} when absent
 * @param name {@code metadata.name}
 * @param object the whole document (after defaulting, once validated); do not mutate
 * @param location where it is defined: a platform file, or a parent pipeline's output
 * @param lines lines of its fields in that file
 */
public record ResourceRequest(
        String promiseName,
        GroupVersionKind gvk,
        String namespace,
        String name,
        ObjectNode object,
        SourceLocation location,
        LineMap lines) {
    public ResourceRequest {
        Objects.requireNonNull(promiseName, "promiseName");
        Objects.requireNonNull(gvk, "gvk");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(lines, "lines");
    }

    /** The same request with another object body (e.g. after defaults were applied). */
    public ResourceRequest withObject(ObjectNode newObject) {
        return new ResourceRequest(promiseName, gvk, namespace, name, newObject, location, lines);
    }

    /** {@code promise/namespace/name}, the way reports name a request. */
    public String displayName() {
        return promiseName + "/" + namespace + "/" + name;
    }
}
