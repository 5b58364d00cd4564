package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.execute.Secrets;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.pipeline.PlatformAccess;
import dev.kbr.platformapi.server.PlatformApiServer;
import dev.kbr.report.Notice;
import dev.kbr.report.RunReport;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole passes with the real platform API server and an in-memory state store: a {@code Maker}
 * request's pipeline creates a {@code Target} request through the API, as an in-cluster client
 * would (HTTPS, the run's token and CA), and later deletes it. The runner stands in for the
 * container only; the calls, the server and the pass are real.
 */
class PlatformApiPassTest {
    @TempDir
    Path platform;

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<Integer> replies = new CopyOnWriteArrayList<>();

    @Test
    void aRequestCreatedThroughTheApiIsReconciledInThePassKeptByLaterPassesAndDeletedThroughIt() throws Exception {
        writePlatform("keep");

        RunReport first = apply();

        assertThat(first.errors()).isEmpty();
        assertThat(replies).containsExactly(201);
        assertThat(ran)
                .containsExactly(
                        "maker/default/m1 resource.configure ask", "target/default/t1 resource.configure make");
        assertThat(store.read().files()).containsKey("worker/resources/default/target/t1/make/5058f/t1.yaml");
        assertThat(text(".kbr/objects/target/resources/default/t1.json")).contains("\"createdThroughApi\" : true");
        assertThat(first.notices())
                .extracting(Notice::message)
                .anyMatch(m -> m.contains("created target/default/t1 through the platform API"));

        ran.clear();
        Optional<String> before = store.read().version();
        RunReport second = apply();
        assertThat(second.errors()).isEmpty();
        assertThat(ran).isEmpty();
        assertThat(second.cached()).contains("target/default/t1");
        assertThat(store.read().version()).isEqualTo(before);

        writePlatform("remove");
        RunReport third = apply();

        assertThat(third.errors()).isEmpty();
        assertThat(replies).containsExactly(201, 200);
        assertThat(store.read().files().keySet()).noneMatch(path -> path.contains("/t1"));
        assertThat(third.notices())
                .extracting(Notice::message)
                .anyMatch(m -> m.contains("deleted target/default/t1 through the platform API"));
    }

    @Test
    void aRequestUpdatedThroughTheApiRunsAgainInThePassWithItsNewSpec() throws Exception {
        writePlatform("keep");
        assertThat(apply().errors()).isEmpty();
        ran.clear();

        writePlatform("grow");
        RunReport grown = apply();

        assertThat(grown.errors()).isEmpty();
        assertThat(replies).containsExactly(201, 200);
        assertThat(ran).contains("target/default/t1 resource.configure make");
        assertThat(text(".kbr/objects/target/resources/default/t1.json"))
                .contains("\"size\" : \"large\"")
                .contains("\"createdThroughApi\" : true");
    }

    private RunReport apply() throws Exception {
        return MemoryPasses.apply(
                platform,
                store,
                new Pipelines(),
                clock,
                new PassOptions.Pipelines(
                        Duration.ofMinutes(1),
                        5,
                        Secrets.none(),
                        2,
                        Optional.of((view, admission, secrets) ->
                                PlatformApiServer.start(view, admission, secrets, "127.0.0.1"))),
                PassListener.NONE);
    }

    private String text(String path) throws Exception {
        return new String(store.read().read(path), StandardCharsets.UTF_8);
    }

    private void writePlatform(String action) throws Exception {
        MemoryPasses.writeDestination(platform);
        Files.writeString(
                platform.resolve("target.yaml"),
                MemoryPasses.appPromise("target", "")
                        .replace("apps.example.com", "targets.example.com")
                        .replace("kind: App", "kind: Target")
                        .replace("plural: apps", "plural: targets")
                        .replace("singular: app", "singular: target"));
        Files.writeString(
                platform.resolve("maker.yaml"),
                MemoryPasses.appPromise("maker", "")
                        .replace("apps.example.com", "makers.example.com")
                        .replace("kind: App", "kind: Maker")
                        .replace("plural: apps", "plural: makers")
                        .replace("singular: app", "singular: maker")
                        .replace("name: make\n", "name: ask\n")
                        .replace(
                                "\n          spec:\n            containers:",
                                "\n          spec:\n"
                                        + "            rbac:\n"
                                        + "              permissions:\n"
                                        + "                - apiGroups: [example.com]\n"
                                        + "                  resources: [targets]\n"
                                        + "                  verbs: [create, patch, delete]\n"
                                        + "            containers:"));
        Files.writeString(platform.resolve("m1.yaml"), """
                apiVersion: example.com/v1
                kind: Maker
                metadata:
                  name: m1
                spec:
                  size: %s
                """.formatted(action));
    }

    /** Pipelines as their containers would behave: each writes a ConfigMap named after its object, and Maker asks the API. */
    private final class Pipelines implements PipelineRunner {
        @Override
        public PipelineResult run(PipelineInvocation invocation) throws java.io.IOException, InterruptedException {
            ran.add(invocation.description());
            TreeMap<String, byte[]> output = new TreeMap<>();
            String name = invocation.env().get("KRATIX_OBJECT_NAME");
            output.put(
                    name + ".yaml",
                    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n")
                            .getBytes(StandardCharsets.UTF_8));
            if (invocation.pipeline().name().equals("ask")) {
                PlatformAccess access = invocation.platformAccess().orElseThrow();
                String input = new String(invocation.objectYaml(), StandardCharsets.UTF_8);
                boolean remove = input.contains("size: remove");
                boolean grow = input.contains("size: grow");
                String targets = "https://" + access.host() + ":" + access.port()
                        + "/apis/example.com/v1/namespaces/default/targets";
                HttpRequest.Builder call = HttpRequest.newBuilder(
                                URI.create(remove || grow ? targets + "/t1" : targets))
                        .header("Authorization", "Bearer " + access.token())
                        .header("Content-Type", grow ? "application/merge-patch+json" : "application/json");
                call = remove
                        ? call.DELETE()
                        : grow
                                ? call.method(
                                        "PATCH", HttpRequest.BodyPublishers.ofString("{\"spec\":{\"size\":\"large\"}}"))
                                : call.POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"apiVersion\":\"example.com/v1\","
                                                        + "\"kind\":\"Target\",\"metadata\":{\"name\":\"t1\"},\"spec\":{\"size\":\"small\"}}"));
                replies.add(client(access)
                        .send(call.build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode());
            }
            return new PipelineResult.Succeeded(output, new TreeMap<>(), List.of(), Duration.ZERO);
        }

        @Override
        public void close() {}
    }

    private static HttpClient client(PlatformAccess access) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry(
                    "ca",
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(
                                    access.caCertificatePem().getBytes(StandardCharsets.UTF_8))));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(tls).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
