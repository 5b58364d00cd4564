package dev.kbr.platformapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.platformapi.ApiChange;
import dev.kbr.platformapi.ApiSession;
import dev.kbr.platformapi.ApiWrites;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlatformApiWritesTest {
    private static final String CLAIMS = "/apis/example.com/v1/namespaces/default/namespaceclaims";
    private static final String ALPHA = CLAIMS + "/alpha";
    private static final String MERGE = "application/merge-patch+json";

    private ApiFixture api;
    private ApiSession session;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
        session = api.pipeline();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void statusWritesApplyToTheStatusThePipelineGotNotAnOlderPublishedOne() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode given =
                ApiFixture.view().objects().get(ApiFixture.ALPHA).deepCopy();
        given.putObject("status").put("fromEarlierPipeline", "kept");
        ApiSession pipeline = api.pipelineGiven(given);

        assertThat(api.get(pipeline, ALPHA).body().path("status").toString())
                .isEqualTo("{\"fromEarlierPipeline\":\"kept\"}");
        ApiFixture.Reply patched =
                api.send(pipeline, "PATCH", ALPHA + "/status", MERGE, "{\"status\":{\"published\":2}}");

        assertThat(patched.code()).isEqualTo(200);
        assertThat(pipeline.finish().status().orElseThrow().toString())
                .isEqualTo("{\"fromEarlierPipeline\":\"kept\",\"published\":2}");
    }

    @Test
    void mergePatchOfItsOwnStatusIsWhatLaterReadsReturn() throws Exception {
        ApiFixture.Reply patched = api.send(
                session, "PATCH", ALPHA + "/status", MERGE, "{\"status\":{\"message\":\"ready\",\"url\":\"x\"}}");
        assertThat(patched.code()).isEqualTo(200);
        assertThat(patched.body().path("kind").asText()).isEqualTo("NamespaceClaim");
        assertThat(patched.body().path("status").toString()).isEqualTo("{\"message\":\"ready\",\"url\":\"x\"}");
        assertThat(patched.body().path("metadata").path("generation").asInt()).isEqualTo(1);
        assertThat(patched.body().path("metadata").path("resourceVersion").asText())
                .isEqualTo("15");

        ApiSession reader = api.otherPipeline();
        assertThat(api.get(reader, ALPHA).body()).isEqualTo(patched.body());
        ApiWrites writes = session.finish();
        assertThat(writes.status())
                .hasValueSatisfying(
                        status -> assertThat(status.toString()).isEqualTo("{\"message\":\"ready\",\"url\":\"x\"}"));
        assertThat(writes.changes()).isEmpty();
        assertThat(writes.refused()).isEmpty();
    }

    @Test
    void statusWritesIgnoreEverythingButStatus() throws Exception {
        ApiFixture.Reply patched = api.send(
                session, "PATCH", ALPHA + "/status", MERGE, "{\"spec\":{\"size\":\"big\"},\"status\":{\"a\":1}}");
        assertThat(patched.body().path("spec").path("size").asText()).isEqualTo("small");
        assertThat(patched.body().path("status").path("message").asText()).isEqualTo("pending");
    }

    @Test
    void jsonPatchAndStrategicMergeAndPutOfStatus() throws Exception {
        ApiFixture.Reply json = api.send(
                session,
                "PATCH",
                ALPHA + "/status",
                "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/status/phase\",\"value\":\"Ready\"}]");
        assertThat(json.body().path("status").toString()).isEqualTo("{\"message\":\"pending\",\"phase\":\"Ready\"}");
        ApiFixture.Reply failedTest = api.send(
                session,
                "PATCH",
                ALPHA + "/status",
                "application/json-patch+json",
                "[{\"op\":\"test\",\"path\":\"/status/phase\",\"value\":\"Other\"}]");
        assertThat(failedTest.code()).isEqualTo(422);
        ApiFixture.Reply strategic = api.send(
                session,
                "PATCH",
                ALPHA + "/status",
                "application/strategic-merge-patch+json",
                "{\"status\":{\"message\":null}}");
        assertThat(strategic.body().path("status").toString()).isEqualTo("{\"phase\":\"Ready\"}");

        ObjectNode object = (ObjectNode) strategic.body().deepCopy();
        object.putObject("status").put("replaced", true);
        ApiFixture.Reply put = api.send(session, "PUT", ALPHA + "/status", "application/json", object);
        assertThat(put.code()).isEqualTo(200);
        assertThat(put.body().path("status").toString()).isEqualTo("{\"replaced\":true}");
        ApiFixture.Reply stale = api.send(session, "PUT", ALPHA + "/status", "application/json", object);
        assertThat(stale.code()).isEqualTo(409);
        assertThat(stale.body().path("reason").asText()).isEqualTo("Conflict");
        assertThat(session.finish().status())
                .hasValueSatisfying(s -> assertThat(s.toString()).isEqualTo("{\"replaced\":true}"));
    }

    @Test
    void statusOfAnotherObjectIsForbidden() throws Exception {
        ApiFixture.Reply other = api.send(session, "PATCH", CLAIMS + "/beta/status", MERGE, "{\"status\":{}}");
        assertThat(other.code()).isEqualTo(403);
        assertThat(other.message()).contains("only the status of the object it reconciles");
        ApiWrites writes = session.finish();
        assertThat(writes.status()).isEmpty();
        assertThat(writes.refused()).singleElement().asString().startsWith("403 patch the status of");
    }

    @Test
    void createsARequestReadableByEveryoneAndRefusesTheSameNameTwice() throws Exception {
        ApiFixture.Reply created = api.send(session, "POST", CLAIMS, "application/json", newClaim("delta", "small"));
        assertThat(created.code()).isEqualTo(201);
        JsonNode metadata = created.body().path("metadata");
        assertThat(metadata.path("namespace").asText()).isEqualTo("default");
        assertThat(metadata.path("generation").asInt()).isEqualTo(1);
        assertThat(metadata.path("creationTimestamp").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(metadata.path("uid").asText()).matches("[0-9a-f-]{36}");
        assertThat(created.body().has("status")).isFalse();

        ApiSession other = api.pipeline();
        assertThat(api.get(other, CLAIMS + "/delta").body()).isEqualTo(created.body());
        ApiFixture.Reply again = api.send(other, "POST", CLAIMS, "application/json", newClaim("delta", "small"));
        assertThat(again.code()).isEqualTo(409);
        assertThat(again.body().path("reason").asText()).isEqualTo("AlreadyExists");
        assertThat(api.send(other, "POST", CLAIMS, "application/json", newClaim("alpha", "small"))
                        .code())
                .isEqualTo(409);

        ApiWrites writes = session.finish();
        assertThat(writes.changes()).singleElement().isInstanceOfSatisfying(ApiChange.Created.class, change -> {
            assertThat(change.ref()).isEqualTo(ApiFixture.claim("default", "delta"));
            assertThat((JsonNode) change.object()).isEqualTo(created.body());
        });
    }

    @Test
    void admissionRejectionIs422AndStoresNothing() throws Exception {
        ApiFixture.Reply rejected = api.send(session, "POST", CLAIMS, "application/json", newClaim("huge-one", "huge"));
        assertThat(rejected.code()).isEqualTo(422);
        assertThat(rejected.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(rejected.message()).contains("spec.size: Unsupported value");
        assertThat(api.get(session, CLAIMS + "/huge-one").code()).isEqualTo(404);
        assertThat(api.send(session, "POST", CLAIMS, "application/json", newClaim("Bad_Name", "small"))
                        .code())
                .isEqualTo(422);
        assertThat(session.finish().changes()).isEmpty();
    }

    @Test
    void updatesPatchesAndDeletesOnlyRequestsCreatedThroughTheApi() throws Exception {
        ObjectNode current =
                (ObjectNode) api.get(session, CLAIMS + "/made-by-api").body();
        current.with("spec").put("size", "large");
        current.withObjectProperty("metadata").withObjectProperty("labels").put("changed", "yes");
        current.putObject("status").put("ignored", true);
        ApiFixture.Reply updated = api.send(session, "PUT", CLAIMS + "/made-by-api", "application/json", current);
        assertThat(updated.code()).isEqualTo(200);
        assertThat(updated.body().path("metadata").path("generation").asInt()).isEqualTo(2);
        assertThat(updated.body().path("status").path("message").asText()).isEqualTo("pending");
        ApiFixture.Reply patched =
                api.send(session, "PATCH", CLAIMS + "/made-by-api", MERGE, "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
        assertThat(patched.body().path("metadata").path("generation").asInt()).isEqualTo(2);
        assertThat(patched.body().path("metadata").path("labels").path("x").asText())
                .isEqualTo("y");
        assertThat(api.send(session, "PATCH", CLAIMS + "/made-by-api", MERGE, "{\"spec\":{\"size\":\"huge\"}}")
                        .code())
                .isEqualTo(422);

        ApiFixture.Reply platformOwned = api.send(session, "PATCH", ALPHA, MERGE, "{\"spec\":{\"size\":\"big\"}}");
        assertThat(platformOwned.code()).isEqualTo(403);
        assertThat(platformOwned.message()).contains("change it in the platform repo");
        assertThat(api.send(session, "DELETE", ALPHA, null, null).code()).isEqualTo(403);

        ApiFixture.Reply deleted = api.send(session, "DELETE", CLAIMS + "/made-by-api", null, null);
        assertThat(deleted.code()).isEqualTo(200);
        assertThat(api.get(session, CLAIMS + "/made-by-api").code()).isEqualTo(404);
        assertThat(api.send(session, "DELETE", CLAIMS + "/made-by-api", null, null)
                        .code())
                .isEqualTo(404);

        ApiWrites writes = session.finish();
        assertThat(writes.changes())
                .extracting(change -> change.getClass().getSimpleName())
                .containsExactly("Updated", "Updated", "Deleted");
        assertThat(writes.refused()).hasSize(2);
    }

    @Test
    void aRequestCreatedInThisPassMayBeDeletedAndCreatedAgain() throws Exception {
        assertThat(api.send(session, "POST", CLAIMS, "application/json", newClaim("echo", "small"))
                        .code())
                .isEqualTo(201);
        assertThat(api.send(session, "DELETE", CLAIMS + "/echo", null, null).code())
                .isEqualTo(200);
        assertThat(api.send(session, "POST", CLAIMS, "application/json", newClaim("echo", "small"))
                        .code())
                .isEqualTo(201);
    }

    @Test
    void everythingElseIsForbiddenNamingVerbAndResource() throws Exception {
        ApiFixture.Reply promise = api.send(
                session,
                "POST",
                "/apis/platform.kratix.io/v1alpha1/promises",
                "application/json",
                "{\"metadata\":{\"name\":\"p\"}}");
        assertThat(promise.code()).isEqualTo(403);
        assertThat(promise.message()).startsWith("create promises.platform.kratix.io at cluster scope is forbidden");
        ApiFixture.Reply configMap =
                api.send(session, "PATCH", "/api/v1/namespaces/default/configmaps/settings", MERGE, "{\"data\":{}}");
        assertThat(configMap.code()).isEqualTo(403);
        assertThat(configMap.message()).startsWith("patch configmaps in namespace default is forbidden");
        ApiFixture.Reply secret = api.send(
                session, "POST", "/api/v1/namespaces/default/secrets", "application/json", "{\"metadata\":{}}");
        assertThat(secret.code()).isEqualTo(403);
        ApiFixture.Reply apply =
                api.send(session, "PATCH", CLAIMS + "/made-by-api", "application/apply-patch+yaml", "{\"spec\":{}}");
        assertThat(apply.code()).isEqualTo(415);
        assertThat(session.finish().refused()).hasSize(4);
    }

    @Test
    void badBodiesAreRefusedWithoutHanging() throws Exception {
        assertThat(api.send(session, "POST", CLAIMS, "application/json", "{not json")
                        .code())
                .isEqualTo(400);
        byte[] large = new byte[ApiHandler.MAX_BODY_BYTES + 10];
        java.util.Arrays.fill(large, (byte) ' ');
        ApiFixture.Reply tooLarge = api.send(session, "POST", CLAIMS, "application/json", large);
        assertThat(tooLarge.code()).isEqualTo(413);
        assertThat(tooLarge.body().path("kind").asText()).isEqualTo("Status");
    }

    @Test
    void publishReplacesTheViewAndForgetsThisPassesWrites() throws Exception {
        api.send(session, "POST", CLAIMS, "application/json", newClaim("foxtrot", "small"));
        api.send(session, "PATCH", ALPHA + "/status", MERGE, "{\"status\":{\"message\":\"ready\"}}");
        session.finish();
        api.server.publish(ApiFixture.view());
        ApiSession next = api.pipeline();
        assertThat(api.get(next, CLAIMS + "/foxtrot").code()).isEqualTo(404);
        assertThat(api.get(next, ALPHA).body().path("status").path("message").asText())
                .isEqualTo("pending");
    }

    @Test
    void theTokenAppearsInNoBodyAndNoWrites() throws Exception {
        api.send(session, "POST", CLAIMS, "application/json", newClaim("golf", "small"));
        api.send(session, "PATCH", ALPHA + "/status", MERGE, "{\"status\":{\"message\":\"ready\"}}");
        api.send(session, "PATCH", CLAIMS + "/beta/status", MERGE, "{\"status\":{}}");
        api.get(session, "/api/v1/namespaces/default/secrets");
        api.get(session, "/api/v1/namespaces/default/secrets/db-creds");
        api.send(session, "PATCH", "/api/v1/namespaces/default/secrets/db-creds", MERGE, "{}");
        String token = session.token();
        ApiWrites writes = session.finish();
        api.get(session, ALPHA);
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(api.bodies).isNotEmpty().noneMatch(body -> body.contains(token));
        assertThat(writes.toString()).doesNotContain(token).doesNotContain(ApiFixture.SECRET_VALUE);
        assertThat(session.toString()).doesNotContain(token);
        assertThat(api.bodies.stream().filter(body -> body.contains("\"Status\"")))
                .noneMatch(body -> body.contains(ApiFixture.SECRET_VALUE));
    }

    @Test
    void sessionsHaveDistinctTokens() {
        assertThat(List.of(api.pipeline().token(), api.pipeline().token(), session.token()))
                .doesNotHaveDuplicates();
        assertThat(session.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(session.host()).isEqualTo("127.0.0.1");
        assertThat(session.namespace()).isEqualTo("default");
    }

    private static ObjectNode newClaim(String name, String size) {
        ObjectNode claim = ApiFixture.JSON.createObjectNode();
        claim.put("apiVersion", "example.com/v1").put("kind", "NamespaceClaim");
        claim.putObject("metadata").put("name", name);
        claim.putObject("spec").put("size", size);
        return claim;
    }
}
