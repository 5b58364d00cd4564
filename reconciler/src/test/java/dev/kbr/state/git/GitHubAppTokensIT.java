package dev.kbr.state.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.testsupport.GitHubApiServer;
import dev.kbr.testsupport.PemKeys;
import dev.kbr.testsupport.TestTls;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installation tokens from a GitHub API server on 127.0.0.1 over HTTPS ({@link GitHubApiServer}),
 * which checks the JWT as GitHub does; trusted through a CA file as {@code --ca-file} gives it.
 */
class GitHubAppTokensIT {
    private static final long APP_ID = 424242;
    private static final long INSTALLATION_ID = 31337;
    private static final String TOKEN = "ghs_" + Long.toHexString(System.nanoTime()) + "InstallationToken";

    @TempDir
    static Path dir;

    private static TestTls tls;
    private static KeyPair appKey;
    private static GitHubApiServer hourTokens;
    private static GitHubApiServer shortTokens;

    @BeforeAll
    static void start() throws Exception {
        tls = TestTls.create(dir);
        appKey = PemKeys.generate("RSA");
        hourTokens = GitHubApiServer.start(
                tls.serverContext(),
                "",
                new GitHubApiServer.App(APP_ID, INSTALLATION_ID, appKey.getPublic(), TOKEN, Duration.ofHours(1)));
        shortTokens = GitHubApiServer.start(
                tls.serverContext(),
                "/api/v3",
                new GitHubApiServer.App(APP_ID, INSTALLATION_ID, appKey.getPublic(), TOKEN, Duration.ofMinutes(4)));
    }

    @AfterAll
    static void stop() {
        hourTokens.close();
        shortTokens.close();
    }

    private static GitHubAppTokens tokens(GitHubApiServer api, long installation, KeyPair key, boolean trustCa)
            throws Exception {
        GitCredentials.GitHubApp app = new GitCredentials.GitHubApp(
                APP_ID, installation, PemKeys.pkcs1(key), api.url(), "Secret default/github-app");
        return GitHubAppTokens.create(app, trustCa ? Optional.of(tls.ca()) : Optional.empty(), Duration.ofSeconds(10));
    }

    @Test
    void exchangesTheSignedJwtForAnInstallationTokenAndReusesItWhileItLasts() throws Exception {
        long before = hourTokens.issued();
        GitHubAppTokens tokens = tokens(hourTokens, INSTALLATION_ID, appKey, true);

        String first = tokens.token();
        String second = tokens.token();

        assertThat(first).isEqualTo(TOKEN);
        assertThat(second).isEqualTo(TOKEN);
        assertThat(hourTokens.issued() - before).isEqualTo(1);
        GitHubApiServer.Answer answer =
                hourTokens.answers().get(hourTokens.answers().size() - 1);
        assertThat(answer.path()).isEqualTo("/app/installations/" + INSTALLATION_ID + "/access_tokens");
        assertThat(answer.accept()).isEqualTo("application/vnd.github+json");
        assertThat(tokens.toString()).contains("token=***").doesNotContain(TOKEN);
    }

    @Test
    void aTokenThatExpiresWithinFiveMinutesIsReplacedBeforeUseUnderAnEnterpriseApiRoot() throws Exception {
        long before = shortTokens.issued();
        GitHubAppTokens tokens = tokens(shortTokens, INSTALLATION_ID, appKey, true);

        tokens.token();
        tokens.token();

        assertThat(shortTokens.issued() - before).isEqualTo(2);
        assertThat(shortTokens.answers().get(shortTokens.answers().size() - 1).path())
                .isEqualTo("/api/v3/app/installations/" + INSTALLATION_ID + "/access_tokens");
    }

    @Test
    void aKeyOfAnotherAppIsRefusedWith401AndTheMessageSaysWhichKeyToFix() throws Exception {
        KeyPair other = PemKeys.generate("RSA");
        GitHubAppTokens tokens = tokens(hourTokens, INSTALLATION_ID, other, true);

        assertThatThrownBy(tokens::token)
                .isInstanceOf(GitHubAppTokens.Failure.class)
                .hasMessageContaining("could not get an installation token of GitHub App " + APP_ID + " (installation "
                        + INSTALLATION_ID + ", Secret default/github-app) from GitHub's API at " + hourTokens.url())
                .hasMessageContaining(
                        "refused the JSON Web Token signed with key `privateKey` (HTTP 401 \"A JSON web token could"
                                + " not be decoded\")")
                .hasMessageContaining("put a private key generated in the settings of GitHub App " + APP_ID)
                .hasMessageNotContaining(PemKeys.pkcs1(other).lines().toList().get(1));
    }

    @Test
    void anInstallationGitHubDoesNotKnowIs404NamingInstallationId() throws Exception {
        GitHubAppTokens tokens = tokens(hourTokens, 999, appKey, true);

        assertThatThrownBy(tokens::token)
                .isInstanceOf(GitHubAppTokens.Failure.class)
                .hasMessageContaining(
                        "it knows no installation 999 of GitHub App " + APP_ID + " (HTTP 404 \"Not Found\")")
                .hasMessageContaining("set key `installationID`");
    }

    @Test
    void aStoreMovedToALocalPathNeverAsksGitHubsApi(@TempDir Path tmp) throws Exception {
        Path remote = tmp.resolve("state.git");
        dev.kbr.testsupport.Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", remote.toString());
        long answersBefore = hourTokens.answers().size();
        GitCredentials.GitHubApp app = new GitCredentials.GitHubApp(
                APP_ID, INSTALLATION_ID, PemKeys.pkcs1(appKey), hourTokens.url(), "Secret default/github-app");

        try (GitRepoStateStore store = GitRepoStateStore.open(
                GitStoreSettings.of("default", remote.toString(), "main").withCredentials(app))) {
            assertThat(store.read().version()).isEmpty();
        }

        assertThat(hourTokens.answers()).hasSize((int) answersBefore);
    }

    @Test
    void anApiServerSignedByAnUnknownCaSaysToPassCaFile() throws Exception {
        GitHubAppTokens tokens = tokens(hourTokens, INSTALLATION_ID, appKey, false);

        assertThatThrownBy(tokens::token)
                .isInstanceOf(GitHubAppTokens.Failure.class)
                .hasMessageContaining("its TLS certificate is not signed by a CA this machine trusts")
                .hasMessageContaining("pass --ca-file PATH");
    }
}
