package dev.kbr.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;

/**
 * Renders {@code kbr status}: a table like {@code kubectl get} prints for Kratix objects (the
 * {@code STATUS} column is a Promise's {@code status.status} and a request's {@code Reconciled}
 * condition message, as Kratix's printer columns), with each condition below, a suspended
 * pipeline's retry, the request's health ({@code status.healthStatus}) and what pipelines wrote,
 * or JSON.
 */
public final class StatusReport {
    /** Version of the JSON document {@code kbr status --output json} prints. */
    public static final int JSON_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusReport() {}

    /** The table, one object per line with its conditions indented below. */
    public static void text(List<ObjectStatusView> views, PrintWriter out) {
        if (views.isEmpty()) {
            out.println("No objects recorded yet; run kbr apply first.");
            out.flush();
            return;
        }
        int width = views.stream().mapToInt(v -> name(v).length()).max().orElse(10);
        out.printf("%-" + width + "s  %-12s  %s%n", "OBJECT", "STATUS", "MESSAGE");
        for (ObjectStatusView view : views) {
            JsonNode status = view.status();
            // Kratix's printer columns: a Promise shows status.status (Available/Unavailable), a
            // request the Reconciled condition's message.
            String reconciled = view.key().isPromise()
                    ? status.path("status").asText("-")
                    : condition(status, "Reconciled").path("message").asText("-");
            out.printf(
                    "%-" + width + "s  %-12s  %s%n",
                    name(view),
                    reconciled,
                    status.path("message").asText(""));
            for (JsonNode c : status.path("conditions")) {
                out.printf(
                        "%-" + width + "s    %s=%s (%s) %s%n",
                        "",
                        c.path("type").asText(),
                        c.path("status").asText(),
                        c.path("reason").asText(),
                        c.path("message").asText());
            }
            for (JsonNode p : status.path("kratix").path("workflows").path("pipelines")) {
                if ("Suspended".equals(p.path("phase").asText())) {
                    out.printf(
                            "%-" + width + "s    pipeline %s: Suspended%s%s%n",
                            "",
                            p.path("name").asText(),
                            p.has("nextRetryAt")
                                    ? " until " + p.path("nextRetryAt").asText() + " (attempts "
                                            + p.path("attempts").asText("0") + ")"
                                    : "",
                            p.has("message") ? ": " + p.path("message").asText() : "");
                }
            }
            JsonNode health = status.path("healthStatus");
            if (health.isObject()) {
                List<String> records = new java.util.ArrayList<>();
                for (JsonNode r : health.path("healthRecords")) {
                    records.add(r.path("source").path("namespace").asText() + "/"
                            + r.path("source").path("name").asText() + " "
                            + r.path("state").asText());
                }
                out.printf(
                        "%-" + width + "s    health: %s%s%n",
                        "",
                        health.path("state").asText("-"),
                        records.isEmpty() ? "" : " (HealthRecords: " + String.join(", ", records) + ")");
            }
            // An unversioned Promise's requests all say not-set: only versions are worth a line.
            if (status.has("promiseVersion")
                    && !"not-set".equals(status.path("promiseVersion").asText())) {
                out.printf(
                        "%-" + width + "s    promise version: %s (binding: %s)%n",
                        "",
                        status.path("promiseVersion").asText(),
                        status.path("resourceBindingVersion").asText("-"));
            }
            // What pipelines wrote (status.yaml, or published through the platform API), sorted.
            java.util.SortedSet<String> fields = new java.util.TreeSet<>();
            status.fieldNames().forEachRemaining(fields::add);
            fields.stream()
                    .filter(field -> !KRATIX_FIELDS.contains(field))
                    .forEach(field -> out.printf("%-" + width + "s    %s: %s%n", "", field, scalar(status.get(field))));
        }
        out.flush();
    }

    /** The status fields Kratix itself writes; the rest come from the object's pipelines. */
    private static final java.util.Set<String> KRATIX_FIELDS = java.util.Set.of(
            "conditions",
            "message",
            "status",
            "kind",
            "apiVersion",
            "version",
            "workflows",
            "workflowsSucceeded",
            "workflowsFailed",
            "lastSuccessfulConfigureWorkflowTime",
            "observedGeneration",
            "healthStatus",
            "promiseVersion",
            "resourceBindingVersion",
            "kratix");

    private static String scalar(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /**
     * The JSON document: {@code {"version": 1, "objects": [{"promise", "namespace", "name",
     * "store", "status"}]}}.
     */
    public static void json(List<ObjectStatusView> views, PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", JSON_VERSION);
        ArrayNode objects = root.putArray("objects");
        for (ObjectStatusView view : views) {
            ObjectNode o = objects.addObject();
            o.put("promise", view.key().promise());
            o.put("namespace", view.key().namespace());
            o.put("name", view.key().name());
            o.put("store", view.store());
            o.set("status", view.status());
        }
        try {
            out.println(JSON.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write status JSON", e);
        }
        out.flush();
    }

    private static String name(ObjectStatusView view) {
        return view.key().isPromise()
                ? "promise/" + view.key().promise()
                : view.key().promise() + "/" + view.key().namespace() + "/"
                        + view.key().name();
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return status.path("__none__");
    }
}
