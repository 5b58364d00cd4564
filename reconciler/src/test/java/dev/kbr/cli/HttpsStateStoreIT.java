package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.GitWork;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.RequiredTools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GitStateStore over real HTTPS with basic auth: Debian's {@code git http-backend} as a CGI of
 * a lighttpd with TLS on 127.0.0.1, a test CA and server certificate made by openssl, and a user
 * file required for fetch and push alike. Tools come from {@code ci/setup-git-servers}.
 */
class HttpsStateStoreIT {
    private static final Path LIGHTTPD = Path.of("/usr/sbin/lighttpd");
    private static final Path HTTP_BACKEND = Path.of("/usr/lib/git-core/git-http-backend");
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final String USER = "kbr-bot";
    private static final String PASSWORD = "s3cret-Pa55-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path server;

    private static Process lighttpd;
    private static int port;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        RequiredTools.require("ci/setup-git-servers", LIGHTTPD, HTTP_BACKEND, OPENSSL, Path.of("/usr/bin/git"));
        Path lib = Path.of("/usr/lib/lighttpd");
        RequiredTools.requireFiles(
                "ci/setup-git-servers",
                lib.resolve("mod_openssl.so"),
                lib.resolve("mod_cgi.so"),
                lib.resolve("mod_authn_file.so"));
        // A test CA and a server certificate for 127.0.0.1 signed by it.
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=kbr test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem");
        openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                "server.key",
                "-out",
                "server.csr");
        Files.writeString(server.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        openssl(
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "server.pem");
        Files.createDirectories(server.resolve("repos"));
        Files.createDirectories(server.resolve("www"));
        Processes.check(server, "git", "init", "-q", "--bare", "-b", "main", "repos/state.git");
        Files.writeString(server.resolve("users"), USER + ":" + PASSWORD + "\n");
        port = freePort();
        Files.writeString(server.resolve("lighttpd.conf"), """
                server.modules = ("mod_access", "mod_alias", "mod_auth", "mod_authn_file", "mod_cgi",
                                  "mod_setenv", "mod_openssl", "mod_accesslog")
                server.bind = "127.0.0.1"
                server.port = %d
                server.document-root = "%s/www"
                server.errorlog = "%s/error.log"
                accesslog.filename = "%s/access.log"
                ssl.engine = "enable"
                ssl.pemfile = "%s/server.pem"
                ssl.privkey = "%s/server.key"
                alias.url = ("/git" => "%s")
                $HTTP["url"] =~ "^/git" {
                  cgi.assign = ("" => "")
                  setenv.add-environment = ("GIT_PROJECT_ROOT" => "%s/repos", "GIT_HTTP_EXPORT_ALL" => "")
                  auth.backend = "plain"
                  auth.backend.plain.userfile = "%s/users"
                  auth.require = ("" => ("method" => "basic", "realm" => "kbr", "require" => "valid-user"))
                }
                """.formatted(
                        port, server, server, server, server, server, HTTP_BACKEND, server, server));
        lighttpd = new ProcessBuilder(
                        LIGHTTPD.toString(),
                        "-D",
                        "-f",
                        server.resolve("lighttpd.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(server.resolve("lighttpd.out").toFile())
                .start();
        awaitPort(port, lighttpd, server.resolve("lighttpd.out"));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (lighttpd != null) {
            lighttpd.destroy();
            lighttpd.waitFor(10, TimeUnit.SECONDS);
        }
    }

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
                server.resolve("ca.pem").toString(),
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
                        "GIT_SSL_CAINFO", server.resolve("ca.pem").toString(),
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
                server.resolve("ca.pem").toString(),
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
                server.resolve("ca.pem").toString(),
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
                server.resolve("ca.pem").toString(),
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
        Path served = GitWork.bareClone(work, server.resolve("repos/platform-" + System.nanoTime() + ".git"));
        String platformUrl = "https://127.0.0.1:" + port + "/git/" + served.getFileName();
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
                server.resolve("ca.pem").toString(),
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
                server.resolve("ca.pem").toString());
        Processes.Result noSecret = CredentialedPlatform.inProcess(
                "validate",
                "--platform",
                platformUrl,
                "--ca-file",
                server.resolve("ca.pem").toString());

        assertThat(plan.exitCode()).as(plan.output()).isZero();
        assertThat(plan.output()).contains("Platform: " + platformUrl + " at " + commit + " (main)");
        assertThat(headOrNone()).isEqualTo(head);
        assertThat(inline.exitCode()).as(inline.output()).isEqualTo(Main.ERROR);
        assertThat(inline.output())
                .contains("--platform-ref `no-such-branch` is not a branch, tag or commit of the platform repo https://"
                        + USER + ":***@127.0.0.1:" + port);
        assertThat(noSecret.exitCode()).as(noSecret.output()).isEqualTo(Main.ERROR);
        assertThat(noSecret.output())
                .contains("Tried to read the platform repo " + platformUrl + " (--platform)")
                .contains("the server requires credentials; pass --platform-secret NAMESPACE/NAME")
                .doesNotContain("\tat ");
        assertThat(plan.output() + inline.output() + noSecret.output()).doesNotContain(PASSWORD);
    }

    private static String url() {
        return "https://127.0.0.1:" + port + "/git/state.git";
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
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            boolean found = accessLog()
                    .lines()
                    .anyMatch(l -> java.util.Arrays.stream(parts).allMatch(l::contains));
            if (found || Instant.now().isAfter(deadline)) {
                return found;
            }
            Thread.sleep(200);
        }
    }

    private static String accessLog() throws IOException {
        Path log = server.resolve("access.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String errorLog() throws IOException {
        Path log = server.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String git(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(
                List.of("git", "--git-dir", server.resolve("repos/state.git").toString()));
        command.addAll(List.of(args));
        return Processes.check(server, command.toArray(String[]::new));
    }

    private static String headOrNone() throws Exception {
        Processes.Result head = Processes.run(
                server,
                List.of(
                        "git",
                        "--git-dir",
                        server.resolve("repos/state.git").toString(),
                        "rev-parse",
                        "-q",
                        "--verify",
                        "main"));
        return head.exitCode() == 0 ? head.output().strip() : "(none)";
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        Processes.check(server, command.toArray(String[]::new));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits (at most 20 s) until something listens on 127.0.0.1:port, or the server died. */
    static void awaitPort(int port, Process process, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing listens on 127.0.0.1:" + port + " after 20 s:\n" + Files.readString(log));
    }
}
