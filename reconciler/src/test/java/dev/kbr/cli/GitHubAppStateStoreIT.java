package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.GitHubApiServer;
import dev.kbr.testsupport.GitWork;
import dev.kbr.testsupport.HttpsGitServer;
import dev.kbr.testsupport.HttpsGitServerExtension;
import dev.kbr.testsupport.PemKeys;
import dev.kbr.testsupport.Processes;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GitStateStore with {@code authMethod: githubApp} through the real CLI: a GitHub API server on
 * 127.0.0.1 ({@link GitHubApiServer}, under {@code /api/v3} as GitHub Enterprise Server's) issues
 * an installation token for a JWT signed with the app's key, and a real HTTPS Git server ({@code
 * git http-backend} behind lighttpd, {@link HttpsGitServer}) accepts only {@code
 * x-access-token:<that token>}. Both are trusted through {@code --ca-file}.
 */
class GitHubAppStateStoreIT {
    private static final long APP_ID = 1234567;
    private static final long INSTALLATION_ID = 89012345;
    private static final String TOKEN = "ghs_" + Long.toHexString(System.nanoTime()) + "kbrInstallationToken";

    @RegisterExtension
    static final HttpsGitServerExtension https = new HttpsGitServerExtension("x-access-token", TOKEN);

    private static KeyPair appKey;
    private static GitHubApiServer api;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startApi() throws Exception {
        appKey = PemKeys.generate("RSA");
        api = GitHubApiServer.start(
                https.tls().serverContext(),
                "/api/v3",
                new GitHubApiServer.App(APP_ID, INSTALLATION_ID, appKey.getPublic(), TOKEN, Duration.ofHours(1)));
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    private Path secrets(KeyPair key, long installation) throws Exception {
        return CredentialedPlatform.secretsDir(
                tmp,
                Map.of(
                        "appID", APP_ID + "\n",
                        "installationID", installation + "\n",
                        "privateKey", PemKeys.pkcs1(key)));
    }

    private Processes.Result kbr(String command, Path secrets) throws Exception {
        return kbr(command, secrets, api);
    }

    private Processes.Result kbr(String command, Path secrets, GitHubApiServer githubApi) throws Exception {
        Path platform = CredentialedPlatform.write(
                tmp.resolve("platform"), https.server().url("state.git"), "githubApp");
        return CredentialedPlatform.inProcess(
                command,
                "--platform",
                platform.toString(),
                "--secrets-dir",
                secrets.toString(),
                "--ca-file",
                https.tls().ca().toString(),
                "--github-api-url",
                githubApi.url().toString(),
                "--pipeline-network",
                "none");
    }

    @Test
    void appliesWithAnInstallationTokenAsXAccessTokenAndLeaksNoSecret() throws Exception {
        long issuedBefore = api.issued();
        String key = PemKeys.pkcs1(appKey);

        Processes.Result run = kbr("apply", secrets(appKey, INSTALLATION_ID));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(gitOnServer("ls-tree", "-r", "--name-only", "main")).contains("clusters/dev/dependencies/");
        assertThat(api.issued() - issuedBefore).isGreaterThanOrEqualTo(1);
        assertThat(api.answers().get(api.answers().size() - 1))
                .isEqualTo(new GitHubApiServer.Answer(
                        "/api/v3/app/installations/" + INSTALLATION_ID + "/access_tokens",
                        "application/vnd.github+json",
                        201,
                        ""));
        assertThat(https.server().awaitAccessLog(" x-access-token ", "POST /git/state.git/git-receive-pack", "\" 200 "))
                .isTrue();
        // Neither the token nor the key is anywhere: output, the committed tree (the pipeline's
        // environment and file listing included), the Git server's logs.
        String everything = run.output()
                + gitOnServer("grep", "-h", "-e", ".", "main")
                + https.server().accessLog()
                + https.server().errorLog();
        assertThat(everything).doesNotContain(TOKEN);
        assertThat(everything).doesNotContain(key.lines().toList().get(1));
        System.out.println("GitHubAppStateStoreIT: tokens-issued=" + (api.issued() - issuedBefore) + " commits="
                + gitOnServer("rev-list", "--count", "main").strip() + " token-occurrences=0");
    }

    @Test
    void theShippedJarReadsTheAppKeysFromVariables() throws Exception {
        Path platform = CredentialedPlatform.write(
                tmp.resolve("platform"), https.server().url("state.git"), "githubApp");
        long issuedBefore = api.issued();

        Processes.Result run = CredentialedPlatform.jar(
                tmp,
                Map.of(
                        "KBR_SECRET_DEFAULT_GIT_CREDS_APPID", Long.toString(APP_ID),
                        "KBR_SECRET_DEFAULT_GIT_CREDS_INSTALLATIONID", Long.toString(INSTALLATION_ID),
                        "KBR_SECRET_DEFAULT_GIT_CREDS_PRIVATEKEY", PemKeys.pkcs8(appKey)),
                "plan",
                "--platform",
                platform.toString(),
                "--ca-file",
                https.tls().ca().toString(),
                "--github-api-url",
                api.url() + "/",
                "--pipeline-network",
                "none");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain(TOKEN);
        assertThat(api.issued() - issuedBefore).isGreaterThanOrEqualTo(1);
        assertThat(https.server()
                        .awaitAccessLog(" x-access-token ", "GET /git/state.git/info/refs?service=git-upload-pack"))
                .isTrue();
    }

    @Test
    void aKeyOfAnotherAppIs401NamingTheStoreTheSecretAndTheKeyWithNoSecretPrinted() throws Exception {
        KeyPair other = PemKeys.generate("RSA");

        Processes.Result run = kbr("apply", secrets(other, INSTALLATION_ID));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(Main.ERROR);
        assertThat(run.output())
                .contains("state store `default`")
                .contains("could not get an installation token of GitHub App " + APP_ID + " (installation "
                        + INSTALLATION_ID + ", Secret default/git-creds) from GitHub's API at " + api.url())
                .contains("refused the JSON Web Token signed with key `privateKey` (HTTP 401")
                .contains("put a private key generated in the settings of GitHub App " + APP_ID)
                .doesNotContain(PemKeys.pkcs1(other).lines().toList().get(1))
                .doesNotContain(TOKEN)
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
        System.out.println("GitHubAppStateStoreIT: wrong-key exit=" + run.exitCode() + " message: "
                + run.output()
                        .lines()
                        .filter(l -> l.contains("HTTP 401"))
                        .findFirst()
                        .orElse(""));
    }

    @Test
    void anUnknownInstallationIs404NamingInstallationId() throws Exception {
        Processes.Result run = kbr("plan", secrets(appKey, 77));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(Main.ERROR);
        assertThat(run.output())
                .contains("state store `default`")
                .contains("it knows no installation 77 of GitHub App " + APP_ID + " (HTTP 404 \"Not Found\")")
                .contains("set key `installationID`")
                .doesNotContain("\tat ");
    }

    @Test
    void aTokenTheGitServerRefusesSaysWhatTheInstallationNeeds() throws Exception {
        try (GitHubApiServer stale = GitHubApiServer.start(
                https.tls().serverContext(),
                "",
                new GitHubApiServer.App(
                        APP_ID, INSTALLATION_ID, appKey.getPublic(), "ghs_notTheServersToken", Duration.ofHours(1)))) {
            Processes.Result run = kbr("plan", secrets(appKey, INSTALLATION_ID), stale);

            assertThat(run.exitCode()).as(run.output()).isEqualTo(Main.ERROR);
            assertThat(run.output())
                    .contains("state store `default`")
                    .contains("the server refused the installation token of GitHub App " + APP_ID)
                    .contains("the installation must include this repository")
                    .doesNotContain("ghs_notTheServersToken");
        }
    }

    @Test
    void missingKeysAreNamedTogetherWithTheStoresFileAndLine() throws Exception {
        Path secrets = CredentialedPlatform.secretsDir(tmp, Map.of("appID", Long.toString(APP_ID)));

        Processes.Result run = kbr("plan", secrets);

        assertThat(run.exitCode()).as(run.output()).isEqualTo(Main.ERROR);
        assertThat(run.output())
                .contains("GitStateStore `default` (state-stores/default.yaml:1) has spec.authMethod githubApp, but"
                        + " Secret default/git-creds (spec.secretRef) has no keys `installationID`, `privateKey`")
                .contains("KBR_SECRET_DEFAULT_GIT_CREDS_INSTALLATIONID, KBR_SECRET_DEFAULT_GIT_CREDS_PRIVATEKEY");
    }

    private static String gitOnServer(String... args) throws Exception {
        return https.server().stateRepo(args);
    }

    @Test
    void aGitPlatformOverHttpsIsReadWithAGitHubAppNamedByPlatformSecret() throws Exception {
        // The platform repo is served by the same server, which accepts only the installation token.
        Path work = CredentialedPlatform.write(
                tmp.resolve("platform"), https.server().url("state.git"), "githubApp");
        String commit = GitWork.commitAll(work, "p");
        Path served = GitWork.bareClone(work, https.server().repos().resolve("platform-" + System.nanoTime() + ".git"));
        long issuedBefore = api.issued();

        Processes.Result plan = CredentialedPlatform.inProcess(
                "plan",
                "--platform",
                https.server().url(served.getFileName().toString()),
                "--platform-secret",
                CredentialedPlatform.SECRET_NAMESPACE + "/" + CredentialedPlatform.SECRET_NAME,
                "--secrets-dir",
                secrets(appKey, INSTALLATION_ID).toString(),
                "--ca-file",
                https.tls().ca().toString(),
                "--github-api-url",
                api.url().toString(),
                "--pipeline-network",
                "none");

        assertThat(plan.exitCode()).as(plan.output()).isIn(Main.OK, Main.CHANGES);
        assertThat(plan.output())
                .contains("Platform: " + https.server().url(served.getFileName().toString()) + " at " + commit)
                .doesNotContain(TOKEN);
        assertThat(https.server().awaitAccessLog(" x-access-token ", "/git/" + served.getFileName(), "\" 200 "))
                .isTrue();
        assertThat(api.issued() - issuedBefore)
                .as("the platform repo's token and the state store's")
                .isGreaterThanOrEqualTo(1);
    }
}
