package dev.kbr.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Git server over HTTPS on 127.0.0.1: Debian's {@code git http-backend} as a CGI of a
 * lighttpd with TLS ({@link TestTls}), serving the bare repositories under {@link #repos()} at
 * {@code /git/<name>}, with HTTP basic authentication of one user required for fetch and push
 * alike. Tools come from {@code ci/setup-git-servers}.
 */
public final class HttpsGitServer implements AutoCloseable {
    private static final Path LIGHTTPD = Path.of("/usr/sbin/lighttpd");
    private static final Path HTTP_BACKEND = Path.of("/usr/lib/git-core/git-http-backend");

    private final Path dir;
    private final Process lighttpd;
    private final int port;

    private HttpsGitServer(Path dir, Process lighttpd, int port) {
        this.dir = dir;
        this.lighttpd = lighttpd;
        this.port = port;
    }

    /**
     * Starts the server with an empty bare repository {@code state.git} (branch {@code main}).
     *
     * @param dir the server's folder: repositories, configuration and logs
     * @param user the only user accepted
     * @param password that user's password
     */
    public static HttpsGitServer start(Path dir, TestTls tls, String user, String password) throws Exception {
        RequiredTools.require("ci/setup-git-servers", LIGHTTPD, HTTP_BACKEND, Path.of("/usr/bin/git"));
        Path lib = Path.of("/usr/lib/lighttpd");
        RequiredTools.requireFiles(
                "ci/setup-git-servers",
                lib.resolve("mod_openssl.so"),
                lib.resolve("mod_cgi.so"),
                lib.resolve("mod_authn_file.so"));
        Files.createDirectories(dir.resolve("repos"));
        Files.createDirectories(dir.resolve("www"));
        Processes.check(dir, "git", "init", "-q", "--bare", "-b", "main", "repos/state.git");
        Files.writeString(dir.resolve("users"), user + ":" + password + "\n");
        int port = freePort();
        Files.writeString(dir.resolve("lighttpd.conf"), """
                server.modules = ("mod_access", "mod_alias", "mod_auth", "mod_authn_file", "mod_cgi",
                                  "mod_setenv", "mod_openssl", "mod_accesslog")
                server.bind = "127.0.0.1"
                server.port = %d
                server.document-root = "%s/www"
                server.errorlog = "%s/error.log"
                accesslog.filename = "%s/access.log"
                ssl.engine = "enable"
                ssl.pemfile = "%s"
                ssl.privkey = "%s"
                alias.url = ("/git" => "%s")
                $HTTP["url"] =~ "^/git" {
                  cgi.assign = ("" => "")
                  setenv.add-environment = ("GIT_PROJECT_ROOT" => "%s/repos", "GIT_HTTP_EXPORT_ALL" => "")
                  auth.backend = "plain"
                  auth.backend.plain.userfile = "%s/users"
                  auth.require = ("" => ("method" => "basic", "realm" => "kbr", "require" => "valid-user"))
                }
                """.formatted(
                        port, dir, dir, dir, tls.certificate(), tls.key(), HTTP_BACKEND, dir, dir));
        Process lighttpd = new ProcessBuilder(
                        LIGHTTPD.toString(),
                        "-D",
                        "-f",
                        dir.resolve("lighttpd.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("lighttpd.out").toFile())
                .start();
        awaitPort(port, lighttpd, dir.resolve("lighttpd.out"));
        return new HttpsGitServer(dir, lighttpd, port);
    }

    /** The port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code https://127.0.0.1:PORT/git/<repo>}. */
    public String url(String repo) {
        return "https://127.0.0.1:" + port + "/git/" + repo;
    }

    /** Where the served bare repositories are. */
    public Path repos() {
        return dir.resolve("repos");
    }

    /** Runs git on the served {@code state.git} and returns its output, failing when git fails. */
    public String stateRepo(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("git", "--git-dir", repos().resolve("state.git").toString()));
        command.addAll(List.of(args));
        return Processes.check(dir, command.toArray(String[]::new));
    }

    /** The access log so far (lighttpd writes it in batches: see {@link #awaitAccessLog}). */
    public String accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The error log so far. */
    public String errorLog() throws IOException {
        Path log = dir.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Whether a line of the access log holds all {@code parts}, waiting for it at most 10 s. */
    public boolean awaitAccessLog(String... parts) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            boolean found =
                    accessLog().lines().anyMatch(l -> Arrays.stream(parts).allMatch(l::contains));
            if (found || Instant.now().isAfter(deadline)) {
                return found;
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws InterruptedException {
        lighttpd.destroy();
        lighttpd.waitFor(10, TimeUnit.SECONDS);
    }

    /** A port free on 127.0.0.1 now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits (at most 20 s) until something listens on 127.0.0.1:port, or the server died. */
    public static void awaitPort(int port, Process process, Path log) throws Exception {
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
