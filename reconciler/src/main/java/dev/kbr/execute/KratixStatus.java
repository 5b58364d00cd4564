package dev.kbr.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.HealthRecord;
import dev.kbr.model.HealthState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The status fields and conditions Kratix writes on Promises and resource requests ({@code
 * lib/resourceutil/util.go}, {@code work-creator/lib/status_updater.go}, {@code
 * internal/controller/promise_controller.go}), computed from a pass's outcome.
 *
 * <p>Conditions follow Kubernetes' {@code meta.SetStatusCondition}: {@code lastTransitionTime}
 * changes only when the condition's status changes, so a pass with the same outcome writes the
 * same bytes and makes no commit. Conditions are kept sorted by type.
 */
public final class KratixStatus {
    private KratixStatus() {}

    public static final String CONFIGURE_COMPLETED = "ConfigureWorkflowCompleted";
    public static final String WORKS_SUCCEEDED = "WorksSucceeded";
    public static final String RECONCILED = "Reconciled";
    public static final String PROMISE_AVAILABLE = "PromiseAvailable";
    public static final String DELETE_COMPLETED = "DeleteWorkflowCompleted";
    public static final String AVAILABLE = "Available";
    public static final String REQUIREMENTS_FULFILLED = "RequirementsFulfilled";

    /** The reason of a paused object's conditions. */
    public static final String PAUSED_REASON = "PausedReconciliation";

    /** Marks the start of a configure workflow: Kratix sets the message to Pending. */
    public static void started(ObjectNode object) {
        status(object).put("message", "Pending");
    }

    /**
     * Records how a configure workflow ended.
     *
     * @param object the object, changed in place
     * @param promise true for a Promise's own workflow
     * @param outcome the outcome
     * @param now the time of this pass
     */
    public static void configured(ObjectNode object, boolean promise, WorkflowOutcome outcome, Instant now) {
        ObjectNode status = status(object);
        int total = outcome.pipelines().size();
        status.put("workflows", total);
        ObjectNode kratixWorkflows = status.withObject("/kratix").withObject("/workflows");
        long previousAttempts =
                outcome instanceof WorkflowOutcome.Suspended s ? attempts(kratixWorkflows, s.pipeline()) : 0;
        ArrayNode pipelines = kratixWorkflows.putArray("pipelines");
        kratixWorkflows.remove("suspendedGeneration");
        for (int i = 0; i < total; i++) {
            ObjectNode p = pipelines.addObject();
            p.put("name", outcome.pipelines().get(i));
            p.put("phase", phase(outcome, i));
            if (outcome instanceof WorkflowOutcome.Suspended s && i == outcome.succeeded()) {
                suspended(p, s, previousAttempts, now);
                kratixWorkflows.put(
                        "suspendedGeneration",
                        object.path("metadata").path("generation").asLong(1));
            }
        }
        if (outcome instanceof WorkflowOutcome.Completed) {
            status.put("workflowsSucceeded", total);
            status.put("workflowsFailed", 0);
            setCondition(
                    status, CONFIGURE_COMPLETED, "True", "PipelinesExecutedSuccessfully", "Pipelines completed", now);
            if ("Pending".equals(status.path("message").asText())) {
                status.put("message", promise ? "Promise configured" : "Resource requested");
            }
            String completedAt = condition(status, CONFIGURE_COMPLETED)
                    .map(c -> c.path("lastTransitionTime").asText())
                    .orElse(rfc3339(now));
            if (!promise) {
                status.put("lastSuccessfulConfigureWorkflowTime", completedAt);
            }
            kratixWorkflows.put("lastSuccessfulConfigureWorkflowTime", completedAt);
        } else if (outcome instanceof WorkflowOutcome.Failed failed) {
            status.put("workflowsSucceeded", failed.succeeded());
            status.put("workflowsFailed", 1);
            setCondition(
                    status,
                    CONFIGURE_COMPLETED,
                    "False",
                    "ConfigureWorkflowFailed",
                    "A Configure Pipeline has failed: " + failed.pipeline(),
                    now);
        } else {
            status.put("workflowsSucceeded", outcome.succeeded());
            status.put("workflowsFailed", 0);
            setCondition(
                    status,
                    CONFIGURE_COMPLETED,
                    "False",
                    "PipelinesInProgress",
                    "Pipelines are still in progress",
                    now);
        }
    }

    /**
     * Records which revision a request's configure workflow ran, as Kratix's {@code
     * updatePromiseVersionStatus} does after each run ({@code
     * internal/controller/dynamic_resource_request_controller.go}): {@code status.promiseVersion}
     * is the revision's version ({@value dev.kbr.model.Promise#UNVERSIONED} for an unversioned
     * Promise), {@code status.resourceBindingVersion} the binding's {@code spec.version} ({@code
     * latest} without a binding, as Kratix's binding of a new request says). A later delete
     * workflow runs from the revision {@code promiseVersion} names.
     *
     * @param object the request after its configure workflow, changed in place
     * @param promiseVersion the version of the revision that ran
     * @param bindingVersion the version its binding asks for
     */
    public static void promiseVersion(ObjectNode object, String promiseVersion, String bindingVersion) {
        ObjectNode status = status(object);
        status.put("promiseVersion", promiseVersion);
        status.put("resourceBindingVersion", bindingVersion);
    }

    /** The version {@link #promiseVersion} recorded on a request, if any. */
    public static Optional<String> appliedPromiseVersion(ObjectNode object) {
        String version = object.path("status").path("promiseVersion").asText("");
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
    }

    /**
     * Marks the pipeline that suspended the workflow as Kratix's status writer does ({@code
     * work-creator/lib/status_updater.go} {@code MarkPipelineAsSuspended}): its message; with
     * {@code retryAfter}, {@code nextRetryAt} (RFC 3339, UTC, whole seconds: the pass's time plus
     * the duration) and {@code attempts} (one more than it had); without, neither.
     */
    private static void suspended(
            ObjectNode pipeline, WorkflowOutcome.Suspended s, long previousAttempts, Instant now) {
        if (!s.message().isEmpty()) {
            pipeline.put("message", s.message());
        }
        if (s.retryAfter().isPresent()) {
            pipeline.put("nextRetryAt", rfc3339(now.plus(s.retryAfter().get())));
            pipeline.put("attempts", previousAttempts + 1);
        }
    }

    /** The {@code attempts} recorded for {@code pipeline} in {@code status.kratix.workflows}, or 0. */
    private static long attempts(ObjectNode kratixWorkflows, String pipeline) {
        for (JsonNode p : kratixWorkflows.path("pipelines")) {
            if (pipeline.equals(p.path("name").asText())) {
                return p.path("attempts").asLong(0);
            }
        }
        return 0;
    }

    /**
     * When the object's last configure workflow asked to be retried: the {@code nextRetryAt} of
     * its {@code Suspended} pipeline ({@code internal/controller/promise_controller.go} {@code
     * nextRetryAt}, {@code dynamic_resource_request_controller.go} {@code nextRetryAtForResource}).
     *
     * @param object the object with its recorded status
     * @return the instant; empty when no pipeline is suspended with a retry, or its time does not
     *     parse (then Kratix cannot wait for it either, and the workflow runs)
     */
    public static Optional<Instant> nextRetryAt(ObjectNode object) {
        for (JsonNode p : object.path("status").path("kratix").path("workflows").path("pipelines")) {
            if ("Suspended".equals(p.path("phase").asText()) && p.hasNonNull("nextRetryAt")) {
                try {
                    return Optional.of(Instant.parse(p.path("nextRetryAt").asText()));
                } catch (java.time.format.DateTimeParseException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Forgets the retries of the object's last workflow before it restarts from its first
     * pipeline, as Kratix resets every pipeline's status to {@code Pending} then ({@code
     * lib/resourceutil/util.go} {@code ResetPipelineStatusToPending}): {@code attempts} and {@code
     * nextRetryAt} count only the retries of one suspension.
     */
    public static void restarted(ObjectNode object) {
        JsonNode workflows = object.path("status").path("kratix").path("workflows");
        if (workflows instanceof ObjectNode node) {
            node.remove("suspendedGeneration");
            for (JsonNode p : node.path("pipelines")) {
                if (p instanceof ObjectNode pipeline) {
                    pipeline.remove("attempts");
                    pipeline.remove("nextRetryAt");
                }
            }
        }
    }

    private static String phase(WorkflowOutcome outcome, int index) {
        if (index < outcome.succeeded()) {
            return "Succeeded";
        }
        if (index > outcome.succeeded()) {
            return "Pending";
        }
        return outcome instanceof WorkflowOutcome.Failed ? "Failed" : "Suspended";
    }

    /**
     * Records where the object's Works stand and the resulting {@code Reconciled} condition.
     *
     * @param object the object, changed in place
     * @param promise true for a Promise
     * @param outcome its configure workflow's outcome in this pass
     * @param unscheduled Works with a workload group no Destination matches
     * @param misplaced Works with a group whose Destination no longer matches
     * @param now the time of this pass
     */
    public static void works(
            ObjectNode object,
            boolean promise,
            WorkflowOutcome outcome,
            List<String> unscheduled,
            List<String> misplaced,
            Instant now) {
        ObjectNode status = status(object);
        String subject = promise ? "promise" : "resource";
        if (!unscheduled.isEmpty()) {
            setCondition(
                    status,
                    WORKS_SUCCEEDED,
                    "Unknown",
                    "WorksPending",
                    "Some works associated with this " + subject + " are not ready: " + unscheduled,
                    now);
        } else if (!misplaced.isEmpty()) {
            setCondition(
                    status,
                    WORKS_SUCCEEDED,
                    "False",
                    "WorksMisplaced",
                    "Some works associated with this " + subject + " are misplaced: " + misplaced,
                    now);
        } else {
            setCondition(
                    status,
                    WORKS_SUCCEEDED,
                    "True",
                    "WorksSucceeded",
                    "All works associated with this " + subject + " are ready",
                    now);
        }
        if (outcome instanceof WorkflowOutcome.Suspended) {
            setCondition(status, RECONCILED, "Unknown", "WorkflowSuspended", "Suspended", now);
        } else if (outcome instanceof WorkflowOutcome.Failed) {
            setCondition(status, RECONCILED, "False", "ConfigureWorkflowFailed", "Failing", now);
        } else if (!unscheduled.isEmpty()) {
            setCondition(status, RECONCILED, "Unknown", "WorksPending", "Pending", now);
        } else if (!misplaced.isEmpty()) {
            setCondition(status, RECONCILED, "False", "WorksMisplaced", "Failing", now);
        } else {
            setCondition(status, RECONCILED, "True", "Reconciled", "Reconciled", now);
        }
    }

    /**
     * A paused object ({@code kratix.io/paused: "true"} on it or its Promise): {@code Reconciled}
     * Unknown {@code PausedReconciliation} "Paused" ({@code lib/resourceutil/util.go} {@code
     * MarkReconciledPaused}); a Promise also becomes unavailable, {@code Available} False with the
     * same reason and message ({@code promise_controller.go} {@code
     * setPausedReconciliationStatusConditions}). Everything else stays as recorded.
     *
     * @param object the object with its recorded status, changed in place
     * @param promise true for a Promise
     * @param now the time of this pass
     */
    public static void paused(ObjectNode object, boolean promise, Instant now) {
        ObjectNode status = status(object);
        setCondition(status, RECONCILED, "Unknown", PAUSED_REASON, "Paused", now);
        if (promise) {
            setCondition(status, AVAILABLE, "False", PAUSED_REASON, "Paused", now);
            status.put("status", "Unavailable");
            status.withObject("/kratix").put("status", "Unavailable");
        }
    }

    /**
     * Writes the request's {@code status.healthStatus} from the HealthRecords about it, as Kratix's
     * HealthRecord controller does ({@code internal/controller/healthrecord_controller.go} {@code
     * updateResourceStatus}, {@code getHealthDataAndStates}): {@code state} is the worst record's
     * (unhealthy, degraded, unknown, healthy, ready; {@code ready} with no record), and {@code
     * healthRecords[]} lists each record's {@code state}, {@code lastRun}, {@code source} ({@code
     * name}, {@code namespace}) and {@code details} when it has them, in the given order. With no
     * record, a request that had a {@code healthStatus} keeps only {@code state: ready}, as Kratix
     * leaves it once its last record is deleted; one that never had one gets none.
     *
     * @param object the request with its recorded status, changed in place
     * @param records the HealthRecords about it, sorted by namespace and name
     */
    public static void health(ObjectNode object, List<HealthRecord> records) {
        if (records.isEmpty()) {
            if (object.path("status").has("healthStatus")) {
                ObjectNode health = status(object).putObject("healthStatus");
                health.put("state", HealthState.READY.value());
            }
            return;
        }
        HealthState worst = HealthState.READY;
        ObjectNode health = status(object).putObject("healthStatus");
        ArrayNode list = health.putArray("healthRecords");
        for (HealthRecord record : records) {
            ObjectNode entry = list.addObject();
            record.details().ifPresent(d -> entry.set("details", d));
            entry.put("lastRun", record.lastRun());
            entry.putObject("source").put("name", record.name()).put("namespace", record.namespace());
            entry.put("state", record.state().value());
            if (record.state().compareTo(worst) < 0) {
                worst = record.state();
            }
        }
        health.put("state", worst.value());
    }

    /** A request whose Promise cannot serve it yet (requirements unmet): it waits. */
    public static void promiseUnavailable(ObjectNode object, Instant now) {
        ObjectNode status = status(object);
        status.put("message", "Pending");
        setCondition(
                status,
                PROMISE_AVAILABLE,
                "False",
                "PromiseRequirementsNotInstalled",
                "Promise Requirements are not installed",
                now);
    }

    /** A request of a Promise with requirements, once they are fulfilled. */
    public static void promiseAvailableForRequest(ObjectNode object, Instant now) {
        setCondition(
                status(object), PROMISE_AVAILABLE, "True", "PromiseAvailable", "Promise Requirements are met", now);
    }

    /** A Promise's availability and, when it has requiredPromises, whether they are fulfilled. */
    public static void promiseAvailability(
            ObjectNode object,
            boolean available,
            boolean hasRequirements,
            boolean requirementsMet,
            Optional<String> version,
            String apiVersion,
            String kind,
            Instant now) {
        ObjectNode status = status(object);
        status.put("status", available ? "Available" : "Unavailable");
        ObjectNode kratix = status.withObject("/kratix");
        kratix.put("status", available ? "Available" : "Unavailable");
        String v = version.orElse("not-set");
        status.put("version", v);
        kratix.put("version", v);
        if (!apiVersion.isEmpty()) {
            status.put("apiVersion", apiVersion);
            status.put("kind", kind);
            kratix.put("apiVersion", apiVersion);
            kratix.put("kind", kind);
        }
        if (available) {
            setCondition(status, AVAILABLE, "True", "PromiseAvailable", "Ready to fulfil resource requests", now);
        } else {
            setCondition(status, AVAILABLE, "False", "PromiseUnavailable", "Cannot fulfil resource requests", now);
        }
        if (hasRequirements) {
            if (requirementsMet) {
                setCondition(
                        status, REQUIREMENTS_FULFILLED, "True", "RequirementsInstalled", "Requirements fulfilled", now);
            } else {
                setCondition(
                        status,
                        REQUIREMENTS_FULFILLED,
                        "False",
                        "RequirementsNotInstalled",
                        "Requirements not fulfilled",
                        now);
            }
        }
    }

    /**
     * When the object's delete workflow, suspended with {@code retryAfter}, is to run again: the
     * {@code nextRetryAt} of its delete pipeline while {@code DeleteWorkflowCompleted} is False
     * {@code DeleteWorkflowSuspended}; empty otherwise (a configure suspension does not hold a
     * deletion, as in Kratix).
     */
    public static Optional<Instant> deleteRetryAt(ObjectNode object) {
        JsonNode status = object.path("status");
        boolean deleteSuspended = status instanceof ObjectNode node
                && condition(node, DELETE_COMPLETED)
                        .map(c -> "DeleteWorkflowSuspended"
                                .equals(c.path("reason").asText()))
                        .orElse(false);
        return deleteSuspended ? nextRetryAt(object) : Optional.empty();
    }

    /**
     * A delete workflow that failed or is suspended: the object stays, with this condition. A
     * suspension is recorded on the delete pipeline as Kratix records it on any pipeline ({@code
     * MarkPipelineAsSuspended}): {@code status.kratix.workflows.pipelines} holds the delete
     * pipeline alone, {@code Suspended} with its message, and with {@code retryAfter} its {@code
     * nextRetryAt} and {@code attempts} (counted on only while it stays suspended: Kratix resumes a
     * suspended delete without resetting its status).
     *
     * @param object the recorded object, changed in place
     * @param outcome the delete workflow's outcome: failed or suspended
     * @param now the time of this pass
     */
    public static void deleteNotCompleted(ObjectNode object, WorkflowOutcome outcome, Instant now) {
        boolean suspended = outcome instanceof WorkflowOutcome.Suspended;
        if (outcome instanceof WorkflowOutcome.Suspended s) {
            ObjectNode workflows = status(object).withObject("/kratix").withObject("/workflows");
            boolean resumed = deleteRetryAt(object).isPresent();
            long previous = resumed ? attempts(workflows, s.pipeline()) : 0;
            ObjectNode p = workflows.putArray("pipelines").addObject();
            p.put("name", s.pipeline());
            p.put("phase", "Suspended");
            suspended(p, s, previous, now);
        }
        if (suspended) {
            setCondition(
                    status(object),
                    DELETE_COMPLETED,
                    "False",
                    "DeleteWorkflowSuspended",
                    "The Delete Pipeline is suspended",
                    now);
        } else {
            setCondition(
                    status(object),
                    DELETE_COMPLETED,
                    "False",
                    "DeleteWorkflowFailed",
                    "The Delete Pipeline has failed",
                    now);
        }
    }

    /** The object's status map, created when absent. */
    public static ObjectNode status(ObjectNode object) {
        JsonNode status = object.get("status");
        return status instanceof ObjectNode node ? node : object.putObject("status");
    }

    public static Optional<JsonNode> condition(ObjectNode status, String type) {
        JsonNode conditions = status.path("conditions");
        for (JsonNode c : conditions) {
            if (type.equals(c.path("type").asText())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Sets a condition as Kubernetes' {@code meta.SetStatusCondition} does: a new time only when
     * the status changes.
     */
    public static void setCondition(
            ObjectNode status, String type, String value, String reason, String message, Instant now) {
        List<ObjectNode> conditions = new ArrayList<>();
        String since = rfc3339(now);
        for (JsonNode c : status.path("conditions")) {
            if (!(c instanceof ObjectNode node)) {
                continue;
            }
            if (type.equals(node.path("type").asText())) {
                if (value.equals(node.path("status").asText()) && node.hasNonNull("lastTransitionTime")) {
                    since = node.path("lastTransitionTime").asText();
                }
            } else {
                conditions.add(node);
            }
        }
        ObjectNode condition = status.objectNode();
        condition.put("type", type);
        condition.put("status", value);
        condition.put("reason", reason);
        condition.put("message", message);
        condition.put("lastTransitionTime", since);
        conditions.add(condition);
        conditions.sort(Comparator.comparing(c -> c.path("type").asText()));
        ArrayNode array = status.putArray("conditions");
        conditions.forEach(array::add);
    }

    public static String rfc3339(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
