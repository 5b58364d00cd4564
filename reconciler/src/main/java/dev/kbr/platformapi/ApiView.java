package dev.kbr.platformapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the API serves at one moment of a pass: the kinds and every object, each as the API server
 * would hand it over ({@code apiVersion}, {@code kind}, {@code metadata} with {@code namespace},
 * {@code uid}, {@code generation}, {@code creationTimestamp} and {@code resourceVersion}, and {@code
 * status}). Secrets are not listed here; they are read by name through {@link SecretSource}.
 *
 * @param kinds every resource served, Promise APIs included
 * @param objects every object by where it lives; do not mutate the nodes
 * @param createdThroughApi the resource requests created through the API (in this pass or an
 *     earlier one): the only objects a pipeline may update or delete
 */
public record ApiView(
        List<ServedKind> kinds, SortedMap<ObjectRef, ObjectNode> objects, SortedSet<ObjectRef> createdThroughApi) {
    public ApiView {
        kinds = List.copyOf(kinds);
        objects = Collections.unmodifiableSortedMap(new TreeMap<>(objects));
        createdThroughApi = Collections.unmodifiableSortedSet(new TreeSet<>(createdThroughApi));
    }

    /** The kind of the platform repo's ConfigMaps. */
    public static final ServedKind CONFIG_MAPS = new ServedKind(
            "", "v1", "ConfigMap", "configmaps", "configmap", List.of("cm"), true, java.util.Optional.empty());

    /** A view of these kinds and objects, none created through the API. */
    public static ApiView of(List<ServedKind> kinds, SortedMap<ObjectRef, ObjectNode> objects) {
        return new ApiView(kinds, objects, new TreeSet<>(Set.of()));
    }
}
