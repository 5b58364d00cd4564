package dev.kbr.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.execute.YamlText;
import dev.kbr.load.PlatformLoader;
import dev.kbr.load.YamlDocument;
import dev.kbr.load.YamlReader;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.Severity;
import dev.kbr.platformapi.ApiChange;
import dev.kbr.platformapi.ApiView;
import dev.kbr.platformapi.PlatformApi;
import dev.kbr.platformapi.PlatformApiStarter;
import dev.kbr.platformapi.RequestAdmission;
import dev.kbr.platformapi.SecretSource;
import dev.kbr.report.Notice;
import dev.kbr.report.PassError;
import dev.kbr.validate.ValidationResult;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The platform API's side of one pass attempt: starts the server, publishes what it serves between
 * the pass's phases, and turns what pipelines did through it into requests of the pass. Requests
 * created through the API are reconciled in the next wave, like a compound Promise's
 * sub-requests, and recorded as created through the API, so later passes keep them until a
 * pipeline deletes them through it. Used by the pass's own thread only.
 */
final class PassApi implements AutoCloseable {
    private final Platform platform;
    private final StoresRead stores;
    /** Every request of the pass so far, for the view: the platform's, produced and created. */
    private final Map<ObjectKey, ResourceRequest> requests = new LinkedHashMap<>();

    private final SortedSet<ObjectKey> created = new TreeSet<>();
    private final SortedSet<ObjectKey> deleted = new TreeSet<>();
    private Optional<PlatformApi> api = Optional.empty();

    /**
     * What the API serves besides the pass's objects.
     *
     * @param platform the platform, state store URLs applied
     * @param stores the stores' records (requests created through the API in earlier passes)
     * @param configMaps the platform repo's ConfigMaps
     * @param now the pass's instant
     */
    record Served(Platform platform, StoresRead stores, List<ObjectNode> configMaps, Instant now) {
        Served {
            configMaps = List.copyOf(configMaps);
        }
    }

    private final Served served;

    private PassApi(Served served) {
        this.served = served;
        this.platform = served.platform();
        this.stores = served.stores();
        platform.requests().forEach(this::add);
        created.addAll(stores.createdThroughApi().keySet());
    }

    /**
     * Starts the API when the options ask for it ({@link PassOptions.Pipelines#platformApi}). A
     * server that cannot start is a pass error; pipelines then run without it.
     *
     * @param options the pass's options: the starter and the Secrets served by name
     * @param planned the plan, whose request validator checks requests written through the API
     * @param served what the API serves
     * @param log where the error goes
     */
    static PassApi start(PassOptions options, Planning.Planned planned, Served served, PassLog log) {
        PassApi pass = new PassApi(served);
        Optional<PlatformApiStarter> starter = options.pipelines().platformApi();
        if (starter.isEmpty()) {
            return pass;
        }
        try {
            RequestAdmission admission = (kind, object) -> pass.admit(object, planned);
            SecretSource secrets = options.secrets()::secret;
            pass.api = Optional.of(starter.get().start(pass.view(Map.of()), admission, secrets));
        } catch (IOException | RuntimeException e) {
            log.errors.add(new PassError(
                    PassError.Area.PLATFORM,
                    "",
                    "Tried to start the platform API for the pass's pipelines: " + e.getMessage()
                            + "; pipelines run without it (see docs/platform-api.md)"));
        }
        return pass;
    }

    Optional<PlatformApi> api() {
        return api;
    }

    /**
     * The requests created through the API in earlier passes that the platform repo does not
     * have: they exist until deleted through the API, and join the pass's first wave.
     */
    List<ResourceRequest> recordedRequests(PassLog log) {
        List<ResourceRequest> found = new ArrayList<>();
        stores.createdThroughApi().forEach((key, object) -> {
            if (!requests.containsKey(key) && !deleted.contains(key)) {
                toRequest(object, "kbr's record of " + key + " (created through the platform API)", log.diagnostics)
                        .ifPresent(request -> {
                            add(request);
                            found.add(request);
                        });
            }
        });
        return found;
    }

    /**
     * Takes in what a task's pipelines did through the API.
     *
     * @param changes the task's changes, in order
     * @param source how messages name the pipelines that made them
     * @param log where diagnostics and notices go
     * @return the requests created or updated, to reconcile in the next wave
     */
    List<ResourceRequest> fold(List<ApiChange> changes, String source, PassLog log) {
        Map<ObjectKey, ResourceRequest> queued = new LinkedHashMap<>();
        for (ApiChange change : changes) {
            if (change instanceof ApiChange.Deleted gone) {
                keyOf(
                                gone.ref().plural(),
                                gone.ref().group(),
                                gone.ref().namespace(),
                                gone.ref().name())
                        .ifPresent(key -> {
                            requests.remove(key);
                            created.remove(key);
                            deleted.add(key);
                            queued.remove(key);
                            log.notices.add(new Notice(
                                    Notice.Topic.PLATFORM_API,
                                    key.toString(),
                                    source + " deleted " + key + " through the platform API"));
                        });
                continue;
            }
            ObjectNode object =
                    change instanceof ApiChange.Created c ? c.object() : ((ApiChange.Updated) change).object();
            toRequest(
                            object,
                            "request " + change.ref() + " written through the platform API by " + source,
                            log.diagnostics)
                    .ifPresent(request -> {
                        ObjectKey key = ObjectKey.request(request.promiseName(), request.namespace(), request.name());
                        add(request);
                        created.add(key);
                        deleted.remove(key);
                        queued.put(key, request);
                        log.notices.add(new Notice(
                                Notice.Topic.PLATFORM_API,
                                key.toString(),
                                source + (change instanceof ApiChange.Created ? " created " : " updated ") + key
                                        + " through the platform API; it is reconciled in this pass"));
                    });
        }
        return List.copyOf(queued.values());
    }

    /** Serves a request a compound Promise's pipeline produced, from the next publication on. */
    void produced(ResourceRequest request) {
        add(request);
    }

    /** Publishes the objects as they stand now. */
    void publish(java.util.function.Supplier<Map<ObjectKey, ObjectNode>> objects) {
        // The objects are made only when there is a server to serve them.
        api.ifPresent(a -> a.publish(view(objects.get())));
    }

    /** The requests created through the API that exist at the end of the pass. */
    SortedSet<ObjectKey> createdThroughApi() {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(created));
    }

    /** The requests deleted through the API in this pass. */
    SortedSet<ObjectKey> deleted() {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(deleted));
    }

    @Override
    public void close() {
        api.ifPresent(PlatformApi::close);
    }

    private ApiView view(Map<ObjectKey, ObjectNode> objects) {
        return ApiViews.of(served, requests.values(), objects, created);
    }

    private void add(ResourceRequest request) {
        requests.put(ObjectKey.request(request.promiseName(), request.namespace(), request.name()), request);
    }

    private Optional<ObjectKey> keyOf(String plural, String group, String namespace, String name) {
        return platform.promises().stream()
                .filter(p -> p.api().isPresent()
                        && p.api().get().plural().equals(plural)
                        && p.api().get().gvk().group().equals(group))
                .map(Promise::name)
                .findFirst()
                .map(promise -> ObjectKey.request(promise, namespace, name));
    }

    /** Validates a request written through the API as the pass validates every request. */
    private Optional<String> admit(ObjectNode object, Planning.Planned planned) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Optional<ResourceRequest> request = toRequest(object, "the request sent", diagnostics);
        if (request.isEmpty()) {
            return Optional.of(messages(diagnostics, "no Promise serves this kind"));
        }
        Promise promise = platform.promise(request.get().promiseName()).orElseThrow();
        ValidationResult result =
                planned.requestValidator().validate(request.get(), promise.api().orElseThrow());
        return result.hasErrors() ? Optional.of(messages(result.diagnostics(), "invalid")) : Optional.empty();
    }

    private static String messages(Collection<Diagnostic> diagnostics, String otherwise) {
        String joined = diagnostics.stream()
                .filter(d -> d.severity() == Severity.ERROR)
                .map(d -> (d.field().isEmpty() ? "" : d.field() + ": ") + d.message())
                .collect(Collectors.joining("; "));
        return joined.isEmpty() ? otherwise : joined;
    }

    private Optional<ResourceRequest> toRequest(ObjectNode object, String source, List<Diagnostic> diagnostics) {
        YamlReader.Result read = YamlReader.read(source, YamlText.write(object));
        for (YamlDocument doc : read.documents()) {
            return PlatformLoader.asRequest(platform, doc, diagnostics);
        }
        return Optional.empty();
    }
}
