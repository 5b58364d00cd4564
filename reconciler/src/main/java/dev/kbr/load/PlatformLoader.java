package dev.kbr.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Destination;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.GroupVersionKind;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.StateStoreDefinition;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Reads a platform repo from a directory or a Git commit's tree ({@link PlatformFiles}): every
 * {@code *.yaml}/{@code *.yml} file below the root,
 * except hidden files and folders and paths matched by the {@code exclude:} globs of an optional
 * {@code kbr.yaml} at the root. Documents are classified by apiVersion and kind: Kratix's own
 * kinds ({@code platform.kratix.io/v1alpha1} Promise, Destination, GitStateStore), resource
 * requests (any GVK served by a loaded Promise's API), and everything else, which is ignored.
 */
public final class PlatformLoader {
    static final String KRATIX_API_VERSION = "platform.kratix.io/v1alpha1";

    /**
     * Largest document accepted in a platform file, in characters: etcd's default request limit
     * (1.5 MiB), so nothing Kubernetes could not store for Kratix is read.
     */
    public static final int MAX_DOCUMENT_CHARS = 1536 * 1024;

    /** Kinds of {@code platform.kratix.io} that kbr knows and does not read (Kratix writes them). */
    private static final java.util.Set<String> OTHER_KRATIX_KINDS =
            java.util.Set.of("PromiseRelease", "Work", "WorkPlacement", "DryRun", "Pipeline");

    /** Optional settings file at the platform root. */
    public static final String SETTINGS_FILE = "kbr.yaml";

    private PlatformLoader() {}

    /**
     * What was loaded.
     *
     * @param platform the records that mapped cleanly
     * @param diagnostics every problem found, sorted by file and line
     * @param filesWithErrors files (relative paths) that failed to parse, so nothing defined
     *     there may be treated as deleted
     * @param ignored documents that are not Kratix objects nor requests, as {@code file: kind}
     * @param files every file read (relative paths, sorted), with or without problems
     * @param configMaps the {@code v1 ConfigMap} documents, in file order, which the platform API
     *     serves to pipelines; do not mutate
     */
    public record Result(
            Platform platform,
            List<Diagnostic> diagnostics,
            List<String> filesWithErrors,
            List<String> ignored,
            List<String> files,
            List<com.fasterxml.jackson.databind.node.ObjectNode> configMaps) {
        public Result {
            diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
            filesWithErrors = List.copyOf(filesWithErrors);
            ignored = List.copyOf(ignored);
            files = files.stream().sorted().toList();
            configMaps = List.copyOf(configMaps);
        }
    }

    /**
     * Loads the platform under {@code root}.
     *
     * @throws IOException when {@code root} is not a readable directory; problems inside files
     *     are diagnostics, never exceptions
     */
    public static Result load(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("platform folder " + root + " does not exist or is not a directory");
        }
        return load(PlatformFiles.folder(root));
    }

    /**
     * Loads a platform from its files, wherever they are (a folder, a Git commit's tree): every
     * {@code *.yaml}/{@code *.yml} file, except hidden files, files in hidden folders and paths
     * matched by the {@code exclude:} globs of {@value #SETTINGS_FILE}. Diagnostics name files by
     * their path relative to the repo's root.
     *
     * @throws IOException when the files cannot be listed or one cannot be read; problems inside
     *     files are diagnostics, never exceptions
     */
    public static Result load(PlatformFiles tree) throws IOException {
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<PathMatcher> excludes = excludes(tree, diagnostics);
        List<String> files = yamlFiles(tree, excludes);
        List<byte[]> contents = new ArrayList<>();
        for (String name : files) {
            contents.add(tree.read(name)
                    .orElseThrow(() -> new IOException("platform file " + name + " was listed but cannot be read")));
        }
        // Each file parses on its own, and a platform of 10,000 requests is 10,000 files; the
        // reads above stay on one thread (a Git tree has one reader). Results keep file order.
        List<YamlReader.Result> results = IntStream.range(0, files.size())
                .parallel()
                .mapToObj(i -> YamlReader.read(files.get(i), contents.get(i), MAX_DOCUMENT_CHARS))
                .toList();
        List<YamlDocument> documents = new ArrayList<>();
        List<String> filesWithErrors = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i);
            YamlReader.Result read = results.get(i);
            documents.addAll(read.documents());
            diagnostics.addAll(read.diagnostics());
            if (!read.diagnostics().isEmpty()) {
                filesWithErrors.add(name);
            }
        }
        return classify(documents, diagnostics, filesWithErrors, files, true);
    }

    /**
     * Classifies documents read elsewhere (with {@link YamlReader}), as {@link #load(Path)} does
     * with the documents of a folder: maps Promises, Destinations and state stores, then the
     * resource requests those Promises serve, and reports duplicate names.
     *
     * @param documents the documents, in the order they were read
     * @return the platform; {@code files} and {@code filesWithErrors} are empty
     */
    public static Result fromDocuments(List<YamlDocument> documents) {
        return classify(documents, new ArrayList<>(), List.of(), List.of(), false);
    }

    private static Result classify(
            List<YamlDocument> documents,
            List<Diagnostic> diagnostics,
            List<String> filesWithErrors,
            List<String> files,
            boolean wholePlatform) {
        List<Promise> promises = new ArrayList<>();
        List<Destination> destinations = new ArrayList<>();
        List<StateStoreDefinition> stores = new ArrayList<>();
        List<dev.kbr.model.PromiseRevision> revisions = new ArrayList<>();
        List<dev.kbr.model.ResourceBinding> bindings = new ArrayList<>();
        List<dev.kbr.model.HealthRecord> healthRecords = new ArrayList<>();
        List<YamlDocument> others = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<UnservedDocuments.FailedPromise> failedPromises = new ArrayList<>();
        Map<SourceLocation, YamlDocument> byLocation = new HashMap<>();
        for (YamlDocument doc : documents) {
            byLocation.put(doc.location(), doc);
            JsonNode body = doc.body();
            if (body.isNull()) {
                continue;
            }
            if (!body.isObject()
                    || !body.path("apiVersion").isTextual()
                    || !body.path("kind").isTextual()) {
                if (looksLikeAnObject(body)) {
                    // A Promise or request that lost its apiVersion or kind would look deleted.
                    String field = body.path("apiVersion").isTextual() ? "kind" : "apiVersion";
                    diagnostics.add(Diagnostic.error(
                            body.has(field) ? doc.at(field) : doc.location(),
                            field,
                            (body.has(field) ? "must be a string" : "is missing")
                                    + "; this document has metadata (or a kind or apiVersion), so it is read as a"
                                    + " Kubernetes object: give it apiVersion and kind as strings"));
                } else {
                    diagnostics.add(Diagnostic.warning(
                            doc.location(), "", "is not a Kubernetes object (no apiVersion and kind); ignored"));
                }
                continue;
            }
            String apiVersion = body.path("apiVersion").asText();
            String kind = body.path("kind").asText();
            DocumentMapper mapper = new DocumentMapper(doc, diagnostics);
            if (KRATIX_API_VERSION.equals(apiVersion)) {
                switch (kind) {
                    case "Promise" ->
                        mapper.promise()
                                .ifPresentOrElse(
                                        promises::add,
                                        () -> failedPromises.add(UnservedDocuments.FailedPromise.of(doc)));
                    case "Destination" -> mapper.destination().ifPresent(destinations::add);
                    case "PromiseRevision" ->
                        new VersionMapper(doc, diagnostics).revision().ifPresent(revisions::add);
                    case "ResourceBinding" ->
                        new VersionMapper(doc, diagnostics).binding().ifPresent(bindings::add);
                    case "GitStateStore" ->
                        new StateStoreMapper(doc, diagnostics).gitStateStore().ifPresent(stores::add);
                    case "BucketStateStore" ->
                        new StateStoreMapper(doc, diagnostics)
                                .bucketStateStore()
                                .ifPresent(stores::add);
                    case "HealthRecord" ->
                        new HealthRecordMapper(doc, diagnostics).healthRecord().ifPresent(healthRecords::add);
                    default -> {
                        if (OTHER_KRATIX_KINDS.contains(kind)) {
                            ignored.add(doc.location().file() + ": " + apiVersion + " " + kind);
                        } else {
                            // Kratix allows any group for a Promise's API, this one too.
                            others.add(doc);
                        }
                    }
                }
            } else {
                others.add(doc);
            }
        }
        // Duplicates are reported where their names are written.
        Function<SourceLocation, SourceLocation> nameAt = location -> Optional.ofNullable(byLocation.get(location))
                .map(doc -> doc.at("metadata.name"))
                .orElse(location);
        Names names = new Names(nameAt, diagnostics);
        names.unique(promises, Promise::name, Promise::location, "Promise")
                .forEach(p -> failedPromises.add(UnservedDocuments.FailedPromise.of(p)));
        names.unique(destinations, Destination::name, Destination::location, "Destination");
        names.uniqueStores(stores);
        if (wholePlatform) {
            // Documents read alone (fromDocuments) may require Promises kept elsewhere.
            requirementsDefined(promises, diagnostics);
        }
        VersionMapper.check(promises, revisions, bindings, wholePlatform, diagnostics);
        Platform withoutRequests = new Platform(promises, List.of(), destinations, stores);
        UnservedDocuments unserved = new UnservedDocuments(promises, failedPromises);
        List<ResourceRequest> requests = new ArrayList<>();
        List<com.fasterxml.jackson.databind.node.ObjectNode> configMaps = new ArrayList<>();
        for (YamlDocument doc : others) {
            Optional<ResourceRequest> request = asRequest(withoutRequests, doc, diagnostics);
            if (request.isPresent()) {
                requests.add(request.get());
                continue;
            }
            if (withoutRequests.promiseServing(gvkOf(doc)).isPresent()) {
                // A malformed request: asRequest said why.
                continue;
            }
            Optional<Diagnostic> verdict = unserved.verdict(doc);
            if (verdict.isPresent()) {
                diagnostics.add(verdict.get());
                continue;
            }
            if (isConfigMap(doc)) {
                // Not Kratix's nor a request, so not validated; but pipelines may read it.
                configMaps.add((com.fasterxml.jackson.databind.node.ObjectNode) doc.body());
            }
            ignored.add(doc.location().file() + ": " + gvkOf(doc));
        }
        names.unique(
                requests,
                r -> r.promiseName() + "/" + r.namespace() + "/" + r.name(),
                ResourceRequest::location,
                "resource request");
        // Any error in a file (not only broken YAML) may hide an object defined there, so what
        // looks gone must not be deleted: the file counts as failed.
        java.util.Set<String> failed = new java.util.TreeSet<>(filesWithErrors);
        java.util.Set<String> known = new java.util.HashSet<>(files);
        diagnostics.stream()
                .filter(Diagnostic::isError)
                .map(d -> d.location().file())
                .filter(known::contains)
                .forEach(failed::add);
        return new Result(
                new Platform(
                        promises,
                        requests,
                        destinations,
                        stores,
                        new dev.kbr.model.PromiseVersions(revisions, bindings),
                        healthRecords),
                diagnostics,
                List.copyOf(failed),
                ignored,
                files,
                configMaps);
    }

    /** A core ConfigMap with a name: served to pipelines through the platform API. */
    private static boolean isConfigMap(YamlDocument doc) {
        return doc.body().isObject()
                && doc.body().path("apiVersion").asText().equals("v1")
                && doc.body().path("kind").asText().equals("ConfigMap")
                && !doc.body().path("metadata").path("name").asText("").isEmpty();
    }

    /**
     * A Promise whose {@code requiredPromises} names a Promise the platform does not define can
     * never become available (Kratix would wait for it forever); in a platform repo that holds
     * every Promise, that is a mistake to report, not a state to wait in.
     */
    private static void requirementsDefined(List<Promise> promises, List<Diagnostic> diagnostics) {
        java.util.Set<String> names = new java.util.HashSet<>();
        promises.forEach(p -> names.add(p.name()));
        for (Promise promise : promises) {
            for (int i = 0; i < promise.requiredPromises().size(); i++) {
                String name = promise.requiredPromises().get(i).name();
                if (name != null && !names.contains(name)) {
                    String path = "spec.requiredPromises[" + i + "].name";
                    int line = promise.lines().lineOf(path);
                    diagnostics.add(Diagnostic.error(
                            line > 0 ? promise.location().atLine(line) : promise.location(),
                            path,
                            "names Promise " + name + ", which the platform does not define, so Promise "
                                    + promise.name() + " could never become available; add that Promise or fix the"
                                    + " name"));
                }
            }
        }
    }

    /** A map with metadata, or with only one of apiVersion and kind, is meant as a Kubernetes object. */
    private static boolean looksLikeAnObject(JsonNode body) {
        return body.isObject() && (body.has("metadata") || body.has("kind"));
    }

    private static GroupVersionKind gvkOf(YamlDocument doc) {
        return GroupVersionKind.of(
                doc.body().path("apiVersion").asText(), doc.body().path("kind").asText());
    }

    /**
     * Whether a YAML file may hold a resource request of one of {@code platform}'s Promises, judged
     * from its bytes without parsing them: a request names its Promise's kind, and that name
     * appears literally in the file unless it is written with escapes (a backslash in a
     * double-quoted scalar). False means {@link #asRequest} would return empty for every document
     * of the file; true means it may not. A pass uses it to skip re-reading the recorded outputs
     * of cached requests that cannot hold sub-requests (most of them).
     *
     * @param yaml the file's content
     */
    public static boolean mayHoldRequests(Platform platform, byte[] yaml) {
        String text = new String(yaml, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.indexOf('\\') >= 0) {
            return true;
        }
        for (dev.kbr.model.Promise promise : platform.promises()) {
            if (promise.api().isPresent()
                    && text.contains(promise.api().get().gvk().kind())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Maps a document to a resource request when its GVK is served by one of {@code platform}'s
     * Promises. Used for platform files and for documents that pipelines output (compound
     * Promises).
     *
     * @return the request, or empty when no Promise serves the document's GVK or it is malformed
     *     (then a diagnostic was added)
     */
    public static Optional<ResourceRequest> asRequest(
            Platform platform, YamlDocument doc, List<Diagnostic> diagnostics) {
        JsonNode body = doc.body();
        if (!body.isObject()) {
            return Optional.empty();
        }
        GroupVersionKind gvk = GroupVersionKind.of(
                body.path("apiVersion").asText(), body.path("kind").asText());
        Optional<Promise> promise = platform.promiseServing(gvk);
        if (promise.isEmpty()) {
            return Optional.empty();
        }
        return new DocumentMapper(doc, diagnostics).request(promise.get(), gvk);
    }

    /**
     * The group, version and kind a Promise document's {@code spec.api} declares (its storage
     * version, else its first), read without mapping the Promise, so also for a Promise that does
     * not load.
     *
     * @param promise a {@code platform.kratix.io/v1alpha1 Promise} document
     * @return empty when the API names no version or no kind
     */
    public static Optional<GroupVersionKind> declaredApi(JsonNode promise) {
        return UnservedDocuments.declaredApi(promise);
    }

    /**
     * Maps a Promise document that is not in a platform file (e.g. the one kbr recorded before a
     * Promise was removed, to run its delete workflows).
     *
     * @param description how diagnostics name where it came from
     * @param document the Promise document
     * @return the Promise, or empty when it does not map (then a diagnostic was added)
     */
    public static Optional<Promise> promise(
            String description, com.fasterxml.jackson.databind.node.ObjectNode document, List<Diagnostic> diagnostics) {
        return new DocumentMapper(
                        new YamlDocument(SourceLocation.of(description), document, dev.kbr.model.LineMap.empty()),
                        diagnostics)
                .promise();
    }

    private static List<PathMatcher> excludes(PlatformFiles tree, List<Diagnostic> diagnostics) throws IOException {
        List<PathMatcher> matchers = new ArrayList<>();
        Optional<byte[]> settings = tree.read(SETTINGS_FILE);
        if (settings.isEmpty()) {
            return matchers;
        }
        YamlReader.Result read = YamlReader.read(SETTINGS_FILE, settings.get());
        diagnostics.addAll(read.diagnostics());
        for (YamlDocument doc : read.documents()) {
            JsonNode exclude = doc.body().path("exclude");
            for (int i = 0; exclude.isArray() && i < exclude.size(); i++) {
                String glob = exclude.get(i).asText();
                try {
                    matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
                } catch (IllegalArgumentException e) {
                    diagnostics.add(Diagnostic.error(
                            doc.at("exclude[" + i + "]"),
                            "exclude[" + i + "]",
                            "is not a valid glob (" + e.getMessage() + ")"));
                }
            }
        }
        return matchers;
    }

    private static List<String> yamlFiles(PlatformFiles tree, List<PathMatcher> excludes) throws IOException {
        // Globs match relative paths the same way for a folder and a Git tree.
        Predicate<String> excluded = relative -> excludes.stream().anyMatch(m -> m.matches(Path.of(relative)));
        List<String> files = new ArrayList<>();
        for (String relative : tree.list(dir -> !hidden(dir) && !excluded.test(dir))) {
            String name = relative.substring(relative.lastIndexOf('/') + 1);
            if (!hidden(relative)
                    && (name.endsWith(".yaml") || name.endsWith(".yml"))
                    && !relative.equals(SETTINGS_FILE)
                    && !excluded.test(relative)) {
                files.add(relative);
            }
        }
        return files.stream().sorted().toList();
    }

    /** A file or folder whose own name starts with a dot. */
    static boolean hidden(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1).startsWith(".");
    }
}
