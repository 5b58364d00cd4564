package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.GitWork;
import dev.kbr.testsupport.HttpsGitServer;
import dev.kbr.testsupport.HttpsGitServerExtension;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.TestTls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GitStateStore over real HTTPS with basic auth: Debian's {@code git http-backend} as a CGI of
 * a lighttpd with TLS on 127.0.0.1 ({@link HttpsGitServer}), a test CA and server certificate made
 * by openssl ({@link TestTls}), and a user file required for fetch and push alike.
 */
class HttpsStateStoreIT {
    private static final String USER = "kbr-bot";
    private static final String PASSWORD = "s3cret-Pa55-" + Long.toHexString(System.nanoTime());

    @RegisterExtension
    static final HttpsGitServerExtension https = new HttpsGitServerExtension(USER, PASSWORD);

    @TempDir
    Path tmp;

    @Test
    void appliesOverHttpsWithBasicAuthAndCaFileAndLeaksNoCredential() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "basicAuth");
        Path secrets = CredentialedPlatform.secretsDir(tmp, Map.of("username", USER, "password", PASSWORD + "\n"));
        long before = pushRequests();

        Processes.Result first = CredentialedPlatform.inProcess(
                "apply",
                "--platform",
                platform.toString(),
                "--secrets-dir",
                secrets.toString(),
                "--ca-file",
                https.tls().ca().toString(),
                "--pipeline-network",
                "none");

        assertThat(first.exitCode()).as(first.output()).isZero();
        String tree = git("ls-tree", "-r", "--name-only", "main");
        assertThat(tree).contains("clusters/dev/dependencies/");
        long pushes = awaitPushRequestsAbove(before) - before;
        assertThat(pushes).as("receive-pack POSTs in the access log").isGreaterThanOrEqualTo(1);
        assertThat(awaitAccessLog(" " + USER + " ", "POST /git/state.git/git-receive-pack"))
                .isTrue();
        // Nothing anywhere holds the password: output, the committed tree (the pipeline's env and
        // file listing included), the server's logs.
        String everything = first.output() + git("grep", "-h", "-e", ".", "main") + accessLog() + errorLog();
        assertThat(everything).doesNotContain(PASSWORD);
        assertThat(git("grep", "-h", "-e", "PATH=", "main"))
                .as("the pipeline's env was committed")
                .isNotBlank();
        System.out.println("HttpsStateStoreIT: https-receive-pack-posts=" + pushes + " password-occurrences=0"
                + " commits=" + git("rev-list", "--count", "main").strip());
    }

    @Test
    void gitSslCaInfoAndSecretVariablesWorkInTheShippedJar() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "basicAuth");
        String head = headOrNone();

        Processes.Result run = CredentialedPlatform.jar(
                tmp,
                Map.of(
                        "GIT_SSL_CAINFO", https.tls().ca().toString(),
                        "KBR_SECRET_DEFAULT_GIT_CREDS_USERNAME", USER,
                        "KBR_SECRET_DEFAULT_GIT_CREDS_PASSWORD", PASSWORD),
                "plan",
                "--platform",
                platform.toString(),
                "--pipeline-network",
                "none");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain(PASSWORD);
        // plan reads over https (authenticated) and writes nothing.
        assertThat(headOrNone()).isEqualTo(head);
        assertThat(awaitAccessLog(USER + " ", "GET /git/state.git/info/refs?service=git-upload-pack"))
                .isTrue();
    }

    @Test
    void aWrongPasswordIsAClearErrorNamingTheSecret() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "basicAuth");
        String wrong = "not-the-password-" + System.nanoTime();
        Path secrets = CredentialedPlatform.secretsDir(tmp, Map.of("username", USER, "password", wrong));

        Processes.Result run = CredentialedPlatform.inProcess(
                "plan",
                "--platform",
                platform.toString(),
                "--secrets-dir",
                secrets.toString(),
                "--ca-file",
                https.tls().ca().toString(),
                "--pipeline-network",
                "none");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(Main.ERROR);
        assertThat(run.output())
                .contains("state store `default`")
                .contains("refused username `" + USER + "`")
                .contains("Secret default/git-creds")
                .contains("HTTP 401")
                .doesNotContain(wrong)
                .doesNotContain(PASSWORD)
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
        System.out.println("HttpsStateStoreIT: wrong-password exit=" + run.exitCode() + " message: "
                + run.output()
                        .lines()
                        .filter(l -> l.contains("refused"))
                        .findFirst()
                        .orElse(""));
    }

    @Test
    void withoutTheCaTheTlsFailureSaysToPassCaFile() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "basicAuth");
        Path secrets = CredentialedPlatform.secretsDir(tmp, Map.of("username", USER, "password", PASSWORD));

        // The shipped jar with no --ca-file and no GIT_SSL_CAINFO: the JVM's CAs alone.
        Processes.Result run = CredentialedPlatform.jar(
                tmp,
                Map.of(),
                "plan",
                "--platform",
                platform.toString(),
                "--secrets-dir",
                secrets.toString(),
                "--pipeline-network",
                "none");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(Main.ERROR);
        assertThat(run.output())
                .contains("state store `default`")
                .contains("--ca-file PATH (or set GIT_SSL_CAINFO) with the PEM certificate of the CA that signed it")
                .doesNotContain("is in use but did not sign it")
                .doesNotContain(PASSWORD)
                .doesNotContain("\tat ");
        System.out.println("HttpsStateStoreIT: no-ca exit=" + run.exitCode() + " message: "
                + run.output()
                        .lines()
                        .filter(l -> l.contains("--ca-file"))
                        .findFirst()
                        .orElse(""));
    }

    @Test
    void aMissingSecretOrKeyIsAClearError() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "basicAuth");

        Processes.Result noSecret = CredentialedPlatform.inProcess(
                "plan",
                "--platform",
                platform.toString(),
                "--ca-file",
                https.tls().ca().toString(),
                "--pipeline-network",
                "none");
        Path secrets = CredentialedPlatform.secretsDir(tmp, Map.of("username", USER));
        Processes.Result noKey = CredentialedPlatform.inProcess(
                "plan",
                "--platform",
                platform.toString(),
                "--secrets-dir",
                secrets.toString(),
                "--ca-file",
                https.tls().ca().toString(),
                "--pipeline-network",
                "none");

        assertThat(noSecret.exitCode()).as(noSecret.output()).isEqualTo(Main.ERROR);
        assertThat(noSecret.output())
                .contains("GitStateStore `default`")
                .contains("names Secret default/git-creds in spec.secretRef, but no such Secret was given")
                .contains("--secrets-dir DIR")
                .contains("KBR_SECRET_DEFAULT_GIT_CREDS_<KEY>");
        assertThat(noKey.exitCode()).as(noKey.output()).isEqualTo(Main.ERROR);
        assertThat(noKey.output())
                .contains("Secret default/git-creds, which has no key `password`")
                .contains("KBR_SECRET_DEFAULT_GIT_CREDS_PASSWORD")
                .doesNotContain("\tat ");
    }

    @Test
    void readsAGitPlatformOverHttpsWithPlatformSecretAndMasksItsPassword() throws Exception {
        // The platform repo is served by the same server, behind the same basic auth.
        Path work = CredentialedPlatform.write(tmp.resolve("platform"), url(), "basicAuth");
        String commit = GitWork.commitAll(work, "p");
        Path served = GitWork.bareClone(work, https.server().repos().resolve("platform-" + System.nanoTime() + ".git"));
        String platformUrl = "https://127.0.0.1:" + port() + "/git/" + served.getFileName();
        Path secrets = CredentialedPlatform.secretsDir(tmp, Map.of("username", USER, "password", PASSWORD));
        String head = headOrNone();

        Processes.Result plan = CredentialedPlatform.inProcess(
                "plan",
                "--platform",
                platformUrl,
                "--platform-secret",
                CredentialedPlatform.SECRET_NAMESPACE + "/" + CredentialedPlatform.SECRET_NAME,
                "--secrets-dir",
                secrets.toString(),
                "--ca-file",
                https.tls().ca().toString(),
                "--pipeline-network",
                "none");
        // The password in the URL itself (no --platform-secret) is masked wherever the URL is shown.
        Processes.Result inline = CredentialedPlatform.inProcess(
                "validate",
                "--platform",
                platformUrl.replace("https://", "https://" + USER + ":" + PASSWORD + "@"),
                "--platform-ref",
                "no-such-branch",
                "--ca-file",
                https.tls().ca().toString());
        Processes.Result noSecret = CredentialedPlatform.inProcess(
                "validate",
                "--platform",
                platformUrl,
                "--ca-file",
                https.tls().ca().toString());

        assertThat(plan.exitCode()).as(plan.output()).isZero();
        assertThat(plan.output()).contains("Platform: " + platformUrl + " at " + commit + " (main)");
        assertThat(headOrNone()).isEqualTo(head);
        assertThat(inline.exitCode()).as(inline.output()).isEqualTo(Main.ERROR);
        assertThat(inline.output())
                .contains("--platform-ref `no-such-branch` is not a branch, tag or commit of the platform repo https://"
                        + USER + ":***@127.0.0.1:" + port());
        assertThat(noSecret.exitCode()).as(noSecret.output()).isEqualTo(Main.ERROR);
        assertThat(noSecret.output())
                .contains("Tried to read the platform repo " + platformUrl + " (--platform)")
                .contains("the server requires credentials; pass --platform-secret NAMESPACE/NAME")
                .doesNotContain("\tat ");
        assertThat(plan.output() + inline.output() + noSecret.output()).doesNotContain(PASSWORD);
    }

    private static String url() {
        return "https://127.0.0.1:" + port() + "/git/state.git";
    }

    private static int port() {
        return https.server().port();
    }

    private static long pushRequests() throws IOException {
        return accessLog()
                .lines()
                .filter(l -> l.contains("POST /git/state.git/git-receive-pack") && l.contains("\" 200 "))
                .count();
    }

    // lighttpd writes its access log in batches: wait (at most 10 s) for the lines to appear.
    private static long awaitPushRequestsAbove(long before) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        long now = pushRequests();
        while (now <= before && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            now = pushRequests();
        }
        return now;
    }

    private static boolean awaitAccessLog(String... parts) throws Exception {
        return https.server().awaitAccessLog(parts);
    }

    private static String accessLog() throws IOException {
        return https.server().accessLog();
    }

    private static String errorLog() throws IOException {
        return https.server().errorLog();
    }

    private static String git(String... args) throws Exception {
        return https.server().stateRepo(args);
    }

    private static String headOrNone() throws Exception {
        Processes.Result head = Processes.run(
                https.server().repos(),
                List.of(
                        "git",
                        "--git-dir",
                        https.server().repos().resolve("state.git").toString(),
                        "rev-parse",
                        "-q",
                        "--verify",
                        "main"));
        return head.exitCode() == 0 ? head.output().strip() : "(none)";
    }
}
