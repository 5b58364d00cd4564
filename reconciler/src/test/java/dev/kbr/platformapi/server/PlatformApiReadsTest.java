package dev.kbr.platformapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.platformapi.ApiSession;
import dev.kbr.platformapi.ApiWrites;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlatformApiReadsTest {
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
    void discoveryListsOnlyWhatIsServed() throws Exception {
        assertThat(api.get(session, "/api").body().path("versions").toString()).isEqualTo("[\"v1\"]");
        JsonNode core = api.get(session, "/api/v1").body();
        assertThat(names(core.path("resources"))).containsExactly("configmaps", "secrets");
        JsonNode secrets = core.path("resources").get(1);
        assertThat(secrets.path("verbs").toString()).isEqualTo("[\"get\"]");

        JsonNode groups = api.get(session, "/apis").body();
        assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
        assertThat(names(groups.path("groups"))).containsExactly("example.com", "platform.kratix.io");
        assertThat(groups.path("groups")
                        .get(0)
                        .path("preferredVersion")
                        .path("groupVersion")
                        .asText())
                .isEqualTo("example.com/v1");

        JsonNode claims = api.get(session, "/apis/example.com/v1").body();
        assertThat(claims.path("groupVersion").asText()).isEqualTo("example.com/v1");
        assertThat(names(claims.path("resources"))).containsExactly("namespaceclaims", "namespaceclaims/status");
        JsonNode claim = claims.path("resources").get(0);
        assertThat(claim.path("kind").asText()).isEqualTo("NamespaceClaim");
        assertThat(claim.path("singularName").asText()).isEqualTo("namespaceclaim");
        assertThat(claim.path("namespaced").asBoolean()).isTrue();
        assertThat(claim.path("shortNames").toString()).isEqualTo("[\"nsc\"]");
        assertThat(claim.path("verbs").toString()).contains("create", "delete", "patch");
        assertThat(api.get(session, "/apis/example.com").body().path("name").asText())
                .isEqualTo("example.com");
        assertThat(api.get(session, "/version").body().path("major").asText()).isEqualTo("1");
        assertThat(api.get(session, "/apis/nothing.example/v1").code()).isEqualTo(404);
    }

    @Test
    void aggregatedDiscoveryAndTablesAreAnsweredWithPlainJson() throws Exception {
        ApiFixture.Reply groups = api.send(
                session.token(),
                "GET",
                "/apis",
                null,
                null,
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        assertThat(groups.body().path("kind").asText()).isEqualTo("APIGroupList");
        ApiFixture.Reply table = api.send(
                session.token(),
                "GET",
                "/apis/example.com/v1/namespaces/default/namespaceclaims",
                null,
                null,
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        assertThat(table.body().path("kind").asText()).isEqualTo("NamespaceClaimList");
    }

    @Test
    void getsAnObjectAsTheViewHoldsIt() throws Exception {
        ApiFixture.Reply alpha = api.get(session, "/apis/example.com/v1/namespaces/default/namespaceclaims/alpha");
        assertThat(alpha.code()).isEqualTo(200);
        assertThat(alpha.body()).isEqualTo(ApiFixture.view().objects().get(ApiFixture.ALPHA));
        assertThat(api.get(session, "/apis/example.com/v1/namespaces/default/namespaceclaims/alpha/status")
                        .body())
                .isEqualTo(alpha.body());
        ApiFixture.Reply settings = api.get(session, "/api/v1/namespaces/default/configmaps/settings");
        assertThat(settings.body().path("data").path("colour").asText()).isEqualTo("blue");
        ApiFixture.Reply promise = api.get(session, "/apis/platform.kratix.io/v1alpha1/promises/namespace");
        assertThat(promise.body().path("status").path("status").asText()).isEqualTo("Available");
    }

    @Test
    void missingObjectsAndUnknownPathsAre404Statuses() throws Exception {
        ApiFixture.Reply missing = api.get(session, "/apis/example.com/v1/namespaces/default/namespaceclaims/nope");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.body().path("kind").asText()).isEqualTo("Status");
        assertThat(missing.body().path("apiVersion").asText()).isEqualTo("v1");
        assertThat(missing.body().path("status").asText()).isEqualTo("Failure");
        assertThat(missing.body().path("reason").asText()).isEqualTo("NotFound");
        assertThat(missing.body().path("code").asInt()).isEqualTo(404);
        assertThat(missing.message()).isEqualTo("namespaceclaims.example.com \"nope\" not found");
        assertThat(missing.body().path("details").path("name").asText()).isEqualTo("nope");
        assertThat(api.get(session, "/healthz").code()).isEqualTo(404);
        assertThat(api.get(session, "/apis/example.com/v2/namespaces/default/namespaceclaims/alpha")
                        .code())
                .isEqualTo(404);
        // Authorization comes before the resource is looked up, as in Kubernetes.
        assertThat(api.get(session, "/apis/example.com/v1/namespaces/default/namespaceclaims/alpha/scale")
                        .code())
                .isEqualTo(403);
    }

    @Test
    void listsANamespaceOrEveryNamespace() throws Exception {
        JsonNode list = api.get(session, "/apis/example.com/v1/namespaces/default/namespaceclaims")
                .body();
        assertThat(list.path("kind").asText()).isEqualTo("NamespaceClaimList");
        assertThat(list.path("apiVersion").asText()).isEqualTo("example.com/v1");
        assertThat(list.path("metadata").path("resourceVersion").asText()).isEqualTo("14");
        assertThat(itemNames(list)).containsExactly("alpha", "beta", "made-by-api");
        JsonNode all = api.get(session, "/apis/example.com/v1/namespaceclaims").body();
        assertThat(itemNames(all)).containsExactly("alpha", "beta", "made-by-api", "gamma");
        JsonNode none = api.get(session, "/apis/example.com/v1/namespaces/empty/namespaceclaims")
                .body();
        assertThat(none.path("items").isArray()).isTrue();
        assertThat(none.path("items")).isEmpty();
    }

    @Test
    void selectsByLabelsAndFieldsAsKubernetesDoes() throws Exception {
        assertThat(select("labelSelector", "team=a")).containsExactly("alpha", "gamma");
        assertThat(select("labelSelector", "team==a,tier=gold")).containsExactly("alpha");
        assertThat(select("labelSelector", "team!=a")).containsExactly("beta", "made-by-api");
        assertThat(select("labelSelector", "team in (b, c)")).containsExactly("beta");
        assertThat(select("labelSelector", "team notin (a),tier")).isEmpty();
        assertThat(select("labelSelector", "team notin (a)")).containsExactly("beta", "made-by-api");
        assertThat(select("labelSelector", "tier")).containsExactly("alpha");
        assertThat(select("labelSelector", "!team")).containsExactly("made-by-api");
        assertThat(select("fieldSelector", "metadata.name=beta")).containsExactly("beta");
        assertThat(select("fieldSelector", "metadata.namespace!=default")).containsExactly("gamma");
        ApiFixture.Reply bad = api.get(session, "/apis/example.com/v1/namespaceclaims?labelSelector=team%20in%20(a");
        assertThat(bad.code()).isEqualTo(400);
        assertThat(api.get(session, "/apis/example.com/v1/namespaceclaims?fieldSelector=spec.size%3Dsmall")
                        .code())
                .isEqualTo(400);
    }

    @Test
    void servesSecretsByNameOnlyWithBase64Data() throws Exception {
        ApiFixture.Reply secret = api.get(session, "/api/v1/namespaces/default/secrets/db-creds");
        assertThat(secret.code()).isEqualTo(200);
        assertThat(secret.body().path("kind").asText()).isEqualTo("Secret");
        assertThat(secret.body().path("data").path("user").asText()).isEqualTo("YXBw");
        assertThat(api.get(session, "/api/v1/namespaces/default/secrets/nope").code())
                .isEqualTo(404);
        ApiFixture.Reply list = api.get(session, "/api/v1/namespaces/default/secrets");
        assertThat(list.code()).isEqualTo(403);
        assertThat(list.message()).contains("kbr serves Secrets by name only");
        assertThat(session.finish().refused()).singleElement().asString().startsWith("403 list secrets");
    }

    @Test
    void watchIsAnsweredAtOnceNeverHeld() throws Exception {
        long started = System.nanoTime();
        ApiFixture.Reply watch = api.get(session, "/apis/example.com/v1/namespaces/default/namespaceclaims?watch=true");
        assertThat(watch.code()).isEqualTo(405);
        assertThat(watch.body().path("reason").asText()).isEqualTo("MethodNotAllowed");
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }

    @Test
    void unknownMissingAndFinishedTokensAre401() throws Exception {
        String path = "/apis/example.com/v1/namespaces/default/namespaceclaims/alpha";
        assertThat(api.send(null, "GET", path, null, null, "application/json").code())
                .isEqualTo(401);
        assertThat(api.send("not-a-token", "GET", path, null, null, "application/json")
                        .code())
                .isEqualTo(401);
        assertThat(api.get(session, path).code()).isEqualTo(200);
        ApiWrites writes = session.finish();
        ApiFixture.Reply after = api.get(session, path);
        assertThat(after.code()).isEqualTo(401);
        assertThat(after.body().path("reason").asText()).isEqualTo("Unauthorized");
        assertThat(session.finish()).isSameAs(writes);
    }

    @Test
    void rbacRefusesWhatTheRulesDoNotGrant() throws Exception {
        ApiSession limited = api.open(
                List.of(ApiFixture.rule("example.com", List.of("namespaceclaims"), List.of("get"), "default")));
        assertThat(api.get(limited, "/apis/example.com/v1/namespaces/default/namespaceclaims/beta")
                        .code())
                .isEqualTo(200);
        ApiFixture.Reply list = api.get(limited, "/apis/example.com/v1/namespaces/default/namespaceclaims");
        assertThat(list.code()).isEqualTo(403);
        assertThat(list.body().path("reason").asText()).isEqualTo("Forbidden");
        assertThat(list.message())
                .isEqualTo("list namespaceclaims.example.com in namespace default is forbidden for pipeline"
                        + " namespace/default/alpha resource.configure instance");
        assertThat(api.get(limited, "/apis/example.com/v1/namespaces/other/namespaceclaims/gamma")
                        .code())
                .isEqualTo(403);
        assertThat(api.get(limited, "/apis/example.com/v1/namespaces/default/namespaceclaims/alpha/status")
                        .code())
                .isEqualTo(403);
        assertThat(api.get(limited, "/api/v1/namespaces/default/secrets/db-creds")
                        .code())
                .isEqualTo(403);
        assertThat(limited.finish().refused())
                .hasSize(4)
                .first()
                .asString()
                .startsWith("403 list namespaceclaims.example.com in namespace default is forbidden");
    }

    @Test
    void rbacRulesLimitedToNamesGrantOnlyThoseNames() throws Exception {
        ApiSession named = api.open(List.of(new dev.kbr.platformapi.PolicyRule(
                List.of("example.com"), List.of("*"), List.of("*"), List.of("beta"), "*")));
        assertThat(api.get(named, "/apis/example.com/v1/namespaces/default/namespaceclaims/beta")
                        .code())
                .isEqualTo(200);
        assertThat(api.get(named, "/apis/example.com/v1/namespaces/default/namespaceclaims/alpha")
                        .code())
                .isEqualTo(403);
        assertThat(api.get(named, "/apis/example.com/v1/namespaceclaims").code())
                .isEqualTo(403);
    }

    private List<String> select(String parameter, String selector) throws Exception {
        return itemNames(api.get(
                        session,
                        "/apis/example.com/v1/namespaceclaims?" + parameter + "="
                                + URLEncoder.encode(selector, StandardCharsets.UTF_8))
                .body());
    }

    private static List<String> itemNames(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("items")
                .forEach(item -> names.add(item.path("metadata").path("name").asText()));
        return names;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }
}
