package dev.kbr.state.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.model.BucketStateStore;
import dev.kbr.model.SecretRef;
import dev.kbr.model.SourceLocation;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code --state-url NAME=URL} for a bucket: another bucket and prefix, and maybe another server. */
class BucketStateStoreUrlTest {
    private static final BucketStateStore STORE = new BucketStateStore(
            "minio-store",
            "kratix",
            new BucketStateStore.Endpoint("minio.kratix-platform-system.svc.cluster.local", true, false),
            "",
            new BucketStateStore.Auth("accessKey", Optional.of(new SecretRef("default", "minio-credentials"))),
            SourceLocation.of("state-stores/minio.yaml"));

    @Test
    void anS3UrlKeepsTheServer() {
        BucketStateStore moved = STORE.withUrlFrom(Map.of("minio-store", "s3://ci-bucket/run-42/"));
        assertThat(moved.bucketName()).isEqualTo("ci-bucket");
        assertThat(moved.path()).isEqualTo("run-42");
        assertThat(moved.endpoint()).isEqualTo(STORE.endpoint());
        assertThat(moved.auth()).isEqualTo(STORE.auth());
    }

    @Test
    void aPathStyleUrlNamesTheServerToo() {
        BucketStateStore moved = STORE.withUrlFrom(Map.of("minio-store", "http://127.0.0.1:9000/kratix"));
        assertThat(moved.endpoint()).isEqualTo(new BucketStateStore.Endpoint("127.0.0.1:9000", true, false));
        assertThat(moved.bucketName()).isEqualTo("kratix");
        assertThat(moved.path()).isEmpty();
        assertThat(moved.displayUrl()).isEqualTo("http://127.0.0.1:9000/kratix");
        assertThat(STORE.withUrlFrom(Map.of("minio-store", "https://s3.example.com/bkt/a/b"))
                        .displayUrl())
                .isEqualTo("https://s3.example.com/bkt/a/b");
    }

    @Test
    void otherStoresAndOtherFormsAreLeftOrRefused() {
        assertThat(STORE.withUrlFrom(Map.of("default", "s3://x"))).isSameAs(STORE);
        for (String bad : new String[] {
            "/tmp/state.git", "s3://", "http://127.0.0.1:9000/", "s3://b/../x", "ftp://h/b", "s3://UPPER/x", "s3://ab"
        }) {
            assertThatThrownBy(() -> STORE.withUrlFrom(Map.of("minio-store", bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--state-url minio-store=" + bad + ": minio-store is a BucketStateStore;"
                            + " give s3://BUCKET[/PREFIX] or http(s)://HOST[:PORT]/BUCKET[/PREFIX]");
        }
        for (String secret : new String[] {"http://acc:SECRET@127.0.0.1:9000/kratix", "s3://acc:SECRET@kratix/p"}) {
            assertThatThrownBy(() -> STORE.withUrlFrom(Map.of("minio-store", secret)))
                    .as(secret)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("SECRET")
                    .hasMessageContaining("acc:***@")
                    .hasMessageContaining("no credentials, which come from spec.secretRef");
        }
    }
}
