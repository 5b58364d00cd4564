package dev.kbr.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbr.model.PlatformOrigin;
import dev.kbr.testsupport.ReportSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class JsonReportTest {
    private static final PlatformOrigin PLATFORM = PlatformOrigin.folder("fixtures/platforms/seeds");

    private static String json(boolean applied) {
        StringWriter out = new StringWriter();
        JsonReport.write(SampleReports.sample(applied).withPlatform(PLATFORM), new PrintWriter(out));
        return out.toString();
    }

    private static JsonNode parse(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void planAndApplyMatchThePublishedSchema() throws Exception {
        ReportSchema.assertValid(parse(json(false)));
        ReportSchema.assertValid(parse(json(true)));
    }

    @Test
    void noticesKeepTheirSentencesAndCarryTheirTopicAndSubject() throws Exception {
        JsonNode root = parse(json(false));
        assertThat(root.path("notices").path(0).asText())
                .isEqualTo("request default/x waits: Promise y is not available");
        JsonNode detail = root.path("noticeDetails").path(0);
        assertThat(detail.path("topic").asText()).isEqualTo("waiting");
        assertThat(detail.path("subject").asText()).isEqualTo("y/default/x");
        assertThat(detail.path("message").asText())
                .isEqualTo(root.path("notices").path(0).asText());
        assertThat(root.path("errorDetails")).isEmpty();
    }

    @Test
    void aStoreWithoutBranchesReportsVersionsAndNoGitFields() throws Exception {
        RunReport sample = SampleReports.sample(true);
        StoreReport git = sample.stores().get(0);
        StoreReport bucket = new StoreReport(
                new dev.kbr.state.StoreLocation(
                        "minio-store", "BucketStateStore", "s3://kratix/", java.util.Optional.empty()),
                java.util.Optional.of("v1"),
                git.changes(),
                git.destinationRoots(),
                git.previousContent(),
                java.util.Optional.of("v2"));
        RunReport report = new RunReport(
                        true,
                        sample.diagnostics(),
                        sample.pipelineRuns(),
                        sample.cached(),
                        sample.notices(),
                        List.of(bucket),
                        sample.errors())
                .withPlatform(PLATFORM);
        StringWriter out = new StringWriter();
        JsonReport.write(report, new PrintWriter(out));
        JsonNode root = parse(out.toString());
        ReportSchema.assertValid(root);
        JsonNode store = root.path("stores").path(0);
        assertThat(store.path("kind").asText()).isEqualTo("BucketStateStore");
        assertThat(store.path("baseVersion").asText()).isEqualTo("v1");
        assertThat(store.path("version").asText()).isEqualTo("v2");
        assertThat(store.has("branch") || store.has("commit") || store.has("baseCommit"))
                .isFalse();
        assertThat(store.path("changes").path(0).has("blobId")).isFalse();
        assertThat(store.path("changes").path(0).path("previousContentId").asText())
                .isNotEmpty();
        assertThat(root.path("commits").path(0).path("version").asText()).isEqualTo("v2");
        assertThat(root.path("commits").path(0).has("commit")).isFalse();

        StringWriter text = new StringWriter();
        TextReport.write(report, new PrintWriter(text), false);
        assertThat(text.toString())
                .contains("State store minio-store (s3://kratix/, at version v1):")
                .contains("wrote version v2 to minio-store")
                .doesNotContain("branch");
    }

    @Test
    void everyChangeIsListedWithItsDestinationActionAndBlobIdsButNoContent() throws Exception {
        String text = json(false);
        JsonNode root = parse(text);
        assertThat(root.path("apiVersion").asText()).isEqualTo("kbr.dev/report/v1");
        assertThat(root.path("command").asText()).isEqualTo("plan");
        assertThat(root.path("platform").path("commit").isNull()).isTrue();
        JsonNode changes = root.path("stores").path(0).path("changes");
        assertThat(StreamSupport.stream(changes.spliterator(), false)
                        .map(c ->
                                c.path("action").asText() + " " + c.path("path").asText() + " "
                                        + c.path("destination").asText("-")))
                .containsExactly(
                        "deleted .kbr/works/old.json -",
                        "modified worker-1/resources/config.yaml worker-1",
                        "added worker-1/resources/new.yaml worker-1",
                        "modified worker-1/resources/secret.yaml worker-1");
        JsonNode added = changes.path(2);
        assertThat(added.path("blobId").asText()).isEqualTo(SampleReports.BLOB_A);
        assertThat(added.path("size").asInt()).isEqualTo("kind: Namespace\n".length());
        assertThat(changes.path(1).path("previousBlobId").asText()).isEqualTo(SampleReports.BLOB_B);
        assertThat(text).doesNotContain("hunter2").doesNotContain("swordfish").doesNotContain("replicas");
        assertThat(root.path("summary").path("added").asInt()).isEqualTo(1);
        assertThat(root.path("summary").path("modified").asInt()).isEqualTo(2);
        assertThat(root.path("summary").path("deleted").asInt()).isEqualTo(1);
        assertThat(root.path("commits")).isEmpty();
    }

    @Test
    void pipelineRunsCarryObjectPipelineWhyExitCodeDurationAndLogs() throws Exception {
        JsonNode runs = parse(json(false)).path("pipelineRuns");
        assertThat(runs.path(0).path("object").asText()).isEqualTo("redis/default/example-redis");
        assertThat(runs.path(0).path("workflow").asText()).isEqualTo("resource.configure");
        assertThat(runs.path(0).path("pipeline").asText()).isEqualTo("instance-configure");
        assertThat(runs.path(0).path("exitCode").asInt()).isZero();
        assertThat(runs.path(0).path("durationMs").asLong()).isEqualTo(1500);
        assertThat(runs.path(0).path("reason").isNull()).isTrue();
        JsonNode failed = runs.path(1);
        assertThat(failed.path("object").asText()).isEqualTo("Promise jenkins");
        assertThat(failed.path("why").asText()).isEqualTo("input changed");
        assertThat(failed.path("succeeded").asBoolean()).isFalse();
        assertThat(failed.path("exitCode").asInt()).isEqualTo(3);
        assertThat(failed.path("reason").asText()).isEqualTo("container install exited 3");
        assertThat(failed.path("logs").path(0).path("text").asText()).isEqualTo("line one\nboom\n");
    }

    @Test
    void diagnosticsAndCommitsAreStructured() throws Exception {
        JsonNode root = parse(json(true));
        JsonNode d = root.path("diagnostics").path(0);
        assertThat(List.of(
                        d.path("file").asText(),
                        d.path("line").asText(),
                        d.path("field").asText(),
                        d.path("severity").asText()))
                .containsExactly("requests/redis.yaml", "7", "spec.size", "error");
        JsonNode commit = root.path("commits").path(0);
        assertThat(commit.path("store").asText()).isEqualTo("default");
        assertThat(commit.path("base").asText()).isEqualTo(SampleReports.HEAD);
        assertThat(commit.path("commit").asText()).isEqualTo(SampleReports.NEW);
        assertThat(root.path("applied").asBoolean()).isTrue();
    }

    @Test
    void theSameReportGivesTheSameBytes() {
        assertThat(json(true)).isEqualTo(json(true));
    }

    @Test
    void theSchemaRejectsADocumentThatBreaksIt() throws Exception {
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) parse(json(false));
        root.put("apiVersion", "kbr.dev/report/v2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportSchema.assertValid(root))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("apiVersion");
    }
}
