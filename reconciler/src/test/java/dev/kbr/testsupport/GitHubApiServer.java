package dev.kbr.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * GitHub's REST API for one GitHub App installation, as far as installation tokens go, on
 * 127.0.0.1 over HTTPS: {@code POST {base}/app/installations/{id}/access_tokens} with {@code
 * Authorization: Bearer <JWT>}. It checks what GitHub checks: the JWT's RS256 signature against
 * the app's public key, {@code iss} = the app ID, {@code iat} not in the future and {@code exp} in
 * the future but at most ten minutes ahead, then the installation id in the path. It answers 201
 * with {@code token} and {@code expires_at}, 401 for a JWT it cannot accept and 404 for another
 * installation, with GitHub's {@code message} texts. Every answer is recorded.
 */
public final class GitHubApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_AHEAD = Duration.ofMinutes(10);
    private static final Duration SKEW = Duration.ofSeconds(5);
    private static final Pattern PATH = Pattern.compile("/app/installations/([^/]+)/access_tokens");

    /**
     * One request and the server's answer.
     *
     * @param path the request path
     * @param accept the request's {@code Accept} header, empty when absent
     * @param status the answer's HTTP status
     * @param message why it was refused, empty for 201
     */
    public record Answer(String path, String accept, int status, String message) {}

    /**
     * What the server accepts and issues.
     *
     * @param appId the app's ID, the JWT's expected {@code iss}
     * @param installationId the one installation it knows
     * @param appKey the app's public key, which the JWT's signature must verify with
     * @param token the installation token it issues
     * @param lifetime how long each issued token lasts ({@code expires_at})
     */
    public record App(long appId, long installationId, PublicKey appKey, String token, Duration lifetime) {}

    private final HttpsServer server;
    private final String base;
    private final App app;
    private final List<Answer> answers = new ArrayList<>();

    private GitHubApiServer(HttpsServer server, String base, App app) {
        this.server = server;
        this.base = base;
        this.app = app;
    }

    /**
     * Starts the server on a free port of 127.0.0.1.
     *
     * @param tls the server's certificate ({@link TestTls#serverContext()})
     * @param base the API root's path, empty for GitHub's own ({@code /api/v3} for GitHub
     *     Enterprise Server's)
     */
    public static GitHubApiServer start(SSLContext tls, String base, App app) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        GitHubApiServer api = new GitHubApiServer(server, base, app);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /** The API root, e.g. {@code https://127.0.0.1:PORT/api/v3}, for {@code --github-api-url}. */
    public URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + base);
    }

    /** Every answer so far, oldest first. */
    public synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** How many tokens were issued (201 answers). */
    public synchronized long issued() {
        return answers.stream().filter(a -> a.status() == 201).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String accept =
                    Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Accept"), "");
            int status;
            String message = "";
            ObjectNode body = JSON.createObjectNode();
            Matcher matcher = path.startsWith(base) ? PATH.matcher(path.substring(base.length())) : null;
            if (matcher == null
                    || !matcher.matches()
                    || !exchange.getRequestMethod().equals("POST")) {
                status = 404;
                message = "Not Found";
            } else {
                message = refusal(exchange.getRequestHeaders().getFirst("Authorization"));
                if (!message.isEmpty()) {
                    status = 401;
                } else if (!matcher.group(1).equals(Long.toString(app.installationId()))) {
                    status = 404;
                    message = "Not Found";
                } else {
                    status = 201;
                    body.put("token", app.token())
                            .put(
                                    "expires_at",
                                    Instant.now().plus(app.lifetime()).toString())
                            .put("repository_selection", "all");
                    body.putObject("permissions").put("contents", "write").put("metadata", "read");
                }
            }
            if (status != 201) {
                body.put("message", message).put("documentation_url", "https://docs.github.com/rest");
            }
            synchronized (this) {
                answers.add(new Answer(path, accept, status, message));
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Why GitHub would refuse this Authorization header, or empty when it accepts it. */
    private String refusal(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "A JSON web token could not be decoded";
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.", -1);
        if (parts.length != 3) {
            return "A JSON web token could not be decoded";
        }
        JsonNode header;
        JsonNode claims;
        try {
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(app.appKey());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!header.path("alg").asText().equals("RS256")
                    || !rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "A JSON web token could not be decoded";
            }
        } catch (Exception e) {
            return "A JSON web token could not be decoded";
        }
        if (!claims.path("iss").asText().equals(Long.toString(app.appId()))) {
            return "Integration not found";
        }
        Instant now = Instant.now();
        if (!claims.path("iat").canConvertToLong()
                || claims.path("iat").asLong() > now.plus(SKEW).getEpochSecond()) {
            return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.";
        }
        long exp = claims.path("exp").asLong(0);
        if (!claims.path("exp").canConvertToLong() || exp <= now.getEpochSecond()) {
            return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which"
                    + " the assertion expires.";
        }
        if (exp > now.plus(MAX_AHEAD).getEpochSecond()) {
            return "'Expiration time' claim ('exp') is too far in the future.";
        }
        return "";
    }
}
