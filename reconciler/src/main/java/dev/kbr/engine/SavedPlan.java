package dev.kbr.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.load.PlatformSource;
import dev.kbr.model.PlatformOrigin;
import dev.kbr.report.RunReport;
import dev.kbr.report.StoreReport;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.FileChange;
import dev.kbr.state.StoreLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A plan saved by {@code kbr plan --out FILE}, applied later by {@code kbr apply FILE} exactly as
 * it was printed: the platform it was computed from (a fingerprint), and per state store the
 * version it was computed against and every file to add, change or delete (with content, so no
 * pipeline runs again). Kratix has no saved plans; this mirrors Terraform's {@code plan -out}.
 *
 * <p>File format ({@value #API_VERSION}), JSON: {@code apiVersion}, {@code kind: SavedPlan},
 * {@code platform} ({@code source}, {@code ref}, {@code commit}, {@code fingerprint}), {@code
 * stores[]} ({@code name}, {@code kind}, {@code url} without password, {@code branch} for a
 * GitStateStore, {@code baseVersion} or null for an empty store, {@code destinations} (folder
 * prefix to Destination name), {@code changes[]} of {@code path}, {@code action}
 * added/modified/deleted, {@code contentId} ({@link dev.kbr.state.ContentId}) and base64 {@code
 * content}), {@code dryRunPipelines[]}: the pipeline runs whose outputs the plan holds, made with
 * {@code KRATIX_DRY_RUN=true} ({@link dev.kbr.pipeline.PipelineMode#DRY_RUN}, as every pipeline of
 * {@code kbr plan} runs), and {@code digest}: the sha256 of the document without it, so an edited
 * file is refused. Plans of earlier formats ({@code kbr.dev/saved-plan/v1}, {@code v2}, which did
 * not record their dry runs) are refused with a request to plan again: a saved plan lives minutes,
 * not releases.
 *
 * @param platform where the platform came from
 * @param fingerprint the platform's {@link PlatformSource#fingerprint()} when planned
 * @param stores one entry per state store the plan covers
 * @param dryRunPipelines how the report named each pipeline run whose outputs (files, statuses,
 *     records of the run) the plan holds, in run order; empty when every object was cached, so
 *     no output of the plan was made in dry-run mode
 */
public record SavedPlan(PlatformOrigin platform, String fingerprint, List<Store> stores, List<String> dryRunPipelines) {
    /** The format written and the only one read. */
    public static final String API_VERSION = "kbr.dev/saved-plan/v3";

    private static final ObjectMapper JSON = new ObjectMapper();

    public SavedPlan {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(fingerprint, "fingerprint");
        stores = List.copyOf(stores);
        dryRunPipelines = List.copyOf(dryRunPipelines);
    }

    /**
     * The plan of one state store.
     *
     * @param location the store's name, kind, URL (password masked; only compared, never used)
     *     and branch as the plan saw them
     * @param baseVersion the store's version the changes were computed against; empty for an
     *     empty store
     * @param changes what to write on top of it
     * @param destinationRoots folder prefix to Destination name, to group the report's changes
     */
    public record Store(
            StoreLocation location,
            Optional<String> baseVersion,
            ChangeSet changes,
            SortedMap<String, String> destinationRoots) {
        public Store {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(baseVersion, "baseVersion");
            Objects.requireNonNull(changes, "changes");
            destinationRoots = Collections.unmodifiableSortedMap(new TreeMap<>(destinationRoots));
        }

        /** The state store's name. */
        public String name() {
            return location.name();
        }
    }

    /**
     * The plan in {@code report}, a plan pass's report: every pipeline it ran ran in dry-run mode,
     * so each is recorded in {@link #dryRunPipelines}.
     *
     * @throws IllegalArgumentException when {@code report} is an apply's (its pipelines ran live
     *     and it committed already)
     */
    public static SavedPlan of(RunReport report, PlatformOrigin platform, String fingerprint) {
        if (report.applied()) {
            throw new IllegalArgumentException("only a plan's report can be saved as a plan");
        }
        List<Store> stores = new ArrayList<>();
        for (StoreReport store : report.stores()) {
            stores.add(new Store(store.location(), store.baseVersion(), store.changes(), store.destinationRoots()));
        }
        List<String> dryRuns = report.pipelineRuns().stream()
                .map(dev.kbr.report.PipelineRun::description)
                .toList();
        return new SavedPlan(platform, fingerprint, stores, dryRuns);
    }

    /**
     * Writes the plan to {@code file} atomically with mode 0600 (pipeline outputs may hold Secret
     * manifests).
     *
     * @throws IOException when it cannot be written
     */
    public void write(Path file) throws IOException {
        ObjectNode root = body();
        root.put("digest", digestOf(root));
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the folder's own permissions protect the file.
            }
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Reads a saved plan.
     *
     * @throws InvalidPlanException when the file is not JSON, of another format or version, or
     *     was edited after it was written (its digest does not match); the message names the file
     * @throws IOException when it cannot be read
     */
    public static SavedPlan read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidPlanException(file + " is not a saved plan (not JSON: " + e.getOriginalMessage()
                    + "); pass the file written by kbr plan --out");
        }
        if (root == null
                || !root.isObject()
                || !API_VERSION.equals(root.path("apiVersion").asText())) {
            throw new InvalidPlanException(file + " is not a saved plan of this kbr (apiVersion "
                    + (root == null ? "missing" : root.path("apiVersion").asText("missing")) + ", expected "
                    + API_VERSION + "); run kbr plan --out again");
        }
        ObjectNode body = ((ObjectNode) root).deepCopy();
        String digest = body.path("digest").asText("");
        body.remove("digest");
        if (!digest.equals(digestOf(body))) {
            throw new InvalidPlanException(file + " was changed after kbr plan wrote it (its digest does not"
                    + " match), so it is not applied; run kbr plan --out again");
        }
        try {
            JsonNode platform = body.path("platform");
            Optional<String> ref = text(platform, "ref");
            Optional<String> commit = text(platform, "commit");
            PlatformOrigin origin = new PlatformOrigin(platform.path("source").asText(), ref, commit);
            List<Store> stores = new ArrayList<>();
            for (JsonNode store : body.path("stores")) {
                List<FileChange> changes = new ArrayList<>();
                for (JsonNode change : store.path("changes")) {
                    String path = change.path("path").asText();
                    String action = change.path("action").asText();
                    byte[] content =
                            Base64.getDecoder().decode(change.path("content").asText(""));
                    String contentId = change.path("contentId").asText("");
                    changes.add(
                            switch (action) {
                                case "added" -> new FileChange.Added(path, content, contentId);
                                case "modified" -> new FileChange.Modified(path, "", content, contentId);
                                case "deleted" -> new FileChange.Deleted(path, "");
                                default ->
                                    throw new IllegalArgumentException("unknown action " + action + " for " + path);
                            });
                }
                SortedMap<String, String> roots = new TreeMap<>();
                store.path("destinations")
                        .fields()
                        .forEachRemaining(
                                e -> roots.put(e.getKey(), e.getValue().asText()));
                StoreLocation location = new StoreLocation(
                        store.path("name").asText(),
                        store.path("kind").asText(),
                        store.path("url").asText(),
                        text(store, "branch"));
                stores.add(new Store(location, text(store, "baseVersion"), new ChangeSet(changes), roots));
            }
            List<String> dryRuns = new ArrayList<>();
            body.path("dryRunPipelines").forEach(run -> dryRuns.add(run.asText()));
            return new SavedPlan(
                    origin, body.path("platform").path("fingerprint").asText(), stores, dryRuns);
        } catch (RuntimeException e) {
            throw new InvalidPlanException(
                    file + " is not a valid saved plan (" + e.getMessage() + "); run kbr plan --out again");
        }
    }

    private ObjectNode body() {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", API_VERSION);
        root.put("kind", "SavedPlan");
        ObjectNode source = root.putObject("platform");
        source.put("source", platform.location());
        source.put("ref", platform.ref().orElse(null));
        source.put("commit", platform.commit().orElse(null));
        source.put("fingerprint", fingerprint);
        ArrayNode list = root.putArray("stores");
        for (Store store : stores) {
            ObjectNode node = list.addObject();
            node.put("name", store.name());
            node.put("kind", store.location().kind());
            node.put("url", store.location().url());
            store.location().branch().ifPresent(b -> node.put("branch", b));
            node.put("baseVersion", store.baseVersion().orElse(null));
            ObjectNode roots = node.putObject("destinations");
            store.destinationRoots().forEach(roots::put);
            ArrayNode changes = node.putArray("changes");
            for (FileChange change : store.changes().changes()) {
                ObjectNode c = changes.addObject();
                c.put("path", change.path());
                if (change instanceof FileChange.Added a) {
                    c.put("action", "added");
                    c.put("contentId", a.contentId());
                    c.put("content", Base64.getEncoder().encodeToString(a.content()));
                } else if (change instanceof FileChange.Modified m) {
                    c.put("action", "modified");
                    c.put("contentId", m.contentId());
                    c.put("content", Base64.getEncoder().encodeToString(m.content()));
                } else {
                    c.put("action", "deleted");
                }
            }
        }
        ArrayNode dryRuns = root.putArray("dryRunPipelines");
        dryRunPipelines.forEach(dryRuns::add);
        return root;
    }

    private static String digestOf(ObjectNode body) throws JsonProcessingException {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(JSON.writeValueAsBytes(body)));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    /** A file that is not a saved plan this kbr can apply; the message says why and what to do. */
    public static final class InvalidPlanException extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidPlanException(String message) {
            super(message);
        }
    }
}
