package dev.kbr.state.git;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} on 127.0.0.1 serving every repository under a base directory over
 * {@code git://}, with pushes enabled. Started as a child process; {@link #close()} stops it and
 * any connection handlers it forked.
 */
public final class GitDaemon implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final int port;

    private GitDaemon(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a daemon exporting {@code basePath}, waits until it accepts connections.
     *
     * @param home an empty directory used as {@code HOME}
     */
    public static GitDaemon start(Path basePath, Path home) throws IOException, InterruptedException {
        // Run the daemon binary itself (not through the `git` wrapper) so stopping the process
        // we hold stops the daemon.
        Path daemon = Path.of(new GitCli(home).line(basePath, "--exec-path"), "git-daemon");
        int port = freePort();
        Path log = Files.createTempFile(home, "git-daemon-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        daemon.toString(),
                        "--reuseaddr",
                        "--listen=127.0.0.1",
                        "--port=" + port,
                        "--base-path=" + basePath,
                        "--export-all",
                        "--enable=receive-pack",
                        basePath.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        GitCli.isolate(builder.environment(), home);
        Process process = builder.start();
        GitDaemon started = new GitDaemon(process, port);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!accepts(port)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                started.close();
                throw new IOException("git daemon did not start on 127.0.0.1:" + port + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
        return started;
    }

    /** {@code git://127.0.0.1:<port>/<repository>}. */
    public String url(String repository) {
        return "git://127.0.0.1:" + port + "/" + repository;
    }

    /**
     * Waits until the daemon serves no connection: every handler it forked (and the {@code git
     * receive-pack} or {@code upload-pack} each runs) has ended. A client killed mid-push leaves its
     * server side running for a while; it may still move the pushed objects into the repository
     * and update the ref after the client is gone, so a reader that must see a settled repository
     * waits for this first.
     *
     * @throws IllegalStateException when a handler is still running after {@code timeout}
     */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<ProcessHandle> handlers = process.descendants().toList();
            if (handlers.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("git daemon still serves after " + timeout + ": "
                        + handlers.stream()
                                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                                .toList());
            }
            Thread.sleep(20);
        }
    }

    /** A port on 127.0.0.1 that nothing listens on (at the time of the call). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroy);
    }
}
