package dev.kbr.platformapi.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.platformapi.ApiView;
import dev.kbr.platformapi.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What reads see between two publishes: the published view's objects overlaid with this pass's
 * writes, shared by every session (a request created by one run is at once readable by all, as in
 * a cluster). Each write is atomic: the read, the check and the store happen under one lock, so
 * parallel runs cannot lose each other's updates. Objects handed out are copies.
 */
final class ObjectStore {
    /** Whether a write needs the object to have been created through the API. */
    enum Owner {
        ANY,
        API
    }

    private final TreeMap<ObjectRef, ObjectNode> objects;
    private final SortedSet<ObjectRef> createdThroughApi;
    private long resourceVersion;

    ObjectStore(ApiView view) {
        this.objects = new TreeMap<>(view.objects());
        this.createdThroughApi = new TreeSet<>(view.createdThroughApi());
        // Versions the server hands out must not repeat the view's, which clients may have cached.
        this.resourceVersion = view.objects().values().stream()
                .map(object -> object.path("metadata").path("resourceVersion").asText(""))
                .filter(version -> version.matches("[0-9]{1,18}"))
                .mapToLong(Long::parseLong)
                .max()
                .orElse(0);
    }

    synchronized Optional<ObjectNode> get(ObjectRef ref) {
        return Optional.ofNullable(objects.get(ref)).map(ObjectNode::deepCopy);
    }

    /** The objects whose place matches, in {@link ObjectRef} order. */
    synchronized List<ObjectNode> list(Predicate<ObjectRef> where) {
        List<ObjectNode> found = new ArrayList<>();
        for (Map.Entry<ObjectRef, ObjectNode> entry : objects.entrySet()) {
            if (where.test(entry.getKey())) {
                found.add(entry.getValue().deepCopy());
            }
        }
        return found;
    }

    /** The version of the latest write, as a List's {@code metadata.resourceVersion}. */
    synchronized String resourceVersion() {
        return Long.toString(resourceVersion);
    }

    /**
     * Stores a new object, stamping its {@code resourceVersion}.
     *
     * @throws ApiError 409 AlreadyExists when the name is taken
     */
    synchronized ObjectNode create(ObjectRef ref, ObjectNode object) {
        if (objects.containsKey(ref)) {
            throw ApiError.alreadyExists(describe(ref) + " already exists", target(ref));
        }
        ObjectNode stored = stamp(object.deepCopy());
        objects.put(ref, stored);
        createdThroughApi.add(ref);
        return stored.deepCopy();
    }

    /**
     * Replaces an object with {@code change} of a copy of it; a change that alters nothing keeps
     * its {@code resourceVersion}, as the Kubernetes API server does.
     *
     * @throws ApiError 404 when it does not exist, 403 when {@code owner} is {@link Owner#API} and
     *     it comes from the platform repo, or whatever {@code change} throws
     */
    synchronized ObjectNode modify(ObjectRef ref, Owner owner, UnaryOperator<ObjectNode> change) {
        ObjectNode current = existing(ref, owner, "update");
        ObjectNode changed = change.apply(current.deepCopy());
        if (changed.equals(current)) {
            return current.deepCopy();
        }
        ObjectNode stored = stamp(changed);
        objects.put(ref, stored);
        return stored.deepCopy();
    }

    /**
     * Deletes an object created through the API.
     *
     * @return the object as it was
     * @throws ApiError 404 when it does not exist, 403 when it comes from the platform repo
     */
    /**
     * Sets the status of the object at {@code ref}, when there is one, without counting it as a
     * write: the status it has as a pipeline of its workflow starts.
     *
     * @param status the status, or null for none
     */
    synchronized void replaceStatus(ObjectRef ref, ObjectNode status) {
        ObjectNode current = objects.get(ref);
        if (current == null) {
            return;
        }
        ObjectNode copy = current.deepCopy();
        if (status == null) {
            copy.remove("status");
        } else {
            copy.set("status", status.deepCopy());
        }
        objects.put(ref, copy);
    }

    synchronized ObjectNode delete(ObjectRef ref) {
        ObjectNode current = existing(ref, Owner.API, "delete");
        objects.remove(ref);
        createdThroughApi.remove(ref);
        return current.deepCopy();
    }

    private ObjectNode existing(ObjectRef ref, Owner owner, String verb) {
        ObjectNode current = objects.get(ref);
        if (current == null) {
            throw notFound(ref);
        }
        if (owner == Owner.API && !createdThroughApi.contains(ref)) {
            throw ApiError.forbidden(
                    verb + " " + describe(ref) + " is forbidden: it is a resource request of the platform repo;"
                            + " change it in the platform repo (pipelines may update and delete only requests"
                            + " created through the API)",
                    target(ref));
        }
        return current;
    }

    private ObjectNode stamp(ObjectNode object) {
        resourceVersion++;
        object.withObjectProperty("metadata").put("resourceVersion", Long.toString(resourceVersion));
        return object;
    }

    static ApiError notFound(ObjectRef ref) {
        return ApiError.notFound(describe(ref) + " not found", target(ref));
    }

    /** The object as Kubernetes messages name it, e.g. {@code namespaceclaims.example.com "a"}. */
    static String describe(ObjectRef ref) {
        return (ref.group().isEmpty() ? ref.plural() : ref.plural() + "." + ref.group()) + " \"" + ref.name() + "\"";
    }

    static ApiError.Target target(ObjectRef ref) {
        return new ApiError.Target(ref.group(), ref.plural(), ref.name());
    }
}
