package dev.kbr.engine;

import static dev.kbr.platformapi.ApiView.CONFIG_MAPS;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Destination;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.PromiseApi;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.StateStoreDefinition;
import dev.kbr.platformapi.ApiView;
import dev.kbr.platformapi.ObjectRef;
import dev.kbr.platformapi.ServedKind;
import dev.kbr.platformapi.ServerFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the platform API serves at one moment of a pass: Kratix's kinds (Promises, Destinations,
 * state stores), every Promise's API, Secrets by name, and each object with its latest status (this
 * pass's when its workflow ran, else the recorded one), with the fields an API server sets
 * ({@link ServerFields}).
 */
final class ApiViews {
    static final String KRATIX_GROUP = "platform.kratix.io";
    static final String KRATIX_VERSION = "v1alpha1";

    private ApiViews() {}

    /**
     * The object as the API serves it and pipelines get it, with the fields an API server sets.
     * An object recorded by a release that did not keep its creation time was created, as far as
     * kbr knows, when its workflow last ran; that stays its creation time from then on.
     *
     * @param key the object
     * @param object the object, completed in place (the callers' own copy)
     * @param stores the records: its last recorded form and run
     * @param now when this pass first sees it, if it was never recorded
     */
    static ObjectNode served(ObjectKey key, ObjectNode object, StoresRead stores, Instant now) {
        Instant firstSeen = Optional.ofNullable(stores.previousRuns().get(key))
                .map(run -> Instant.parse(run.at()))
                .orElse(now);
        return ServerFields.complete(
                object,
                !key.isPromise(),
                Optional.ofNullable(stores.previousObjects().get(key)),
                firstSeen);
    }

    /**
     * The view.
     *
     * @param served the platform, the records (each object as kbr recorded it, and its last run),
     *     the platform repo's ConfigMaps and the pass's instant
     * @param requests every request of the pass so far: the platform's, those produced by compound
     *     Promises and those created through the API
     * @param objects the objects as they stand now (with status), by key; objects missing here are
     *     served as the platform or the records have them
     * @param createdThroughApi the requests created through the API
     */
    static ApiView of(
            PassApi.Served served,
            Collection<ResourceRequest> requests,
            Map<ObjectKey, ObjectNode> objects,
            SortedSet<ObjectKey> createdThroughApi) {
        Platform platform = served.platform();
        StoresRead stores = served.stores();
        Instant now = served.now();
        // Secrets are served by name whatever the view says; the server lists them itself.
        List<ServedKind> kinds = new ArrayList<>(kratixKinds());
        kinds.add(CONFIG_MAPS);
        SortedMap<ObjectRef, ObjectNode> view = new TreeMap<>();
        for (Promise promise : platform.promises()) {
            promise.api().ifPresent(api -> kinds.add(kind(promise.name(), api)));
            ObjectKey key = ObjectKey.promise(promise.name());
            view.put(
                    new ObjectRef(KRATIX_GROUP, "promises", "", promise.name()),
                    current(key, promise.document(), objects, stores, now));
        }
        SortedSet<ObjectRef> apiCreated = new TreeSet<>();
        for (ResourceRequest request : requests) {
            Optional<PromiseApi> api = platform.promise(request.promiseName()).flatMap(Promise::api);
            if (api.isEmpty()) {
                continue;
            }
            ObjectKey key = ObjectKey.request(request.promiseName(), request.namespace(), request.name());
            ObjectRef ref =
                    new ObjectRef(api.get().gvk().group(), api.get().plural(), request.namespace(), request.name());
            view.put(ref, current(key, request.object(), objects, stores, now));
            if (createdThroughApi.contains(key)) {
                apiCreated.add(ref);
            }
        }
        for (Destination destination : platform.destinations()) {
            view.put(new ObjectRef(KRATIX_GROUP, "destinations", "", destination.name()), destination(destination));
        }
        for (StateStoreDefinition store : platform.stateStores()) {
            String plural = store.kind().toLowerCase(Locale.ROOT) + "s";
            view.put(new ObjectRef(KRATIX_GROUP, plural, "", store.name()), stateStore(store));
        }
        for (ObjectNode configMap : served.configMaps()) {
            ObjectNode object = ServerFields.complete(configMap.deepCopy(), true, Optional.empty(), Instant.EPOCH);
            view.put(
                    new ObjectRef(
                            "",
                            "configmaps",
                            object.path("metadata").path("namespace").asText(),
                            object.path("metadata").path("name").asText()),
                    object);
        }
        return new ApiView(kinds, view, apiCreated);
    }

    private static ObjectNode current(
            ObjectKey key, ObjectNode document, Map<ObjectKey, ObjectNode> objects, StoresRead stores, Instant now) {
        ObjectNode object = objects.get(key);
        if (object != null) {
            return object;
        }
        object = document.deepCopy();
        ObjectNode record = stores.previousObjects().get(key);
        if (record != null && record.has("status")) {
            object.set("status", record.get("status").deepCopy());
        }
        return served(key, object, stores, now);
    }

    private static ServedKind kind(String promise, PromiseApi api) {
        var names = api.crd().path("spec").path("names");
        List<String> shortNames = new ArrayList<>();
        names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
        String kind = api.gvk().kind();
        return new ServedKind(
                api.gvk().group(),
                api.gvk().version(),
                kind,
                api.plural(),
                names.path("singular").asText(kind.toLowerCase(Locale.ROOT)),
                shortNames,
                api.namespaced(),
                Optional.of(promise));
    }

    /** Kratix's own kinds. */
    private static List<ServedKind> kratixKinds() {
        return List.of(
                kratix("Promise", "promises", List.of()),
                kratix("Destination", "destinations", List.of("dest", "dests")),
                kratix("GitStateStore", "gitstatestores", List.of()),
                kratix("BucketStateStore", "bucketstatestores", List.of()));
    }

    private static ServedKind kratix(String kind, String plural, List<String> shortNames) {
        return new ServedKind(
                KRATIX_GROUP,
                KRATIX_VERSION,
                kind,
                plural,
                kind.toLowerCase(Locale.ROOT),
                shortNames,
                false,
                Optional.empty());
    }

    private static ObjectNode destination(Destination destination) {
        ObjectNode object = header("Destination", destination.name());
        ObjectNode labels = ((ObjectNode) object.get("metadata")).putObject("labels");
        new TreeMap<>(destination.labels()).forEach(labels::put);
        ObjectNode spec = object.putObject("spec");
        spec.put("path", destination.path());
        spec.put("strictMatchLabels", destination.strictMatchLabels());
        ObjectNode ref = spec.putObject("stateStoreRef");
        ref.put("kind", destination.stateStoreRef().kind());
        ref.put("name", destination.stateStoreRef().name());
        return completed(object);
    }

    private static ObjectNode stateStore(StateStoreDefinition store) {
        ObjectNode object = header(store.kind(), store.name());
        // The URL is shown as reports show it: credentials are never part of it.
        object.putObject("spec").put("path", store.path()).put("url", store.displayUrl());
        return completed(object);
    }

    private static ObjectNode header(String kind, String name) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("apiVersion", KRATIX_GROUP + "/" + KRATIX_VERSION);
        object.put("kind", kind);
        object.putObject("metadata").put("name", name);
        return object;
    }

    /** A cluster-scoped object kbr makes from the platform's documents, as the server would hold it. */
    private static ObjectNode completed(ObjectNode object) {
        return ServerFields.complete(object, false, Optional.empty(), Instant.EPOCH);
    }
}
