package dev.kbr.state.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.model.BucketStateStore;
import dev.kbr.model.PlatformOrigin;
import dev.kbr.model.SecretRef;
import dev.kbr.model.SourceLocation;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.ContentId;
import dev.kbr.state.FileChange;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.StateSnapshot;
import dev.kbr.testsupport.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The bucket adapter alone against a real S3 server: what it reads, the order of its writes, when
 * it refuses a change set as stale, and that it leaves no lease behind.
 */
class S3StateStoreIT {
    private static final PlatformOrigin ORIGIN = new PlatformOrigin("test", Optional.empty(), Optional.empty());
    private static S3Server server;
    private static int prefixes;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start(S3Server.Backend.TRANSIENT);
        server.createBucket("kratix");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static S3StateStore open(String name, String prefix) throws IOException {
        BucketStateStore store = new BucketStateStore(
                name,
                "kratix",
                new BucketStateStore.Endpoint(server.hostAndPort(), true, false),
                prefix,
                new BucketStateStore.Auth("accessKey", Optional.of(new SecretRef("default", "keys"))),
                SourceLocation.of("test"));
        return S3StateStore.open(BucketSettings.from(store)
                .withLeaseTtl(java.time.Duration.ofSeconds(4))
                .withAccessKey(new BucketSettings.AccessKey(
                        S3Server.ACCESS_KEY_ID, S3Server.SECRET_ACCESS_KEY, "Secret default/keys")));
    }

    private static String freshPrefix() {
        return "p" + (++prefixes);
    }

    private static FileChange added(String path, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new FileChange.Added(path, bytes, ContentId.of(bytes));
    }

    private static FileChange modified(StateSnapshot base, String path, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new FileChange.Modified(path, base.files().get(path), bytes, ContentId.of(bytes));
    }

    @Test
    void writesObjectsThenDeletionsThenRecordsAndReadsThemBack() throws Exception {
        String p = freshPrefix();
        try (S3StateStore store = open("default", p)) {
            StateSnapshot empty = store.read();
            assertThat(empty.version()).isEmpty();
            CommitResult first = store.commit(
                    empty,
                    new ChangeSet(List.of(
                            added(p + "/w/dependencies/a.yaml", "a: 1\n"),
                            added(p + "/w/resources/b.yaml", "b: 1\n"),
                            added(p + "/.kbr/works/x.json", "{\"x\":1}\n"))),
                    ORIGIN);
            StateSnapshot one = store.read();
            assertThat(one.version()).contains(((CommitResult.Committed) first).version());
            assertThat(one.files().keySet())
                    .containsExactly(p + "/.kbr/works/x.json", p + "/w/dependencies/a.yaml", p + "/w/resources/b.yaml");
            assertThat(new String(one.read(p + "/.kbr/works/x.json"), StandardCharsets.UTF_8))
                    .isEqualTo("{\"x\":1}\n");
            assertThat(server.keys("kratix", p + "/"))
                    .containsOnlyKeys(
                            p + "/.kbr/records/default.tar.gz",
                            p + "/w/dependencies/a.yaml",
                            p + "/w/resources/b.yaml");

            server.resetCounts();
            store.commit(
                    one,
                    new ChangeSet(List.of(
                            modified(one, p + "/w/resources/b.yaml", "b: 2\n"),
                            new FileChange.Deleted(
                                    p + "/w/dependencies/a.yaml", one.files().get(p + "/w/dependencies/a.yaml")),
                            modified(one, p + "/.kbr/works/x.json", "{\"x\":2}\n"))),
                    ORIGIN);
            List<String> writes = new ArrayList<>();
            for (S3Server.Request request : server.requests()) {
                String target = request.target();
                if (target.contains("/" + p + "/")
                        && !target.contains("/.kbr/lease")
                        && !target.contains("/.kbr/probe-")
                        && (request.method().equals("PUT")
                                || request.method().equals("POST")
                                || request.method().equals("DELETE"))) {
                    writes.add(request.method() + " "
                            + target.replaceAll("\\?.*", "").replaceAll(".*/" + p + "/", ""));
                }
            }
            // DeleteObjects is a POST to the bucket (?delete), so it names no key.
            List<String> bucketPosts = server.requests().stream()
                    .filter(r -> r.method().equals("POST"))
                    .map(S3Server.Request::target)
                    .toList();
            assertThat(writes).containsExactly("PUT w/resources/b.yaml", "PUT .kbr/records/default.tar.gz");
            assertThat(bucketPosts).hasSize(1).allSatisfy(t -> assertThat(t).contains("delete"));
            int putObject = indexOf(server.requests(), "PUT", "/w/resources/b.yaml");
            int post = indexOf(server.requests(), "POST", "delete");
            int records = indexOf(server.requests(), "PUT", "/.kbr/records/default.tar.gz");
            assertThat(putObject).isLessThan(post);
            assertThat(post).isLessThan(records);
            assertThat(server.keys("kratix", p + "/.kbr/")).containsOnlyKeys(p + "/.kbr/records/default.tar.gz");
            System.out.println("S3StateStoreIT: order=objects<deletions<records requests="
                    + server.requests().size() + " lease-left=false");
        }
    }

    private static int indexOf(List<S3Server.Request> requests, String method, String part) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).method().equals(method)
                    && requests.get(i).target().contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no " + method + " " + part + " in " + requests);
    }

    @Test
    void aChangeToItsRecordsOrToAPathItWritesIsStaleButAnotherStoresObjectIsNot() throws Exception {
        String p = freshPrefix();
        try (S3StateStore store = open("default", p);
                S3StateStore neighbour = open("minio-store", p)) {
            store.commit(store.read(), new ChangeSet(List.of(added(p + "/a/x.yaml", "x: 1\n"))), ORIGIN);
            StateSnapshot base = store.read();

            // Another store in the same bucket and prefix writes its own Destination.
            neighbour.commit(neighbour.read(), new ChangeSet(List.of(added(p + "/b/y.yaml", "y: 1\n"))), ORIGIN);
            assertThat(store.read().version()).isNotEqualTo(base.version());
            store.commit(base, new ChangeSet(List.of(modified(base, p + "/a/x.yaml", "x: 2\n"))), ORIGIN);
            StateSnapshot after = store.read();
            assertThat(after.files()).containsKeys(p + "/a/x.yaml", p + "/b/y.yaml");
            assertThat(new String(after.read(p + "/a/x.yaml"), StandardCharsets.UTF_8))
                    .isEqualTo("x: 2\n");

            // A hand edit of a path the change set writes makes it stale; nothing is written.
            server.s3().putObject(r -> r.bucket("kratix").key(p + "/a/x.yaml"), RequestBody.fromString("edited\n"));
            assertThatThrownBy(() -> store.commit(
                            after, new ChangeSet(List.of(modified(after, p + "/a/x.yaml", "x: 3\n"))), ORIGIN))
                    .isInstanceOf(StaleStateException.class)
                    .hasMessageContaining(p + "/a/x.yaml changed");
            assertThat(new String(store.read().read(p + "/a/x.yaml"), StandardCharsets.UTF_8))
                    .isEqualTo("edited\n");

            // Another writer of the same store (its records moved) makes it stale too.
            StateSnapshot mine = store.read();
            try (S3StateStore other = open("default", p)) {
                StateSnapshot theirs = other.read();
                other.commit(theirs, new ChangeSet(List.of(added(p + "/.kbr/works/t.json", "{}\n"))), ORIGIN);
            }
            assertThatThrownBy(() -> store.commit(mine, new ChangeSet(List.of(added(p + "/a/z.yaml", "z\n"))), ORIGIN))
                    .isInstanceOf(StaleStateException.class)
                    .hasMessageContaining("another writer changed this store's records");
            assertThat(server.keys("kratix", p + "/")).doesNotContainKey(p + "/a/z.yaml");
            assertThat(server.keys("kratix", p + "/.kbr/"))
                    .containsOnlyKeys(p + "/.kbr/records/default.tar.gz", p + "/.kbr/records/minio-store.tar.gz");
        }
    }

    @Test
    void aLeftLeaseBlocksUntilItExpiresByTheServersClock() throws Exception {
        String p = freshPrefix();
        String lease = p + "/.kbr/lease";
        server.s3()
                .putObject(
                        r -> r.bucket("kratix").key(lease),
                        RequestBody.fromString("holder: a killed kbr\nnonce: 1\nttlSeconds: 3\n"));
        try (S3StateStore store = open("default", p)) {
            long started = System.nanoTime();
            store.commit(store.read(), new ChangeSet(List.of(added(p + "/a/x.yaml", "x\n"))), ORIGIN);
            double waited = (System.nanoTime() - started) / 1e9;
            // Expiry is judged with whole-second Last-Modified times plus a second of margin.
            assertThat(waited).isGreaterThan(2.0);
            assertThat(server.keys("kratix", p + "/"))
                    .containsKey(p + "/a/x.yaml")
                    .doesNotContainKey(lease);
            System.out.println("S3StateStoreIT: expired-lease-taken-over-after=" + String.format("%.1f", waited) + "s");
        }
    }

    @Test
    void objectsWrittenByOthersAreReadOnceAndKeepTheirBytes() throws Exception {
        String p = freshPrefix();
        Map<String, String> kratix = Map.of(p + "/w/resources/r.yaml", "kind: ConfigMap\n", p + "/w/README", "hello\n");
        kratix.forEach(
                (key, text) -> server.s3().putObject(r -> r.bucket("kratix").key(key), RequestBody.fromString(text)));
        try (S3StateStore store = open("default", p)) {
            StateSnapshot snapshot = store.read();
            assertThat(snapshot.files()).hasSize(2);
            kratix.forEach((key, text) -> assertThat(snapshot.files().get(key))
                    .isEqualTo(ContentId.of(text.getBytes(StandardCharsets.UTF_8))));
        }
    }
}
