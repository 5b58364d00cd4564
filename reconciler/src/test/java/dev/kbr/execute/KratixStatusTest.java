package dev.kbr.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KratixStatusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T1 = Instant.parse("2026-01-01T10:00:00.123Z");
    private static final Instant T2 = Instant.parse("2026-01-02T10:00:00Z");

    private static ObjectNode object() {
        return JSON.createObjectNode().put("kind", "Redis");
    }

    private static JsonNode condition(ObjectNode object, String type) {
        return KratixStatus.condition((ObjectNode) object.get("status"), type).orElseThrow();
    }

    @Test
    void aCompletedWorkflowReportsKratixFieldsReasonsAndMessages() {
        ObjectNode object = object();
        KratixStatus.started(object);
        KratixStatus.configured(object, false, new WorkflowOutcome.Completed(List.of("a", "b"), 2), T1);
        JsonNode status = object.get("status");
        assertThat(status.path("message").asText()).isEqualTo("Resource requested");
        assertThat(status.path("workflows").asInt()).isEqualTo(2);
        assertThat(status.path("workflowsSucceeded").asInt()).isEqualTo(2);
        assertThat(status.path("workflowsFailed").asInt()).isZero();
        assertThat(status.path("lastSuccessfulConfigureWorkflowTime").asText()).isEqualTo("2026-01-01T10:00:00Z");
        JsonNode completed = condition(object, "ConfigureWorkflowCompleted");
        assertThat(completed.path("status").asText()).isEqualTo("True");
        assertThat(completed.path("reason").asText()).isEqualTo("PipelinesExecutedSuccessfully");
        assertThat(completed.path("message").asText()).isEqualTo("Pipelines completed");
    }

    @Test
    void theTransitionTimeChangesOnlyWhenTheStatusDoes() {
        ObjectNode object = object();
        KratixStatus.started(object);
        KratixStatus.configured(object, false, new WorkflowOutcome.Completed(List.of("a"), 1), T1);
        String first = object.toString();
        KratixStatus.started(object);
        KratixStatus.configured(object, false, new WorkflowOutcome.Completed(List.of("a"), 1), T2);
        assertThat(object.toString()).as("same outcome, same bytes").isEqualTo(first);
        KratixStatus.configured(object, false, new WorkflowOutcome.Failed(List.of("a"), 0, "a"), T2);
        JsonNode failed = condition(object, "ConfigureWorkflowCompleted");
        assertThat(failed.path("lastTransitionTime").asText()).isEqualTo("2026-01-02T10:00:00Z");
        assertThat(failed.path("reason").asText()).isEqualTo("ConfigureWorkflowFailed");
        assertThat(failed.path("message").asText()).isEqualTo("A Configure Pipeline has failed: a");
        assertThat(object.path("status").path("workflowsFailed").asInt()).isEqualTo(1);
    }

    @Test
    void aSuspendedPipelineIsPendingAndTheRestWait() {
        ObjectNode object = object();
        KratixStatus.configured(
                object,
                false,
                new WorkflowOutcome.Suspended(
                        List.of("a", "b", "c"), 1, "b", "waiting for approval", Optional.of(Duration.ofMinutes(5))),
                T1);
        JsonNode pipelines =
                object.path("status").path("kratix").path("workflows").path("pipelines");
        assertThat(pipelines.findValuesAsText("phase")).containsExactly("Succeeded", "Suspended", "Pending");
        assertThat(pipelines.get(1).path("message").asText()).isEqualTo("waiting for approval");
        KratixStatus.works(
                object,
                false,
                new WorkflowOutcome.Suspended(List.of("a"), 0, "a", "", Optional.empty()),
                List.of(),
                List.of(),
                T1);
        assertThat(condition(object, "Reconciled").path("reason").asText()).isEqualTo("WorkflowSuspended");
    }

    @Test
    void reconciledFollowsKratixPrecedence() {
        WorkflowOutcome done = new WorkflowOutcome.Completed(List.of("a"), 1);
        ObjectNode object = object();
        KratixStatus.works(object, false, done, List.of("redis-x-a"), List.of(), T1);
        assertThat(condition(object, "WorksSucceeded").path("reason").asText()).isEqualTo("WorksPending");
        assertThat(condition(object, "WorksSucceeded").path("message").asText())
                .isEqualTo("Some works associated with this resource are not ready: [redis-x-a]");
        assertThat(condition(object, "Reconciled").path("status").asText()).isEqualTo("Unknown");
        KratixStatus.works(object, false, done, List.of(), List.of(), T1);
        assertThat(condition(object, "WorksSucceeded").path("message").asText())
                .isEqualTo("All works associated with this resource are ready");
        assertThat(condition(object, "Reconciled").path("status").asText()).isEqualTo("True");
        assertThat(object.path("status").path("conditions").findValuesAsText("type"))
                .as("conditions are sorted by type")
                .containsExactly("Reconciled", "WorksSucceeded");
    }

    @Test
    void statusYamlIsMergedShallowlyWithConditionsByType() throws Exception {
        ObjectNode object = (ObjectNode)
                JSON.readTree(
                        "{\"status\":{\"a\":{\"x\":1},\"b\":2,"
                                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"},{\"type\":\"Other\",\"status\":\"True\"}]}}");
        ObjectStatus.merge(
                object, JSON.readTree("{\"a\":{\"y\":2},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}"));
        JsonNode status = object.get("status");
        assertThat(status.path("a").toString()).isEqualTo("{\"y\":2}");
        assertThat(status.path("b").asInt()).isEqualTo(2);
        assertThat(status.path("conditions").toString())
                .isEqualTo("[{\"type\":\"Other\",\"status\":\"True\"},{\"type\":\"Ready\",\"status\":\"True\"}]");
        assertThatThrownBy(() -> ObjectStatus.merge(object, JSON.readTree("{\"kratix\":{}}")))
                .hasMessageContaining("reserves");
    }

    @Test
    void workflowControlReadsSuspendRetryAfterAndMessage() throws Exception {
        WorkflowControl control = WorkflowControl.parse(JSON.readTree("{\"retryAfter\":\"1h30m\",\"message\":\"m\"}"));
        assertThat(control.stops()).isTrue();
        assertThat(control.retryAfter()).contains(Duration.ofMinutes(90));
        assertThat(WorkflowControl.parse(JSON.readTree("{\"suspend\":true}")).stops())
                .isTrue();
        assertThat(WorkflowControl.parse(JSON.readTree("{\"suspend\":false}")).stops())
                .isFalse();
        assertThatThrownBy(() -> WorkflowControl.parse(JSON.readTree("{\"retryAfter\":\"soon\"}")))
                .hasMessageContaining("not a duration");
    }

    @Test
    void aRetryAfterRecordsNextRetryAtAndCountsAttemptsUntilTheWorkflowRestarts() {
        ObjectNode object = object();
        object.putObject("metadata").put("generation", 3);
        WorkflowOutcome retry =
                new WorkflowOutcome.Suspended(List.of("a", "b"), 1, "b", "waiting", Optional.of(Duration.ofMinutes(5)));
        KratixStatus.configured(object, false, retry, T1);
        JsonNode b = object.at("/status/kratix/workflows/pipelines/1");
        assertThat(b.path("phase").asText()).isEqualTo("Suspended");
        assertThat(b.path("message").asText()).isEqualTo("waiting");
        assertThat(b.path("nextRetryAt").asText()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(b.path("attempts").asLong()).isEqualTo(1);
        assertThat(b.has("retryAfter")).as("not a field of Kratix's status").isFalse();
        assertThat(object.at("/status/kratix/workflows/suspendedGeneration").asLong())
                .isEqualTo(3);
        assertThat(KratixStatus.nextRetryAt(object)).contains(Instant.parse("2026-01-01T10:05:00Z"));

        KratixStatus.configured(object, false, retry, T2);
        b = object.at("/status/kratix/workflows/pipelines/1");
        assertThat(b.path("attempts").asLong()).as("a retry counts on").isEqualTo(2);
        assertThat(b.path("nextRetryAt").asText()).isEqualTo("2026-01-02T10:05:00Z");

        KratixStatus.restarted(object);
        KratixStatus.configured(object, false, retry, T2);
        assertThat(object.at("/status/kratix/workflows/pipelines/1/attempts").asLong())
                .as("a restart from the first pipeline forgets the retries")
                .isEqualTo(1);

        KratixStatus.configured(
                object, false, new WorkflowOutcome.Suspended(List.of("a", "b"), 1, "b", "", Optional.empty()), T2);
        b = object.at("/status/kratix/workflows/pipelines/1");
        assertThat(b.has("attempts") || b.has("nextRetryAt") || b.has("message"))
                .as("a plain suspend has neither")
                .isFalse();
        assertThat(KratixStatus.nextRetryAt(object)).isEmpty();

        KratixStatus.configured(object, false, new WorkflowOutcome.Completed(List.of("a", "b"), 2), T2);
        assertThat(object.at("/status/kratix/workflows").has("suspendedGeneration"))
                .isFalse();
    }

    @Test
    void healthStatusTakesTheWorstRecordAndKeepsOnlyReadyOnceTheLastRecordIsGone() {
        ObjectNode object = object();
        KratixStatus.health(object, List.of());
        assertThat(object.has("status")).as("no record, never had one: nothing").isFalse();
        dev.kbr.model.ObjectKey request = dev.kbr.model.ObjectKey.request("redis", "default", "one");
        KratixStatus.health(
                object,
                List.of(
                        healthRecord(request, "a", dev.kbr.model.HealthState.READY, 5),
                        healthRecord(request, "b", dev.kbr.model.HealthState.UNKNOWN, 0),
                        healthRecord(request, "c", dev.kbr.model.HealthState.HEALTHY, 0)));
        assertThat(object.at("/status/healthStatus/state").asText()).isEqualTo("unknown");
        assertThat(object.at("/status/healthStatus/healthRecords/0").toString())
                .isEqualTo("{\"lastRun\":5,\"source\":{\"name\":\"a\",\"namespace\":\"default\"},\"state\":\"ready\"}");
        KratixStatus.health(object, List.of());
        assertThat(object.at("/status/healthStatus").toString()).isEqualTo("{\"state\":\"ready\"}");
    }

    /** HealthRecord {@code default/<name>} about {@code request}, found {@code state} at {@code lastRun}. */
    private static dev.kbr.model.HealthRecord healthRecord(
            dev.kbr.model.ObjectKey request, String name, dev.kbr.model.HealthState state, long lastRun) {
        return new dev.kbr.model.HealthRecord(
                "default",
                name,
                request,
                new dev.kbr.model.HealthRecord.Check(state, lastRun, Optional.empty()),
                new dev.kbr.model.SourceLocation("health.yaml", 0, 1));
    }

    @Test
    void aSuspendedDeleteRecordsItsRetryOnTheDeletePipelineAndCountsAttemptsWhileItStaysSuspended() {
        ObjectNode object = object();
        WorkflowOutcome retry = new WorkflowOutcome.Suspended(
                List.of("remove"), 0, "remove", "draining", Optional.of(Duration.ofHours(1)));
        assertThat(KratixStatus.deleteRetryAt(object)).isEmpty();
        KratixStatus.deleteNotCompleted(object, retry, T1);
        assertThat(object.at("/status/kratix/workflows/pipelines/0/attempts").asLong())
                .isEqualTo(1);
        assertThat(condition(object, "DeleteWorkflowCompleted").path("reason").asText())
                .isEqualTo("DeleteWorkflowSuspended");
        assertThat(KratixStatus.deleteRetryAt(object)).contains(Instant.parse("2026-01-01T11:00:00Z"));
        KratixStatus.deleteNotCompleted(object, retry, T2);
        assertThat(object.at("/status/kratix/workflows/pipelines/0/attempts").asLong())
                .isEqualTo(2);
        assertThat(object.at("/status/kratix/workflows/pipelines/0/nextRetryAt").asText())
                .isEqualTo("2026-01-02T11:00:00Z");
    }
}
