package dev.kbr.platformapi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.platformapi.ApiSession;
import dev.kbr.platformapi.ApiView;
import dev.kbr.platformapi.Caller;
import dev.kbr.platformapi.ObjectRef;
import dev.kbr.platformapi.PolicyRule;
import dev.kbr.platformapi.ServedKind;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A running server over a small platform (a NamespaceClaim Promise, its requests, a ConfigMap, a
 * Secret) and a JDK HTTP client that trusts only the server's CA. Every body the server answered
 * is kept, so tests can check what never appears in one.
 */
final class ApiFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET_VALUE = "s3cr3t-value-never-logged";
    static final ServedKind CLAIMS = new ServedKind(
            "example.com",
            "v1",
            "NamespaceClaim",
            "namespaceclaims",
            "namespaceclaim",
            List.of("nsc"),
            true,
            Optional.of("namespace"));
    static final ServedKind PROMISES = new ServedKind(
            "platform.kratix.io", "v1alpha1", "Promise", "promises", "promise", List.of(), false, Optional.empty());
    static final ServedKind CONFIGMAPS =
            new ServedKind("", "v1", "ConfigMap", "configmaps", "configmap", List.of("cm"), true, Optional.empty());
    static final ObjectRef ALPHA = claim("default", "alpha");

    /** Kratix's resource pipeline Role, plus user permissions (Secrets, ConfigMaps, Promises). */
    static final List<PolicyRule> PIPELINE_RULES = List.of(
            rule(
                    "example.com",
                    List.of("namespaceclaims", "namespaceclaims/status"),
                    List.of("get", "list", "update", "create", "patch"),
                    "default"),
            rule("example.com", List.of("namespaceclaims"), List.of("delete", "watch"), "default"),
            rule("example.com", List.of("namespaceclaims"), List.of("list"), "*"),
            rule("", List.of("secrets", "configmaps"), List.of("*"), "default"),
            rule("platform.kratix.io", List.of("promises", "promises/status"), List.of("*"), "*"));

    final PlatformApiServer server;
    final HttpClient client;
    final List<String> bodies = new ArrayList<>();

    ApiFixture() throws Exception {
        server = PlatformApiServer.start(
                view(),
                (kind, object) -> object.path("spec").path("size").asText().equals("huge")
                        ? Optional.of("spec.size: Unsupported value: \"huge\"")
                        : Optional.empty(),
                (namespace, name) -> namespace.equals("default") && name.equals("db-creds")
                        ? Optional.of(new TreeMap<>(Map.of("password", SECRET_VALUE, "user", "app")))
                        : Optional.empty(),
                "127.0.0.1",
                Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        client = HttpClient.newBuilder()
                .sslContext(trusting(server.caCertificatePem()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static ApiView view() {
        TreeMap<ObjectRef, ObjectNode> objects = new TreeMap<>();
        objects.put(ALPHA, request("default", "alpha", Map.of("team", "a", "tier", "gold"), "11"));
        objects.put(claim("default", "beta"), request("default", "beta", Map.of("team", "b"), "12"));
        objects.put(claim("other", "gamma"), request("other", "gamma", Map.of("team", "a"), "13"));
        objects.put(claim("default", "made-by-api"), request("default", "made-by-api", Map.of(), "14"));
        ObjectNode promise = object("platform.kratix.io/v1alpha1", "Promise", "", "namespace", "5");
        promise.putObject("status").put("status", "Available");
        objects.put(new ObjectRef("platform.kratix.io", "promises", "", "namespace"), promise);
        ObjectNode settings = object("v1", "ConfigMap", "default", "settings", "6");
        settings.putObject("data").put("colour", "blue");
        objects.put(new ObjectRef("", "configmaps", "default", "settings"), settings);
        return new ApiView(
                List.of(CLAIMS, PROMISES, CONFIGMAPS), objects, new TreeSet<>(Set.of(claim("default", "made-by-api"))));
    }

    static ObjectRef claim(String namespace, String name) {
        return new ObjectRef("example.com", "namespaceclaims", namespace, name);
    }

    static ObjectNode request(String namespace, String name, Map<String, String> labels, String version) {
        ObjectNode object = object("example.com/v1", "NamespaceClaim", namespace, name, version);
        ObjectNode metadata = object.withObjectProperty("metadata");
        metadata.put("generation", 1);
        labels.forEach(metadata.withObjectProperty("labels")::put);
        object.putObject("spec").put("size", "small");
        object.putObject("status").put("message", "pending");
        return object;
    }

    static ObjectNode object(String apiVersion, String kind, String namespace, String name, String version) {
        ObjectNode object = JSON.createObjectNode();
        object.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode metadata = object.putObject("metadata").put("name", name);
        if (!namespace.isEmpty()) {
            metadata.put("namespace", namespace);
        }
        metadata.put("uid", "uid-" + name).put("resourceVersion", version);
        return object;
    }

    static PolicyRule rule(String group, List<String> resources, List<String> verbs, String namespace) {
        return new PolicyRule(List.of(group), resources, verbs, List.of(), namespace);
    }

    ApiSession open(List<PolicyRule> rules) {
        return server.open(new Caller(
                "namespace/default/alpha resource.configure instance",
                ALPHA,
                "default",
                rules,
                view().objects().get(ALPHA)));
    }

    ApiSession pipeline() {
        return open(PIPELINE_RULES);
    }

    /** A pipeline session of {@link #ALPHA} that got it as {@code selfObject}. */
    ApiSession pipelineGiven(com.fasterxml.jackson.databind.node.ObjectNode selfObject) {
        return server.open(new Caller(
                "namespace/default/alpha resource.configure instance", ALPHA, "default", PIPELINE_RULES, selfObject));
    }

    /** A session of another object's pipeline, with the same rules. */
    ApiSession otherPipeline() {
        ObjectRef gamma = claim("default", "gamma");
        return server.open(new Caller(
                "namespace/default/gamma resource.configure instance",
                gamma,
                "default",
                PIPELINE_RULES,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
    }

    /** A reply: its HTTP status and JSON body. */
    record Reply(int code, JsonNode body) {
        String message() {
            return body.path("message").asText();
        }
    }

    Reply get(ApiSession session, String path) throws Exception {
        return send(session.token(), "GET", path, null, null, "application/json");
    }

    Reply send(ApiSession session, String method, String path, String contentType, Object body) throws Exception {
        return send(session.token(), method, path, contentType, body, "application/json");
    }

    Reply send(String token, String method, String path, String contentType, Object body, String accept)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", accept);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        byte[] bytes = body == null
                ? new byte[0]
                : body instanceof String text
                        ? text.getBytes(StandardCharsets.UTF_8)
                        : body instanceof byte[] raw ? raw : JSON.writeValueAsBytes(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        synchronized (bodies) {
            bodies.add(response.body());
        }
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    static SSLContext trusting(String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry(
                "ca",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        server.close();
    }
}
