package dev.kbr.state.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbr.testsupport.PemKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON Web Token a GitHub App signs, and the private keys it accepts (no network). */
class GitHubAppTokensTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "Secret default/github-app";
    private static KeyPair app;

    @BeforeAll
    static void makeKey() throws Exception {
        app = PemKeys.generate("RSA");
    }

    private static GitCredentials.GitHubApp credentials(String privateKey) {
        return new GitCredentials.GitHubApp(
                1234567, 89012345, privateKey, GitCredentials.GitHubApp.GITHUB_API_URL, SOURCE);
    }

    private static GitHubAppTokens tokens(String privateKey) throws IOException {
        return GitHubAppTokens.create(credentials(privateKey), Optional.empty(), Duration.ofSeconds(10));
    }

    @Test
    void signsAnRs256JwtIssuedByTheAppAMinuteBackThatExpiresNineMinutesAhead() throws Exception {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");

        String[] jwt = tokens(PemKeys.pkcs1(app)).jwt(now).split("\\.", -1);

        assertThat(jwt).hasSize(3);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("typ").asText()).isEqualTo("JWT");
        assertThat(claims.path("iss").asText()).isEqualTo("1234567");
        assertThat(claims.path("iat").asLong()).isEqualTo(now.getEpochSecond() - 60);
        assertThat(claims.path("exp").asLong()).isEqualTo(now.getEpochSecond() + 540);
        assertThat(verifies(jwt)).isTrue();
    }

    @Test
    void acceptsPkcs1AndPkcs8KeysAlike() throws Exception {
        Instant now = Instant.now();

        String fromPkcs1 = tokens(PemKeys.pkcs1(app)).jwt(now);
        String fromPkcs8 = tokens("\n" + PemKeys.pkcs8(app) + "\n").jwt(now);

        assertThat(PemKeys.pkcs1(app)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PemKeys.pkcs8(app)).startsWith("-----BEGIN PRIVATE KEY-----");
        // RS256 (PKCS#1 v1.5) is deterministic: the same key and claims give the same token.
        assertThat(fromPkcs8).isEqualTo(fromPkcs1);
        assertThat(verifies(fromPkcs8.split("\\."))).isTrue();
    }

    @Test
    void refusesKeysItCannotSignWithNamingTheSecretKeyAndNeverItsText() throws Exception {
        String encrypted = PemKeys.encryptedPkcs8(app, "passphrase");
        String ec = PemKeys.sec1(PemKeys.generate("EC"));
        String notPem = "ghp_thisIsATokenNotAKey";

        assertThatThrownBy(() -> tokens(encrypted))
                .hasMessageContaining("key `privateKey` of " + SOURCE + " is encrypted")
                .hasMessageContaining("BEGIN RSA PRIVATE KEY");
        // Refused whether the parser cannot read the curve or reads a key that is not RSA.
        assertThatThrownBy(() -> tokens(ec))
                .hasMessageContaining("key `privateKey` of " + SOURCE)
                .hasMessageContaining("PKCS#1 `BEGIN RSA PRIVATE KEY`");
        assertThatThrownBy(() -> tokens(notPem))
                .hasMessageContaining("key `privateKey` of " + SOURCE + " holds no private key")
                .hasMessageNotContaining(notPem);
        assertThatThrownBy(() -> tokens(encrypted))
                .hasMessageNotContaining(encrypted.lines().toList().get(1));
    }

    @Test
    void theCredentialsNeverShowTheKeyAndTheTokenEndpointFollowsTheApiRoot() throws Exception {
        String key = PemKeys.pkcs1(app);
        GitCredentials.GitHubApp enterprise =
                new GitCredentials.GitHubApp(7, 8, key, URI.create("https://github.example.test/api/v3"), SOURCE);

        GitHubAppTokens tokens = GitHubAppTokens.create(enterprise, Optional.empty(), Duration.ofSeconds(10));

        assertThat(enterprise.toString())
                .contains("privateKey=***")
                .doesNotContain(key.lines().toList().get(1));
        assertThat(tokens.toString())
                .contains("token=(none)")
                .doesNotContain(key.lines().toList().get(1));
        assertThat(tokens.endpoint())
                .isEqualTo(URI.create("https://github.example.test/api/v3/app/installations/8/access_tokens"));
        assertThat(credentials(key).apiUrl()).isEqualTo(URI.create("https://api.github.com"));
        assertThatThrownBy(() -> new GitCredentials.GitHubApp(7, 8, key, URI.create("http://api.example.test"), SOURCE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean verifies(String[] jwt) throws Exception {
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(app.getPublic());
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(jwt[2]));
    }
}
