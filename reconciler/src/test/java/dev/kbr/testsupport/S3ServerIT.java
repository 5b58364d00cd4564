package dev.kbr.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The S3 server the bucket tests use: S3Proxy as a child process, and how it counts requests. */
class S3ServerIT {
    @ParameterizedTest
    @EnumSource(S3Server.Backend.class)
    void storesObjectsAndRefusesACreateOnlyPutOfAnExistingKey(S3Server.Backend backend) throws Exception {
        try (S3Server server = S3Server.start(backend)) {
            System.out.println("S3ServerIT: backend=" + backend.provider() + " start-ms=" + server.startMillis());
            server.createBucket("kratix");
            var s3 = server.s3();
            var put = s3.putObject(p -> p.bucket("kratix").key("worker-1/app.yaml"), RequestBody.fromString("hello\n"));
            assertThat(put.eTag()).isEqualTo("\"" + md5("hello\n") + "\"");
            String read = s3.getObject(g -> g.bucket("kratix").key("worker-1/app.yaml"), ResponseTransformer.toBytes())
                    .asUtf8String();
            assertThat(read).isEqualTo("hello\n");

            assertThatThrownBy(() -> s3.putObject(
                            p -> p.bucket("kratix").key("worker-1/app.yaml").ifNoneMatch("*"),
                            RequestBody.fromString("other\n")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            s3.putObject(
                    p -> p.bucket("kratix").key("worker-1/new.yaml").ifNoneMatch("*"), RequestBody.fromString("new\n"));

            assertThat(server.keys("kratix", ""))
                    .containsExactly(
                            Map.entry("worker-1/app.yaml", md5("hello\n")),
                            Map.entry("worker-1/new.yaml", md5("new\n")));
            var head = s3.headObject(h -> h.bucket("kratix").key("worker-1/app.yaml"));
            assertThat(head.contentEncoding())
                    .as("no aws-chunked left on the object")
                    .isNull();
        }
    }

    @Test
    void countsEveryRequestTheServerReceivedByMethod() throws Exception {
        int objects = 40;
        try (S3Server server = S3Server.start()) {
            assertThat(server.requests())
                    .as("counting starts at zero once it answers")
                    .isEmpty();
            server.createBucket("kratix");
            assertThat(server.requests()).containsExactly(new S3Server.Request("PUT", "/kratix"));
            server.resetCounts();

            var s3 = server.s3();
            for (int i = 0; i < objects; i++) {
                String key = "seq/o" + i + ".yaml";
                s3.putObject(p -> p.bucket("kratix").key(key), RequestBody.fromString("n: " + key + "\n"));
            }
            assertThat(server.requestCount("PUT")).isEqualTo(objects);
            assertThat(server.requestCount("put")).isEqualTo(objects);
            assertThat(server.requestCount("GET")).isZero();

            // Concurrent writers: every request is counted once, whatever the interleaving.
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> writes = new ArrayList<>();
                for (int i = 0; i < objects; i++) {
                    String key = "par/o" + i + ".yaml";
                    writes.add(pool.submit(
                            () -> s3.putObject(p -> p.bucket("kratix").key(key), RequestBody.fromString(key))));
                }
                for (Future<?> write : writes) {
                    write.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(server.requestCount("PUT")).isEqualTo(2L * objects);

            server.resetCounts();
            assertThat(server.keys("kratix", "seq/")).hasSize(objects);
            s3.headObject(h -> h.bucket("kratix").key("seq/o1.yaml"));
            s3.deleteObjects(d -> d.bucket("kratix")
                    .delete(x -> x.objects(
                            ObjectIdentifier.builder().key("seq/o1.yaml").build(),
                            ObjectIdentifier.builder().key("seq/o2.yaml").build())));
            s3.deleteObject(d -> d.bucket("kratix").key("seq/o3.yaml"));
            assertThat(server.requests())
                    .extracting(S3Server.Request::method)
                    .containsExactly("GET", "HEAD", "POST", "DELETE");
            assertThat(server.requests().get(0).target()).startsWith("/kratix?").contains("list-type=2");
            assertThat(server.requestCount("PUT")).isZero();
            System.out.println("S3ServerIT: counted PUTs sequential=" + objects + " concurrent(8 threads)=" + objects
                    + ", then list/head/delete-objects/delete = "
                    + server.requests().size() + " requests");
        }
    }

    @Test
    void downloadsAFolderAsAFluxBucketSourceWould(@TempDir Path tmp) throws Exception {
        try (S3Server server = S3Server.start(S3Server.Backend.TRANSIENT_NIO2)) {
            server.createBucket("kratix");
            var s3 = server.s3();
            s3.putObject(p -> p.bucket("kratix").key("worker-1/dependencies/a.yaml"), RequestBody.fromString("a: 1\n"));
            s3.putObject(p -> p.bucket("kratix").key("worker-1/resources/ns/b.yaml"), RequestBody.fromString("b: 2\n"));
            s3.putObject(p -> p.bucket("kratix").key("worker-10/c.yaml"), RequestBody.fromString("c: 3\n"));

            List<String> written = server.download("kratix", "worker-1", tmp.resolve("out"));

            assertThat(written).containsExactly("dependencies/a.yaml", "resources/ns/b.yaml");
            assertThat(tmp.resolve("out/resources/ns/b.yaml")).hasContent("b: 2");
            assertThat(tmp.resolve("out/c.yaml")).doesNotExist();
            assertThat(server.download("kratix", "", tmp.resolve("all"))).hasSize(3);
        }
    }

    @Test
    void writesItsKeysAsAMountedSecret(@TempDir Path tmp) throws Exception {
        try (S3Server server = S3Server.start(S3Server.Backend.TRANSIENT_NIO2)) {
            Path dir = server.secretsDir(tmp.resolve("secrets"), "default", "minio-credentials");
            assertThat(Files.readString(dir.resolve("default/minio-credentials/accessKeyID")))
                    .isEqualTo(S3Server.ACCESS_KEY_ID);
            assertThat(Files.readString(dir.resolve("default/minio-credentials/secretAccessKey")))
                    .isEqualTo(S3Server.SECRET_ACCESS_KEY);
            assertThat(server.endpoint()).isEqualTo("http://" + server.hostAndPort());
            assertThat(server.hostAndPort()).isEqualTo("127.0.0.1:" + server.port());
        }
    }

    @Test
    void closeStopsTheServerAndFreesItsPort() throws Exception {
        S3Server server = S3Server.start();
        int port = server.port();
        Path home = server.home();
        server.createBucket("kratix");
        List<ProcessHandle> s3proxy = ProcessHandle.current()
                .children()
                .filter(child -> child.info().commandLine().orElse("").contains("s3proxy.jar"))
                .toList();
        assertThat(s3proxy).hasSize(1);
        server.close();

        assertThat(home).doesNotExist();
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
        assertThat(s3proxy.get(0).isAlive()).as("S3Proxy still running").isFalse();
    }

    @Test
    void saysHowToGetTheJarWhenItIsMissing(@TempDir Path tmp) {
        assertThatThrownBy(() -> S3Server.start(S3Server.Backend.TRANSIENT_NIO2, tmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        tmp.resolve("reconciler/target/s3proxy/s3proxy.jar").toString())
                .hasMessageContaining("run mvn process-test-resources");
    }

    private static String md5(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
