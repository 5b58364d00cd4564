package dev.kbr.state.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.state.TrustedCas;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Installation tokens of one GitHub App installation, obtained as Kratix's {@code
 * util/git/github_app.go} ({@code generateGitHubAppJWT}, {@code getGitHubInstallationToken})
 * does: a JSON Web Token signed RS256 with the app's private key ({@code iss} = the app ID,
 * {@code iat} 60 s in the past), sent as {@code Authorization: Bearer} in {@code POST
 * {apiUrl}/app/installations/{installationId}/access_tokens}; GitHub answers 201 with {@code
 * token} and {@code expires_at}. Git then authenticates as user {@link #USERNAME} with the token as
 * password. A token is kept in memory only, reused until five minutes before it expires, and never
 * appears in a message or {@code toString()}.
 */
final class GitHubAppTokens {
    /** The user name GitHub expects with an installation token (Kratix's {@code util/git/creds.go}). */
    static final String USERNAME = "x-access-token";

    /** How far back {@code iat} is set, as Kratix does, so a server clock slightly behind accepts it. */
    static final Duration ISSUED_BEFORE = Duration.ofSeconds(60);

    /**
     * JWT lifetime counted from {@code iat}. GitHub refuses an {@code exp} more than ten minutes
     * ahead of its own clock; counting from the backdated {@code iat} keeps {@code exp} nine
     * minutes ahead of ours, leaving room for clock skew.
     */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    /** A token this close to its expiry is replaced before use: a push may follow a long pass. */
    static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 200;

    private final GitCredentials.GitHubApp app;
    private final PrivateKey key;
    private final HttpClient http;
    private final Duration timeout;
    private String token;
    private Instant expiresAt = Instant.MIN;

    private GitHubAppTokens(GitCredentials.GitHubApp app, PrivateKey key, HttpClient http, Duration timeout) {
        this.app = app;
        this.key = key;
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * Reads the app's private key; asks GitHub for nothing yet.
     *
     * @param trustedCaFile a PEM file of CAs trusted for the API besides the JDK's ({@code --ca-file})
     * @param timeout how long connecting to the API and its answer may take
     * @throws IOException when the private key is not an unencrypted PEM RSA key, or the CA file
     *     cannot be used; the message names the Secret's key, never its value
     */
    static GitHubAppTokens create(GitCredentials.GitHubApp app, Optional<Path> trustedCaFile, Duration timeout)
            throws IOException {
        PrivateKey key = privateKey(app);
        HttpClient.Builder http =
                HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (trustedCaFile.isPresent()) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, TrustedCas.trustManagers(trustedCaFile.get()), null);
                http.sslContext(context);
            } catch (GeneralSecurityException e) {
                throw new IOException(
                        "CA file " + trustedCaFile.get() + " cannot be used for GitHub's API: " + e.getMessage(), e);
            }
        }
        return new GitHubAppTokens(app, key, http.build(), timeout);
    }

    /** Where the app's keys came from, for messages. */
    GitCredentials.GitHubApp app() {
        return app;
    }

    /**
     * A token valid for at least {@link #REFRESH_BEFORE}: the last one, else a new one from
     * GitHub's API.
     *
     * @throws IOException ({@link Failure}) when GitHub's API cannot be reached or refuses; the
     *     message says what was asked of which API, GitHub's reason and what to fix
     * @throws InterruptedIOException when interrupted while waiting for the API (the interrupt
     *     flag is set again)
     */
    synchronized String token() throws IOException {
        Instant now = Instant.now();
        if (token == null || !now.plus(REFRESH_BEFORE).isBefore(expiresAt)) {
            exchange(now);
        }
        return token;
    }

    /**
     * The signed JSON Web Token that proves to GitHub's API that kbr holds the app's key: header
     * {@code {"alg":"RS256","typ":"JWT"}}, claims {@code iat} = {@code now} − 60 s, {@code exp} =
     * {@code iat} + 10 min (seconds since the epoch) and {@code iss} = the app ID as a string.
     */
    String jwt(Instant now) {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        long issued = now.minus(ISSUED_BEFORE).getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("iat", issued)
                .put("exp", issued + LIFETIME.toSeconds())
                .put("iss", Long.toString(app.appId()));
        String signingInput = base64Url(header.toString()) + "." + base64Url(claims.toString());
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            // The key was checked to be RSA when read, and every JDK has SHA256withRSA.
            throw new IllegalStateException("could not sign with the GitHub App's RSA key", e);
        }
    }

    /** The API's token endpoint for this installation. */
    URI endpoint() {
        return URI.create(app.apiUrl() + "/app/installations/" + app.installationId() + "/access_tokens");
    }

    private void exchange(Instant now) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint())
                .timeout(timeout)
                .header("Authorization", "Bearer " + jwt(now))
                .header("Accept", "application/vnd.github+json")
                .header("User-Agent", "kbr")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(
                    "interrupted while asking GitHub's API at " + app.apiUrl() + " for an installation token");
        } catch (IOException e) {
            throw unreachable(e);
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status != 201) {
            throw refused(status, message(body));
        }
        String issued = body.path("token").asText("");
        if (issued.isBlank()) {
            throw new Failure(asked() + ": it answered HTTP 201 without a token; check that " + app.apiUrl()
                    + " is GitHub's REST API (--github-api-url)");
        }
        token = issued;
        expiresAt = expiry(body.path("expires_at").asText(""));
    }

    private Failure refused(int status, String message) {
        String answer = "HTTP " + status + (message.isEmpty() ? "" : " \"" + message + "\"");
        return switch (status) {
            case 401 ->
                new Failure(asked() + ": it refused the JSON Web Token signed with key `privateKey` ("
                        + answer + "); put a private key generated in the settings of GitHub App " + app.appId()
                        + " in `privateKey`, and check that key `appID` is that app's App ID and that this machine's"
                        + " clock is right");
            case 404 ->
                new Failure(asked() + ": it knows no installation " + app.installationId() + " of GitHub App "
                        + app.appId() + " (" + answer
                        + "); set key `installationID` to the ID of the app's installation"
                        + " on the account that owns the repository (the number at the end of the installation's"
                        + " settings URL)");
            default ->
                new Failure(asked() + ": it answered " + answer + "; check GitHub App " + app.appId()
                        + " and its installation " + app.installationId() + " in GitHub");
        };
    }

    private Failure unreachable(IOException e) {
        String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (isTrustFailure(e)) {
            return new Failure(
                    asked() + ": its TLS certificate is not signed by a CA this machine trusts (" + reason
                            + "); pass --ca-file PATH with the PEM certificate of the CA that signed it",
                    e);
        }
        return new Failure(
                asked() + ": it cannot be reached (" + reason + "); check --github-api-url and that this"
                        + " machine can reach the API",
                e);
    }

    private String asked() {
        return "could not get an installation token of GitHub App " + app.appId() + " (installation "
                + app.installationId() + ", " + app.source() + ") from GitHub's API at " + app.apiUrl();
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    /** GitHub's own reason, on one line and capped: the rest of the body is never shown. */
    private static String message(JsonNode body) {
        String message =
                body.path("message").asText("").replaceAll("\\p{Cntrl}+", " ").strip();
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
    }

    // Without a readable expiry the token serves this one use and is replaced on the next.
    private static Instant expiry(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }

    private static boolean isTrustFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The app's RSA key from PEM: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what GitHub's download
     * holds) or PKCS#8 ({@code BEGIN PRIVATE KEY}), as Kratix's {@code parseRSAPrivateKeyFromPEM}
     * accepts, read as the {@code ssh} method's keys are.
     */
    private static PrivateKey privateKey(GitCredentials.GitHubApp app) throws IOException {
        String what = "key `privateKey` of " + app.source();
        String fix = "; put the text of the .pem file generated in the settings of GitHub App " + app.appId()
                + " there (PKCS#1 `BEGIN RSA PRIVATE KEY` or PKCS#8 `BEGIN PRIVATE KEY`, unencrypted)";
        if (app.privateKey().contains("ENCRYPTED")) {
            throw new IOException(what + " is encrypted" + fix);
        }
        Iterable<KeyPair> pairs;
        try {
            pairs = GitTransportSetup.keyPairs(app.privateKey(), what);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IOException(
                    what + " cannot be read as a PEM private key ("
                            + e.getClass().getSimpleName() + ")" + fix,
                    e);
        }
        if (pairs == null || !pairs.iterator().hasNext()) {
            throw new IOException(what + " holds no private key" + fix);
        }
        PrivateKey key = pairs.iterator().next().getPrivate();
        if (!(key instanceof RSAPrivateKey)) {
            throw new IOException(what + " is a " + key.getAlgorithm() + " key, but GitHub Apps sign with RSA" + fix);
        }
        return key;
    }

    @Override
    public String toString() {
        return "GitHubAppTokens[" + app + ", token=" + (token == null ? "(none)" : "***") + "]";
    }

    /**
     * A failure to get a token from GitHub's API; its message is complete (what was asked, of
     * which API, GitHub's answer and what to do), so no Git advice is added to it.
     */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
