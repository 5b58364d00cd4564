package dev.kbr.state.layout;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkType;
import dev.kbr.state.DestinationRecord;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.ObjectRecord;
import dev.kbr.state.RecordedWorkload;
import dev.kbr.state.Records;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.WorkRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * kbr's records as files: JSON (never YAML, so Flux's generated kustomization ignores them)
 * under {@code <store path>/.kbr/}:
 *
 * <ul>
 *   <li>{@code works/<promise>/static.json}, {@code works/<promise>/promise/<pipeline>.json},
 *       {@code works/<promise>/resources/<namespace>/<name>/<pipeline>.json};
 *   <li>{@code objects/<promise>/promise.json}, {@code objects/<promise>/resources/<namespace>/<name>.json};
 *   <li>{@code destinations/<destination>.json}.
 * </ul>
 *
 * A group's workloads are recorded by path and content id; their bytes too when the store holds
 * no file with that content ({@code aggregatedYAML}), as UTF-8 text ({@code content}) or, for
 * bytes that are not UTF-8, Base64 ({@code contentBase64}).
 *
 * Output is canonical (fixed field order, two-space indent, trailing newline) so equal records
 * give equal bytes.
 */
public final class RecordsFormat {
    /** Bumped when the format changes incompatibly. */
    public static final int VERSION = 1;

    // Records use file paths as field names (a Work's files, a Destination's canaries), so nearly
    // every name is new: Jackson's shared name table would grow with the store and be copied on
    // each parse (3.7 GB allocated to read 20,000 records). Names are not pooled here.
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
                    .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                    .build())
            .enable(SerializationFeature.INDENT_OUTPUT);

    private RecordsFormat() {}

    /** Where a Work's record lives. */
    public static String path(String storePath, WorkId id) {
        String base = StateLayout.recordsRoot(storePath) + "works/" + id.promise() + "/";
        return switch (id.type()) {
            case STATIC_DEPENDENCY -> base + "static.json";
            case PROMISE -> base + "promise/" + id.pipeline() + ".json";
            case RESOURCE -> base + "resources/" + id.namespace() + "/" + id.name() + "/" + id.pipeline() + ".json";
        };
    }

    /** Where an object's record lives. */
    public static String path(String storePath, ObjectKey key) {
        String base = StateLayout.recordsRoot(storePath) + "objects/" + key.promise() + "/";
        return key.isPromise()
                ? base + "promise.json"
                : base + "resources/" + key.namespace() + "/" + key.name() + ".json";
    }

    /** Where a Destination's record lives. */
    public static String destinationPath(String storePath, String destination) {
        return StateLayout.recordsRoot(storePath) + "destinations/" + destination + ".json";
    }

    /** The bytes of a Work record. */
    public static byte[] write(WorkRecord record) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", "Work");
        root.put("version", VERSION);
        ObjectNode id = root.putObject("work");
        id.put("type", record.id().type().name());
        id.put("promise", record.id().promise());
        id.put("namespace", record.id().namespace());
        id.put("name", record.id().name());
        id.put("pipeline", record.id().pipeline());
        var groups = root.putArray("groups");
        for (GroupRecord g : record.groups()) {
            ObjectNode group = groups.addObject();
            group.put("id", g.groupId());
            group.put("directory", g.directory());
            group.put("destination", g.destination());
            group.put("misplaced", g.misplaced());
            ObjectNode files = group.putObject("files");
            g.files().forEach(files::put);
            var workloads = group.putArray("workloads");
            for (RecordedWorkload w : g.workloads()) {
                ObjectNode workload = workloads.addObject();
                workload.put("filepath", w.filepath());
                workload.put("id", w.contentId());
                w.content().ifPresent(content -> {
                    Optional<String> text = utf8(content);
                    if (text.isPresent()) {
                        workload.put("content", text.get());
                    } else {
                        workload.put("contentBase64", Base64.getEncoder().encodeToString(content));
                    }
                });
            }
        }
        return bytes(root);
    }

    /** The bytes of a Destination record. */
    public static byte[] write(DestinationRecord record) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", "Destination");
        root.put("version", VERSION);
        root.put("name", record.name());
        root.put("path", record.path());
        root.put("mode", record.mode().value());
        root.put("filename", record.filename());
        root.put("cleanup", record.cleanup().value());
        ObjectNode canaries = root.putObject("canaries");
        record.canaries().forEach(canaries::put);
        ObjectNode files = root.putObject("files");
        record.files().forEach(files::put);
        return bytes(root);
    }

    /** The bytes of an object record. */
    public static byte[] write(ObjectRecord record) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", "Object");
        root.put("version", VERSION);
        root.put("promise", record.key().promise());
        root.put("namespace", record.key().namespace());
        root.put("name", record.key().name());
        record.lastRun().ifPresent(run -> {
            ObjectNode last = root.putObject("lastRun");
            last.put("inputHash", run.inputHash());
            last.put("at", run.at());
            last.put("manualReconciliation", run.manualReconciliation());
            run.requestsInOutputs().ifPresent(held -> last.put("requestsInOutputs", held));
        });
        if (record.createdThroughApi()) {
            root.put("createdThroughApi", true);
        }
        root.set("object", record.object());
        return bytes(root);
    }

    /**
     * Reads every record under {@code <storePath>/.kbr/} of a snapshot.
     *
     * @throws IOException when a record cannot be read or is not a kbr record; the message names
     *     the file
     */
    public static Records read(StateSnapshot snapshot, String storePath) throws IOException {
        String prefix = StateLayout.recordsRoot(storePath);
        SortedMap<WorkId, WorkRecord> works = new TreeMap<>();
        SortedMap<ObjectKey, ObjectRecord> objects = new TreeMap<>();
        SortedMap<String, DestinationRecord> destinations = new TreeMap<>();
        List<String> paths = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (String path : snapshot.files().keySet()) {
            if (path.startsWith(prefix) && path.endsWith(".json")) {
                paths.add(path);
                contents.add(snapshot.read(path));
            }
        }
        // Parsing is most of a large store's read (10,000 requests: 20,000 records), and each
        // record parses on its own; the blob reads above stay on one thread (one Git reader).
        List<Object> parsed = IntStream.range(0, paths.size())
                .parallel()
                .mapToObj(i -> parse(paths.get(i), contents.get(i)))
                .toList();
        for (int i = 0; i < parsed.size(); i++) {
            Object record = parsed.get(i);
            if (record instanceof IOException invalid) {
                throw invalid;
            } else if (record instanceof WorkRecord work) {
                // The file at the record's own path wins over a copy elsewhere, so the record a
                // pass compares with is the one it would overwrite.
                if (paths.get(i).equals(path(storePath, work.id()))) {
                    works.put(work.id(), work);
                } else {
                    works.putIfAbsent(work.id(), work);
                }
            } else if (record instanceof ObjectRecord object) {
                if (paths.get(i).equals(path(storePath, object.key()))) {
                    objects.put(object.key(), object);
                } else {
                    objects.putIfAbsent(object.key(), object);
                }
            } else {
                DestinationRecord destination = (DestinationRecord) record;
                destinations.put(destination.name(), destination);
            }
        }
        return new Records(works, objects, destinations);
    }

    /**
     * One record: a {@link WorkRecord}, {@link ObjectRecord} or {@link DestinationRecord}, or the
     * IOException naming the file when it is not one.
     */
    private static Object parse(String path, byte[] content) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            return new IOException("kbr record " + path + " is not valid JSON (" + reason
                    + "); restore it from Git history or delete it to let kbr rebuild its records");
        }
        try {
            return switch (root.path("kind").asText()) {
                case "Work" -> work(root);
                case "Object" -> object(root);
                case "Destination" -> destination(root, path);
                default ->
                    throw new IOException("kbr record " + path + " has unknown kind \""
                            + root.path("kind").asText() + "\"; files under .kbr/ belong to kbr");
            };
        } catch (IOException e) {
            return e;
        }
    }

    private static ObjectRecord object(JsonNode root) {
        ObjectKey key = new ObjectKey(
                root.path("promise").asText(),
                root.path("namespace").asText(),
                root.path("name").asText());
        JsonNode last = root.path("lastRun");
        Optional<ObjectRecord.LastRun> lastRun = last.isObject()
                ? Optional.of(new ObjectRecord.LastRun(
                        last.path("inputHash").asText(),
                        last.path("at").asText(),
                        last.path("manualReconciliation").asText(),
                        last.path("requestsInOutputs").isBoolean()
                                ? Optional.of(last.path("requestsInOutputs").asBoolean())
                                : Optional.empty()))
                : Optional.empty();
        return new ObjectRecord(
                key,
                (ObjectNode) root.path("object"),
                lastRun,
                root.path("createdThroughApi").asBoolean(false));
    }

    private static DestinationRecord destination(JsonNode root, String path) throws IOException {
        String mode = root.path("mode").asText();
        String cleanup = root.path("cleanup").asText();
        return new DestinationRecord(
                root.path("name").asText(),
                root.path("path").asText(),
                FilepathMode.parse(mode)
                        .orElseThrow(() -> new IOException("kbr record " + path + " has unknown filepath mode \"" + mode
                                + "\"; files under .kbr/ belong to kbr")),
                root.path("filename").asText(),
                DestinationCleanup.parse(cleanup)
                        .orElseThrow(() -> new IOException("kbr record " + path + " has unknown cleanup \"" + cleanup
                                + "\"; files under .kbr/ belong to kbr")),
                stringMap(root.path("canaries")),
                stringMap(root.path("files")));
    }

    private static SortedMap<String, String> stringMap(JsonNode node) {
        SortedMap<String, String> map = new TreeMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static WorkRecord work(JsonNode root) {
        JsonNode id = root.path("work");
        WorkId workId = new WorkId(
                WorkType.valueOf(id.path("type").asText()),
                id.path("promise").asText(),
                id.path("namespace").asText(),
                id.path("name").asText(),
                id.path("pipeline").asText());
        List<GroupRecord> groups = new ArrayList<>();
        for (JsonNode g : root.path("groups")) {
            List<RecordedWorkload> workloads = new ArrayList<>();
            for (JsonNode w : g.path("workloads")) {
                Optional<byte[]> content = Optional.empty();
                if (w.has("content")) {
                    content = Optional.of(w.path("content").asText().getBytes(StandardCharsets.UTF_8));
                } else if (w.has("contentBase64")) {
                    content = Optional.of(
                            Base64.getDecoder().decode(w.path("contentBase64").asText()));
                }
                workloads.add(new RecordedWorkload(
                        w.path("filepath").asText(), w.path("id").asText(), content));
            }
            groups.add(new GroupRecord(
                    g.path("id").asText(),
                    g.path("directory").asText(),
                    g.path("destination").asText(),
                    g.path("misplaced").asBoolean(false),
                    stringMap(g.path("files")),
                    workloads));
        }
        return new WorkRecord(workId, groups);
    }

    /** The bytes as text when they are valid UTF-8 (so they round-trip exactly), else empty. */
    private static Optional<String> utf8(byte[] content) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(JsonNode root) {
        try {
            return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a kbr record", e);
        }
    }
}
