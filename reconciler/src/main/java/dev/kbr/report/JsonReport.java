package dev.kbr.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.PlatformOrigin;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.state.FileChange;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders a {@link RunReport} as the JSON document of {@code --output json}: {@code apiVersion:
 * kbr.dev/report/v1}, described field by field in {@code docs/json-output.md} and by the JSON
 * Schema {@code docs/schema/report-v1.schema.json}.
 *
 * <p>File contents are never included (only paths, blob ids and sizes), so no Secret value can
 * reach the document through a changed file. Fields are always present, {@code null} when they
 * have no value; the order of fields and of list items is fixed, so the same pass gives the same
 * bytes.
 */
public final class JsonReport {
    /** The {@code apiVersion} of this document; a breaking change gets a new version. */
    public static final String API_VERSION = "kbr.dev/report/v1";

    /** The {@code kind} of this document. */
    public static final String KIND = "Report";

    /** Git's id of empty content: an added file with no bytes read and this id is truly empty. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonReport() {}

    /**
     * Writes the document and a final newline to {@code out}.
     *
     * @throws UncheckedIOException when {@code out} fails (a PrintWriter never does)
     */
    public static void write(RunReport report, PrintWriter out) {
        try {
            JSON.writeValue(out, tree(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.flush();
    }

    /** The document as a tree. */
    public static ObjectNode tree(RunReport report) {
        ObjectNode root = NODES.objectNode();
        root.put("apiVersion", API_VERSION);
        root.put("kind", KIND);
        root.put("command", report.applied() ? "apply" : "plan");
        root.put("applied", report.applied());
        ObjectNode source = root.putObject("platform");
        source.put("source", report.platform().map(PlatformOrigin::location).orElse(null));
        source.put("ref", report.platform().flatMap(PlatformOrigin::ref).orElse(null));
        source.put("commit", report.platform().flatMap(PlatformOrigin::commit).orElse(null));

        ReportCounts counts = ReportCounts.of(report);
        ObjectNode summary = root.putObject("summary");
        summary.put("added", counts.added());
        summary.put("modified", counts.modified());
        summary.put("deleted", counts.deleted());
        summary.put("pipelinesRun", counts.pipelinesRun());
        summary.put("pipelinesFailed", counts.pipelinesFailed());
        summary.put("cached", report.cached().size());
        summary.put(
                "diagnosticErrors",
                report.diagnostics().stream().filter(Diagnostic::isError).count());
        summary.put(
                "diagnosticWarnings",
                report.diagnostics().stream().filter(d -> !d.isError()).count());
        summary.put("errors", report.errors().size());
        summary.put("hasChanges", report.hasChanges());
        summary.put("hasErrors", report.hasErrors());
        summary.put("headline", counts.headline(report));

        ArrayNode stores = root.putArray("stores");
        ArrayNode commits = root.putArray("commits");
        for (StoreReport store : report.stores()) {
            ObjectNode s = stores.addObject();
            boolean git = store.location().branch().isPresent();
            s.put("name", store.name());
            s.put("kind", store.location().kind());
            s.put("url", store.location().url());
            if (git) {
                s.put("branch", store.location().branch().get());
                s.put("baseCommit", store.baseVersion().orElse(null));
                s.put("commit", store.version().orElse(null));
            }
            s.put("baseVersion", store.baseVersion().orElse(null));
            s.put("version", store.version().orElse(null));
            ArrayNode changes = s.putArray("changes");
            for (FileChange change : store.changes().changes()) {
                changes.add(change(store, change, git));
            }
            store.version().ifPresent(v -> {
                ObjectNode commit = commits.addObject();
                commit.put("store", store.name());
                if (git) {
                    commit.put("branch", store.location().branch().get());
                }
                commit.put("base", store.baseVersion().orElse(null));
                commit.put(git ? "commit" : "version", v);
            });
        }

        ArrayNode runs = root.putArray("pipelineRuns");
        for (PipelineRun run : report.pipelineRuns()) {
            runs.add(run(run));
        }
        ArrayNode cached = root.putArray("cached");
        report.cached().forEach(cached::add);
        ArrayNode diagnostics = root.putArray("diagnostics");
        for (Diagnostic d : report.diagnostics()) {
            ObjectNode node = diagnostics.addObject();
            node.put("file", d.location().file());
            node.put("document", d.location().documentIndex());
            if (d.location().line() > 0) {
                node.put("line", d.location().line());
            } else {
                node.putNull("line");
            }
            node.put("field", d.field().isEmpty() ? null : d.field());
            node.put("severity", d.severity().name().toLowerCase(Locale.ROOT));
            node.put("message", d.message());
        }
        ArrayNode notices = root.putArray("notices");
        report.noticeMessages().forEach(notices::add);
        ArrayNode errors = root.putArray("errors");
        report.errorMessages().forEach(errors::add);
        ArrayNode noticeDetails = root.putArray("noticeDetails");
        report.notices().forEach(n -> detail(noticeDetails, n.topic().name(), n.subject(), n.message()));
        ArrayNode errorDetails = root.putArray("errorDetails");
        report.errors().forEach(e -> detail(errorDetails, e.area().name(), e.subject(), e.message()));
        return root;
    }

    /** One notice or error with its topic (or area) in lower-kebab-case, its subject and sentence. */
    private static void detail(ArrayNode list, String topic, String subject, String message) {
        ObjectNode node = list.addObject();
        node.put("topic", topic.toLowerCase(Locale.ROOT).replace('_', '-'));
        node.put("subject", subject.isEmpty() ? null : subject);
        node.put("message", message);
    }

    private static ObjectNode change(StoreReport store, FileChange change, boolean git) {
        ObjectNode node = NODES.objectNode();
        node.put("path", change.path());
        node.put("destination", store.destinationOf(change.path()).orElse(null));
        if (change instanceof FileChange.Added a) {
            node.put("action", "added");
            ids(node, Optional.of(a.contentId()), Optional.empty(), git);
            node.put("size", a.content().length);
            node.putNull("previousSize");
        } else if (change instanceof FileChange.Modified m) {
            node.put("action", "modified");
            ids(node, Optional.of(m.contentId()), Optional.of(m.oldContentId()), git);
            node.put("size", m.content().length);
            byte[] before = store.previousContent().get(m.path());
            putSize(node, "previousSize", Optional.ofNullable(before).map(b -> b.length));
        } else {
            FileChange.Deleted d = (FileChange.Deleted) change;
            node.put("action", "deleted");
            ids(node, Optional.empty(), Optional.of(d.oldContentId()), git);
            node.putNull("size");
            node.putNull("previousSize");
        }
        return node;
    }

    /**
     * The content ids before and after; a Git store's are its blob ids, also given under the names
     * earlier reports used.
     */
    private static void ids(ObjectNode node, Optional<String> id, Optional<String> previous, boolean git) {
        node.put("contentId", id.orElse(null));
        node.put("previousContentId", previous.orElse(null));
        if (git) {
            node.put("blobId", id.orElse(null));
            node.put("previousBlobId", previous.orElse(null));
        }
    }

    private static void putSize(ObjectNode node, String field, Optional<Integer> size) {
        if (size.isPresent()) {
            node.put(field, size.get());
        } else {
            node.putNull(field);
        }
    }

    private static ObjectNode run(PipelineRun run) {
        ObjectNode node = NODES.objectNode();
        node.put("description", run.description());
        // The description is "<object> <workflow> <pipeline>"; object names may hold spaces
        // ("Promise redis"), workflow and pipeline names never do.
        String[] parts = run.description().split(" ");
        boolean parsed = parts.length >= 3;
        node.put(
                "object",
                parsed ? String.join(" ", java.util.Arrays.copyOf(parts, parts.length - 2)) : run.description());
        node.put("workflow", parsed ? parts[parts.length - 2] : null);
        node.put("pipeline", parsed ? parts[parts.length - 1] : null);
        node.put("why", run.why());
        node.put("succeeded", run.succeeded());
        Optional<Integer> exit = exitCode(run);
        if (exit.isPresent()) {
            node.put("exitCode", exit.get());
        } else {
            node.putNull("exitCode");
        }
        node.put("reason", run.succeeded() ? null : run.reason());
        node.put("durationMs", run.duration().toMillis());
        ArrayNode logs = node.putArray("logs");
        for (ContainerLog log : run.logs()) {
            ObjectNode l = logs.addObject();
            l.put("container", log.container());
            l.put("exitCode", log.exitCode());
            l.put("text", log.text());
        }
        return node;
    }

    /**
     * 0 for a pipeline that succeeded; for one that failed, the first non-zero container exit
     * code, else the last container's (0 when its outputs were rejected), else empty (it never
     * started).
     */
    private static Optional<Integer> exitCode(PipelineRun run) {
        if (run.succeeded()) {
            return Optional.of(0);
        }
        for (ContainerLog log : run.logs()) {
            if (log.exitCode() != 0) {
                return Optional.of(log.exitCode());
            }
        }
        return run.logs().isEmpty()
                ? Optional.empty()
                : Optional.of(run.logs().get(run.logs().size() - 1).exitCode());
    }
}
