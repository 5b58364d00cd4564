package dev.kbr.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for tests: S3Proxy ({@code reconciler/target/s3proxy/s3proxy.jar}, copied there
 * by Maven's {@code process-test-resources}) started as a child process on a free port of
 * 127.0.0.1, with its data in a temporary folder that {@link #close()} deletes.
 *
 * <p>It signs requests as AWS does (SigV2 or SigV4) with one fixed key pair ({@link #ACCESS_KEY_ID},
 * {@link #SECRET_ACCESS_KEY}), and ignores request headers it does not implement (the AWS SDK's
 * {@code x-amz-checksum-*}), as MinIO does.
 *
 * <p>It counts the requests it receives, by method, from S3Proxy's own log of each request it
 * handles ({@link #requests()}), so a test can prove that a pass wrote nothing by the PUTs the
 * server saw, whatever the client retried or batched.
 */
public final class S3Server implements AutoCloseable {
    /** The access key id every request must be signed with ({@code accessKeyID} of a Secret). */
    public static final String ACCESS_KEY_ID = "kbr-test-access";

    /** The secret access key of {@link #ACCESS_KEY_ID} ({@code secretAccessKey} of a Secret). */
    public static final String SECRET_ACCESS_KEY = "kbr-test-secret-key";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final int BIND_ATTEMPTS = 5;
    private static final int LOG_TAIL_LINES = 40;
    private static final String JAR = "reconciler/target/s3proxy/s3proxy.jar";
    // S3ProxyHandler logs this at DEBUG when a request reaches it, before it is authorised or
    // handled, e.g. "request: Request(PUT http://127.0.0.1:40123/kratix/a%20b.yaml)@1b2c3d".
    private static final Pattern REQUEST_LINE = Pattern.compile("^request: Request\\((\\S+) (\\S+)\\)@\\S*$");

    /** Where S3Proxy keeps the objects: the jclouds provider it is started with. */
    public enum Backend {
        /** On disk in the server's temporary folder ({@code filesystem-nio2}, which lists only real objects; the older {@code filesystem} also lists folders). */
        FILESYSTEM_NIO2("filesystem-nio2"),
        /** In the server's memory ({@code transient-nio2}: the same code as on disk, over an in-memory file system). */
        TRANSIENT_NIO2("transient-nio2"),
        /** In the server's memory, with jclouds' own in-memory store ({@code transient}). */
        TRANSIENT("transient");

        private final String provider;

        Backend(String provider) {
            this.provider = provider;
        }

        /** The {@code jclouds.provider} property's value. */
        public String provider() {
            return provider;
        }
    }

    /**
     * One request the server received.
     *
     * @param method the HTTP method, upper case ({@code PUT}, {@code GET}, ...)
     * @param target the raw path and query, as sent ({@code /kratix/a%20b.yaml?x-id=PutObject})
     */
    public record Request(String method, String target) {}

    private final Backend backend;
    private final Path home;
    private final Process process;
    private final int port;
    private final long startMillis;
    private final Path requestLog;
    private long countedFrom;
    private S3Client s3;

    private S3Server(Backend backend, Path home, Process process, int port, long startMillis) {
        this.backend = backend;
        this.home = home;
        this.process = process;
        this.port = port;
        this.startMillis = startMillis;
        this.requestLog = home.resolve("requests.log");
    }

    /** Starts a server on the {@link Backend#FILESYSTEM_NIO2} backend; see {@link #start(Backend)}. */
    public static S3Server start() throws IOException, InterruptedException {
        return start(Backend.FILESYSTEM_NIO2);
    }

    /**
     * Starts S3Proxy on a free port of 127.0.0.1 and waits (at most 20 s) until it answers HTTP.
     * The request counts start at zero once it answers.
     *
     * @throws IllegalStateException when the S3Proxy jar is missing (run {@code mvn
     *     process-test-resources}), or the server does not answer in time or stops while starting;
     *     the message ends with the tail of its log
     */
    public static S3Server start(Backend backend) throws IOException, InterruptedException {
        return start(backend, SharedFiles.repoRoot());
    }

    /** {@link #start(Backend)} with the jar of another checkout, for the test of a missing jar. */
    static S3Server start(Backend backend, Path repoRoot) throws IOException, InterruptedException {
        Path jar = repoRoot.resolve(JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "S3Proxy is missing at " + jar + "; run mvn process-test-resources (or any later phase) in"
                            + " reconciler, which copies it there");
        }
        Path home = Files.createTempDirectory("kbr-s3proxy-");
        try {
            for (int attempt = 1; ; attempt++) {
                int port = freePort();
                Path log = home.resolve("s3proxy.log");
                // A fresh log per attempt: an earlier attempt's bind failure must not count again.
                Files.deleteIfExists(log);
                long started = System.nanoTime();
                Process process = launch(jar, home, port, backend, log);
                try {
                    awaitAnswer(process, port, log, started);
                } catch (BindFailed e) {
                    stop(process);
                    if (attempt < BIND_ATTEMPTS) {
                        continue;
                    }
                    throw new IllegalStateException("S3Proxy could not bind a port of 127.0.0.1 in " + BIND_ATTEMPTS
                            + " attempts; last tried " + port + ":\n" + tail(log));
                } catch (IOException | InterruptedException | RuntimeException e) {
                    stop(process);
                    throw e;
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                S3Server server = new S3Server(backend, home, process, port, millis);
                server.resetCounts();
                return server;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            deleteTree(home);
            throw e;
        }
    }

    private static Process launch(Path jar, Path home, int port, Backend backend, Path log) throws IOException {
        Path data = Files.createDirectories(home.resolve("data"));
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", ACCESS_KEY_ID);
        properties.setProperty("s3proxy.credential", SECRET_ACCESS_KEY);
        // The AWS SDK sends x-amz-checksum-crc32 even when told to send checksums only when
        // required (DeleteObjects requires one); S3Proxy refuses such headers with 501 otherwise.
        properties.setProperty("s3proxy.ignore-unknown-headers", "true");
        properties.setProperty("jclouds.provider", backend.provider());
        properties.setProperty("jclouds.filesystem.basedir", data.toString());
        Path propertiesFile = home.resolve("s3proxy.properties");
        try (var out = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
            properties.store(out, null);
        }
        Path logback = home.resolve("logback.xml");
        Files.writeString(logback, logbackConfiguration(home.resolve("requests.log")), StandardCharsets.UTF_8);
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-Dlogback.configurationFile=" + logback,
                "-jar",
                jar.toString(),
                "--properties",
                propertiesFile.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // S3Proxy's bundled logback.xml reads these; ours does not, but keep them from leaking in.
        builder.environment().keySet().removeIf(key -> key.startsWith("LOG_") || key.startsWith("JETTY_"));
        return builder.start();
    }

    /**
     * The server's logback configuration: its usual log (INFO and up) on stdout, and every
     * request S3ProxyHandler receives as one line in {@code requests}, written before the request
     * is handled and flushed at once, so it is on disk before the client has its answer.
     */
    private static String logbackConfiguration(Path requests) {
        return """
                <configuration>
                  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                    <filter class="ch.qos.logback.classic.filter.ThresholdFilter">
                      <level>INFO</level>
                    </filter>
                    <encoder>
                      <pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} %msg%n</pattern>
                    </encoder>
                  </appender>
                  <appender name="REQUESTS" class="ch.qos.logback.core.FileAppender">
                    <file>REQUESTS_FILE</file>
                    <append>true</append>
                    <immediateFlush>true</immediateFlush>
                    <encoder>
                      <pattern>%msg%n</pattern>
                    </encoder>
                  </appender>
                  <logger name="org.gaul.s3proxy.S3ProxyHandler" level="DEBUG">
                    <appender-ref ref="REQUESTS"/>
                  </logger>
                  <root level="INFO">
                    <appender-ref ref="STDOUT"/>
                  </root>
                </configuration>
                """.replace("REQUESTS_FILE", xmlEscape(requests.toString()));
    }

    private static String xmlEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Thrown inside {@link #start} when S3Proxy stopped because its port was taken meanwhile. */
    private static final class BindFailed extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private static void awaitAnswer(Process process, int port, Path log, long startedNanos)
            throws IOException, InterruptedException, BindFailed {
        long deadline = startedNanos + START_TIMEOUT.toNanos();
        String listening = "127.0.0.1:" + port + "}";
        while (true) {
            if (!process.isAlive()) {
                if (logText(log).contains("Failed to bind")) {
                    throw new BindFailed();
                }
                throw new IllegalStateException("S3Proxy exited with status " + process.exitValue()
                        + " while starting on 127.0.0.1:" + port + ":\n" + tail(log));
            }
            // The log line proves the answer comes from this process, not from another program
            // that took the port after freePort() let it go.
            if (logText(log).contains(listening) && answers(port)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not answer on 127.0.0.1:" + port + " within "
                        + START_TIMEOUT.toSeconds() + " s:\n" + tail(log));
            }
            Thread.sleep(25);
        }
    }

    /** Any HTTP answer to an unsigned {@code GET /} (S3Proxy says 403) means it serves. */
    private static boolean answers(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection)
                    URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
            connection.setConnectTimeout(250);
            connection.setReadTimeout(2_000);
            try {
                return connection.getResponseCode() > 0;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static String logText(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }

    /** The backend it was started with. */
    public Backend backend() {
        return backend;
    }

    /** {@code http://127.0.0.1:PORT}, with no trailing slash. */
    public String endpoint() {
        return "http://" + hostAndPort();
    }

    /** {@code 127.0.0.1:PORT}: a BucketStateStore's {@code spec.endpoint} (no scheme; plain http is {@code insecure: true}). */
    public String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    /** The TCP port it listens on (127.0.0.1 only). */
    public int port() {
        return port;
    }

    /** Milliseconds from launching the JVM until the server first answered HTTP. */
    public long startMillis() {
        return startMillis;
    }

    /** The folder of its configuration, logs and (on {@link Backend#FILESYSTEM_NIO2}) data; deleted by {@link #close()}. */
    public Path home() {
        return home;
    }

    /** The server's log so far (INFO and up), for assertion messages. */
    public String log() throws IOException {
        return logText(home.resolve("s3proxy.log"));
    }

    /**
     * An S3 client for this server, signing with its keys, made once and closed by {@link
     * #close()}. Configured as S3Proxy needs the AWS SDK v2 to be: path-style addresses, region
     * us-east-1, checksums only where an operation requires one, no aws-chunked uploads (S3Proxy
     * would keep {@code Content-Encoding: aws-chunked} as the object's metadata), the JDK's URL
     * connection client.
     */
    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = S3Client.builder()
                    .endpointOverride(URI.create(endpoint()))
                    .region(Region.US_EAST_1)
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .serviceConfiguration(S3Configuration.builder()
                            .chunkedEncodingEnabled(false)
                            .build())
                    .httpClient(UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(5))
                            .socketTimeout(Duration.ofSeconds(30))
                            .build())
                    .build();
        }
        return s3;
    }

    /**
     * Creates a bucket (one PUT, counted like any other request).
     *
     * @throws software.amazon.awssdk.services.s3.model.S3Exception when it exists or the name is
     *     invalid
     */
    public void createBucket(String name) {
        s3().createBucket(b -> b.bucket(name));
    }

    /**
     * Every object under a prefix, listed with ListObjectsV2.
     *
     * @param prefix a raw key prefix ({@code ""} for the whole bucket); {@code worker-1/} lists that
     *     folder
     * @return key → ETag without its quotes (for an object written by one PUT, the lowercase hex MD5
     *     of its bytes), sorted by key
     */
    public SortedMap<String, String> keys(String bucket, String prefix) {
        SortedMap<String, String> keys = new TreeMap<>();
        for (S3Object object : s3().listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix))
                .contents()) {
            keys.put(object.key(), unquote(object.eTag()));
        }
        return keys;
    }

    /**
     * Fetches every object under a folder of the bucket into {@code dir}, as a Flux {@code Bucket}
     * source fetches a bucket into its artifact: object {@code PREFIX/a/b.yaml} becomes {@code
     * dir/a/b.yaml}. Keys ending in {@code /} (folder markers) are skipped.
     *
     * @param prefix the folder ({@code ""} for the whole bucket); a trailing {@code /} is added when
     *     missing
     * @return the written paths relative to {@code dir}, sorted
     * @throws IllegalStateException when a key would land outside {@code dir} ({@code ../x})
     */
    public List<String> download(String bucket, String prefix, Path dir) throws IOException {
        String folder = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        Path root = dir.toAbsolutePath().normalize();
        List<String> written = new ArrayList<>();
        for (String key : keys(bucket, folder).keySet()) {
            String relative = key.substring(folder.length());
            if (relative.isEmpty() || relative.endsWith("/")) {
                continue;
            }
            Path target = root.resolve(relative).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new IllegalStateException("object `" + key + "` of bucket " + bucket
                        + " would be written outside " + root + " (at " + target + ")");
            }
            Files.createDirectories(target.getParent());
            byte[] bytes = s3().getObject(g -> g.bucket(bucket).key(key), ResponseTransformer.toBytes())
                    .asByteArray();
            Files.write(target, bytes);
            written.add(root.relativize(target).toString());
        }
        return written;
    }

    /**
     * Writes this server's keys as kbr's {@code --secrets-dir} reads a Secret: files {@code
     * dir/NAMESPACE/NAME/accessKeyID} and {@code dir/NAMESPACE/NAME/secretAccessKey}, holding the
     * bare values (no newline), as Kubernetes mounts a Secret. The keys are those of a Kratix
     * BucketStateStore's {@code spec.secretRef}.
     *
     * @return {@code dir}
     */
    public Path secretsDir(Path dir, String namespace, String name) throws IOException {
        Path secret = Files.createDirectories(dir.resolve(namespace).resolve(name));
        Files.writeString(secret.resolve("accessKeyID"), ACCESS_KEY_ID, StandardCharsets.UTF_8);
        Files.writeString(secret.resolve("secretAccessKey"), SECRET_ACCESS_KEY, StandardCharsets.UTF_8);
        return dir;
    }

    /**
     * The requests the server received since it started answering or since the last {@link
     * #resetCounts()}, in the order it received them. Each is logged when it reaches S3Proxy's
     * handler, before it is authorised or handled, and is on disk before its answer is sent, so a
     * request whose answer the client has is always here; a request the SDK retried is here once
     * per attempt. Only requests still in flight at the time of the call may be missing.
     */
    public synchronized List<Request> requests() {
        List<Request> requests = new ArrayList<>();
        for (String line : completeLines(countedFrom).lines) {
            Matcher matcher = REQUEST_LINE.matcher(line);
            if (matcher.matches()) {
                URI uri = URI.create(matcher.group(2));
                String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                requests.add(new Request(matcher.group(1), target));
            }
        }
        return requests;
    }

    /** How many {@link #requests()} had this method ({@code "PUT"}, {@code "DELETE"}, ...; any case). */
    public long requestCount(String method) {
        return requests().stream()
                .filter(r -> r.method().equalsIgnoreCase(method))
                .count();
    }

    /** Starts counting again from zero (wait for the requests in flight to end first). */
    public synchronized void resetCounts() {
        countedFrom = completeLines(countedFrom).end;
    }

    private record Lines(List<String> lines, long end) {}

    /** The complete lines of the request log from {@code from}, and where the last one ends. */
    private Lines completeLines(long from) {
        if (!Files.exists(requestLog)) {
            return new Lines(List.of(), from);
        }
        try (RandomAccessFile file = new RandomAccessFile(requestLog.toFile(), "r")) {
            long length = file.length();
            if (length <= from) {
                return new Lines(List.of(), from);
            }
            byte[] bytes = new byte[Math.toIntExact(length - from)];
            file.seek(from);
            file.readFully(bytes);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
            return new Lines(text.lines().toList(), from + end);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read S3Proxy's request log " + requestLog, e);
        }
    }

    private static String unquote(String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }

    /** Stops the server and everything it started, and deletes its folder. */
    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
        stop(process);
        deleteTree(home);
    }

    private static void stop(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle descendant : descendants) {
                if (descendant.isAlive()) {
                    descendant.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete S3Proxy's folder " + root, e);
        }
    }
}
