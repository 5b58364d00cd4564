package dev.kbr.platformapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.platformapi.ApiSession;
import dev.kbr.platformapi.ApiWrites;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** fabric8's client, a real user of the API, against the server: discovery, reads, status, writes. */
class PlatformApiFabric8Test {
    private static final ResourceDefinitionContext CLAIMS = new ResourceDefinitionContext.Builder()
            .withGroup("example.com")
            .withVersion("v1")
            .withKind("NamespaceClaim")
            .withPlural("namespaceclaims")
            .withNamespaced(true)
            .build();

    private ApiFixture api;
    private ApiSession session;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
        session = api.pipeline();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://" + session.host() + ":" + session.port())
                .withCaCertData(Base64.getEncoder()
                        .encodeToString(session.caCertificatePem().getBytes(StandardCharsets.US_ASCII)))
                .withOauthToken(session.token())
                .withNamespace(session.namespace())
                .withRequestRetryBackoffLimit(0)
                .build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    @Test
    void getsAndListsThroughDiscoveryAndResourceContexts() {
        GenericKubernetesResource alpha = client.genericKubernetesResources("example.com/v1", "NamespaceClaim")
                .inNamespace("default")
                .withName("alpha")
                .get();
        assertThat(alpha.getMetadata().getLabels()).containsEntry("tier", "gold");
        assertThat(client.genericKubernetesResources(CLAIMS)
                        .inNamespace("default")
                        .list()
                        .getItems())
                .extracting(item -> item.getMetadata().getName())
                .containsExactly("alpha", "beta", "made-by-api");
        assertThat(client.genericKubernetesResources(CLAIMS)
                        .inAnyNamespace()
                        .withLabel("team", "a")
                        .list()
                        .getItems())
                .extracting(item -> item.getMetadata().getName())
                .containsExactly("alpha", "gamma");
        assertThat(client.genericKubernetesResources(CLAIMS)
                        .inNamespace("default")
                        .withName("nope")
                        .get())
                .isNull();
        Secret secret =
                client.secrets().inNamespace("default").withName("db-creds").get();
        assertThat(secret.getData()).containsEntry("user", "YXBw");
    }

    @Test
    void patchesItsOwnStatusAndCreatesAndDeletesRequests() {
        GenericKubernetesResource alpha = client.genericKubernetesResources(CLAIMS)
                .inNamespace("default")
                .withName("alpha")
                .get();
        alpha.setAdditionalProperty("status", Map.of("message", "ready from fabric8"));
        GenericKubernetesResource patched = client.resource(alpha).patchStatus();
        assertThat(patched.get("status", "message").toString()).isEqualTo("ready from fabric8");

        GenericKubernetesResource created = client.resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("example.com/v1")
                        .withKind("NamespaceClaim")
                        .withNewMetadata()
                        .withName("hotel")
                        .withNamespace("default")
                        .endMetadata()
                        .withAdditionalProperties(Map.of("spec", Map.of("size", "small")))
                        .build())
                .create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        client.genericKubernetesResources(CLAIMS)
                .inNamespace("default")
                .withName("hotel")
                .delete();
        GenericKubernetesResource beta = client.genericKubernetesResources(CLAIMS)
                .inNamespace("default")
                .withName("beta")
                .get();
        beta.setAdditionalProperty("status", Map.of("message", "not mine"));
        assertThatThrownBy(() -> client.resource(beta).patchStatus())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));

        ApiWrites writes = session.finish();
        assertThat(writes.status())
                .hasValueSatisfying(
                        status -> assertThat(status.path("message").asText()).isEqualTo("ready from fabric8"));
        assertThat(writes.changes())
                .extracting(change -> change.getClass().getSimpleName())
                .containsExactly("Created", "Deleted");
    }
}
