package dev.kbr.platformapi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.platformapi.ApiChange;
import dev.kbr.platformapi.ObjectRef;
import dev.kbr.platformapi.RequestAdmission;
import dev.kbr.platformapi.ServedKind;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The calls on objects, once the caller is authenticated and its RBAC rules allow the call: reads
 * of every kind served, writes of the caller's own {@code status}, and create, update, patch and
 * delete of resource requests (objects of Promise APIs). Mirrors the Kubernetes API server for
 * custom resources with a status subresource: writes of the object ignore its {@code status},
 * writes of {@code status} ignore everything else, {@code metadata.generation} grows when {@code
 * spec} changes, and a write carrying a stale {@code metadata.resourceVersion} gets 409 Conflict.
 */
final class ResourceCalls {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** The alphabet of Kubernetes' {@code generateName} suffixes (no vowels, no look-alikes). */
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final RequestAdmission admission;
    private final SecretReads secrets;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * A call's inputs beyond its path.
     *
     * @param query the query parameters, decoded
     * @param contentType the {@code Content-Type} header, {@code ""} when absent
     * @param body the parsed body of a create, update or patch, {@code null} otherwise
     */
    record Request(Map<String, String> query, String contentType, JsonNode body) {}

    /**
     * A successful answer.
     *
     * @param code the HTTP status
     * @param body the JSON object sent
     */
    record Reply(int code, JsonNode body) {}

    ResourceCalls(RequestAdmission admission, SecretReads secrets, Clock clock) {
        this.admission = admission;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * @param verb the RBAC verb of the call, already allowed
     * @throws ApiError for every failure, as the Kubernetes API server would answer it
     */
    Reply serve(String verb, ResourcePath path, Request request, ServerSession session, ServerState state) {
        ServedKind kind = state.discovery()
                .kind(path.group(), path.version(), path.plural())
                .orElseThrow(() -> ApiError.notFound(
                        "the server could not find the requested resource (" + verb + " " + path.describe() + ")",
                        path.target()));
        checkScope(kind, path, verb);
        if (Discovery.isSecrets(kind)) {
            return new Reply(200, secrets.read(verb, path));
        }
        if (verb.equals("watch")) {
            throw ApiError.methodNotAllowed("kbr does not serve watch of " + path.describe()
                    + ": it serves one pass's state, which does not change while a pipeline reads it; use get or"
                    + " list");
        }
        ObjectStore store = state.store();
        ObjectRef ref = new ObjectRef(path.group(), path.plural(), path.namespace(), path.name());
        if (verb.equals("get")) {
            return new Reply(200, store.get(ref).orElseThrow(() -> ObjectStore.notFound(ref)));
        }
        if (verb.equals("list")) {
            return new Reply(200, list(kind, path, request.query(), store));
        }
        if (path.subresource().equals("status")) {
            return writeStatus(verb, ref, request, session, store);
        }
        if (!kind.isPromiseApi()) {
            throw notServed(
                    verb,
                    path,
                    "pipelines may write only resource requests of Promise APIs and the status"
                            + " of the object they reconcile");
        }
        switch (verb) {
            case "create":
                return create(kind, path, request.body(), session, store);
            case "update":
            case "patch":
                ObjectNode updated = store.modify(ref, ObjectStore.Owner.API, current -> {
                    ObjectNode next = verb.equals("patch")
                            ? Patches.of(request.contentType()).apply(request.body(), current, path.target())
                            : replacement(request.body(), kind, ref);
                    keepServerFields(next, current, kind, ref);
                    admit(kind, next, ref);
                    return next;
                });
                session.changed(new ApiChange.Updated(ref, updated));
                return new Reply(200, updated);
            case "delete":
                ObjectNode deleted = store.delete(ref);
                session.changed(new ApiChange.Deleted(ref));
                return new Reply(200, deleted);
            default:
                throw notServed(verb, path, "kbr serves get, list, create, update, patch and delete of requests");
        }
    }

    static ApiError notServed(String verb, ResourcePath path, String why) {
        return ApiError.forbidden(
                verb + " " + path.describe() + where(path) + " is forbidden: kbr does not serve it; " + why,
                path.target());
    }

    /** {@code " in namespace NS"}, or {@code " at cluster scope"}. */
    static String where(ResourcePath path) {
        return path.namespace().isEmpty() ? " at cluster scope" : " in namespace " + path.namespace();
    }

    private static void checkScope(ServedKind kind, ResourcePath path, String verb) {
        boolean collection = path.name().isEmpty();
        if (kind.namespaced() && path.namespace().isEmpty() && !(collection && !verb.equals("create"))) {
            throw ApiError.notFound(
                    path.describe() + " is namespaced: address it under /namespaces/NAMESPACE/", path.target());
        }
        if (!kind.namespaced() && !path.namespace().isEmpty()) {
            throw ApiError.notFound(
                    path.describe() + " is cluster-scoped: address it without a namespace", path.target());
        }
        if (!path.subresource().isEmpty() && !(path.subresource().equals("status") && Discovery.hasStatus(kind))) {
            throw ApiError.notFound(
                    "the server could not find the requested resource (" + verb + " " + path.describe() + ")",
                    path.target());
        }
        if (collection
                != (verb.equals("list")
                        || verb.equals("watch")
                        || verb.equals("create")
                        || verb.equals("deletecollection"))) {
            throw ApiError.methodNotAllowed(verb + " of " + path.describe() + (collection ? " needs" : " takes no")
                    + " an object name in the path");
        }
    }

    private static ObjectNode list(ServedKind kind, ResourcePath path, Map<String, String> query, ObjectStore store) {
        Predicate<ObjectNode> selected =
                Selectors.labels(query.get("labelSelector")).and(Selectors.fields(query.get("fieldSelector")));
        String resourceVersion = store.resourceVersion();
        List<ObjectNode> items = store.list(ref -> ref.group().equals(kind.group())
                && ref.plural().equals(kind.plural())
                && (path.namespace().isEmpty() || ref.namespace().equals(path.namespace())));
        ObjectNode list = JSON.objectNode();
        list.put("apiVersion", kind.apiVersion());
        list.put("kind", kind.kind() + "List");
        list.putObject("metadata").put("resourceVersion", resourceVersion);
        items.stream().filter(selected).forEach(list.putArray("items")::add);
        if (!list.has("items")) {
            list.putArray("items");
        }
        return list;
    }

    private static Reply writeStatus(
            String verb, ObjectRef ref, Request request, ServerSession session, ObjectStore store) {
        ObjectRef self = session.caller().self();
        if (!ref.equals(self)) {
            throw ApiError.forbidden(
                    verb + " the status of " + ObjectStore.describe(ref) + " is forbidden for pipeline "
                            + session.caller().description() + ": a pipeline may write only the status of the"
                            + " object it reconciles (" + self + ")",
                    ObjectStore.target(ref));
        }
        if (!verb.equals("update") && !verb.equals("patch")) {
            throw ApiError.methodNotAllowed(verb + " of a status is not served; patch or update it");
        }
        Patches patch = verb.equals("patch") ? Patches.of(request.contentType()) : null;
        ObjectNode stored = store.modify(ref, ObjectStore.Owner.ANY, current -> {
            ObjectNode next = patch != null
                    ? patch.apply(request.body(), current, ObjectStore.target(ref))
                    : replacement(request.body(), null, ref);
            checkResourceVersion(next, current, ref);
            JsonNode status = next.get("status");
            if (status == null || status.isNull()) {
                current.remove("status");
            } else if (status.isObject()) {
                current.set("status", status);
            } else {
                throw ApiError.invalid("status must be an object", ObjectStore.target(ref));
            }
            return current;
        });
        session.wroteStatus(stored.has("status") ? (ObjectNode) stored.get("status") : JSON.objectNode());
        return new Reply(200, stored);
    }

    private Reply create(ServedKind kind, ResourcePath path, JsonNode body, ServerSession session, ObjectStore store) {
        ObjectNode object = object(body);
        checkTypeMeta(object, kind);
        ObjectNode metadata = object.withObjectProperty("metadata");
        String name = metadata.path("name").asText("");
        if (name.isEmpty() && !metadata.path("generateName").asText("").isEmpty()) {
            name = metadata.path("generateName").asText() + suffix();
        }
        ApiError.Target target = new ApiError.Target(kind.group(), kind.plural(), name);
        if (name.isEmpty()
                || name.length() > 253
                || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw ApiError.invalid(
                    kind.kind() + " \"" + name + "\" is invalid: metadata.name: must be a lowercase RFC 1123"
                            + " subdomain",
                    target);
        }
        String namespace = checkNamespace(metadata, path.namespace());
        ObjectRef ref = new ObjectRef(kind.group(), kind.plural(), namespace, name);
        object.put("apiVersion", kind.apiVersion());
        object.put("kind", kind.kind());
        metadata.put("name", name);
        if (kind.namespaced()) {
            metadata.put("namespace", namespace);
        }
        metadata.put("uid", uid(ref));
        metadata.put(
                "creationTimestamp",
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        metadata.put("generation", 1);
        metadata.remove("resourceVersion");
        object.remove("status");
        admit(kind, object, ref);
        ObjectNode stored = store.create(ref, object);
        session.changed(new ApiChange.Created(ref, stored));
        return new Reply(201, stored);
    }

    /** The body of a PUT, checked against the object it replaces. */
    private static ObjectNode replacement(JsonNode body, ServedKind kind, ObjectRef ref) {
        ObjectNode object = object(body).deepCopy();
        if (kind != null) {
            checkTypeMeta(object, kind);
        }
        JsonNode metadata = object.path("metadata");
        String name = metadata.path("name").asText("");
        if (!name.equals(ref.name())) {
            throw ApiError.badRequest(
                    "the name of the object (" + name + ") does not match the name on the URL (" + ref.name() + ")");
        }
        if (metadata.isObject()) {
            checkNamespace((ObjectNode) metadata, ref.namespace());
        }
        return object;
    }

    /** Restores what only the server sets, and bumps the generation when {@code spec} changed. */
    private static void keepServerFields(ObjectNode next, ObjectNode current, ServedKind kind, ObjectRef ref) {
        checkResourceVersion(next, current, ref);
        next.put("apiVersion", kind.apiVersion());
        next.put("kind", kind.kind());
        ObjectNode metadata = next.withObjectProperty("metadata");
        JsonNode was = current.path("metadata");
        for (String field : List.of("name", "namespace", "uid", "creationTimestamp", "resourceVersion")) {
            if (was.has(field)) {
                metadata.set(field, was.get(field));
            } else {
                metadata.remove(field);
            }
        }
        long generation = was.path("generation").asLong(1);
        boolean specChanged = !next.path("spec").equals(current.path("spec"));
        metadata.put("generation", specChanged ? generation + 1 : generation);
        if (current.has("status")) {
            next.set("status", current.get("status"));
        } else {
            next.remove("status");
        }
    }

    private static void checkResourceVersion(ObjectNode next, ObjectNode current, ObjectRef ref) {
        String expected = next.path("metadata").path("resourceVersion").asText("");
        String actual = current.path("metadata").path("resourceVersion").asText("");
        if (!expected.isEmpty() && !expected.equals(actual)) {
            throw ApiError.conflict(
                    "Operation cannot be fulfilled on " + ObjectStore.describe(ref)
                            + ": the object has been modified; please apply your changes to the latest version and"
                            + " try again",
                    ObjectStore.target(ref));
        }
    }

    private void admit(ServedKind kind, ObjectNode object, ObjectRef ref) {
        Optional<String> rejection;
        try {
            rejection = admission.reject(kind, object);
        } catch (RuntimeException e) {
            throw ApiError.internal("admission of " + ObjectStore.describe(ref) + " failed ("
                    + e.getClass().getSimpleName() + ")");
        }
        rejection.ifPresent(message -> {
            throw ApiError.invalid(
                    kind.kind() + " \"" + ref.name() + "\" is invalid: " + message, ObjectStore.target(ref));
        });
    }

    private static ObjectNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        return (ObjectNode) body;
    }

    private static void checkTypeMeta(ObjectNode object, ServedKind kind) {
        String apiVersion = object.path("apiVersion").asText(kind.apiVersion());
        String kindName = object.path("kind").asText(kind.kind());
        if (!apiVersion.equals(kind.apiVersion()) || !kindName.equals(kind.kind())) {
            throw ApiError.badRequest("the body is a " + apiVersion + " " + kindName + ", but the URL is for "
                    + kind.apiVersion() + " " + kind.kind());
        }
    }

    /** The namespace the object lives in: the path's; a different one in the body is refused. */
    private static String checkNamespace(ObjectNode metadata, String pathNamespace) {
        String inBody = metadata.path("namespace").asText("");
        if (!inBody.isEmpty() && !inBody.equals(pathNamespace)) {
            throw ApiError.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request");
        }
        return pathNamespace;
    }

    /** Name-based, so the same request gets the same uid in every pass. */
    private static String uid(ObjectRef ref) {
        return UUID.nameUUIDFromBytes(("kbr/" + ref).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private String suffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return suffix.toString();
    }
}
