package dev.kbr.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.BucketStateStore;
import dev.kbr.model.SecretRef;
import dev.kbr.testsupport.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BucketStateStore documents as Kratix's CRD defines them, and the mistakes kbr reports in them. */
class BucketStateStoreLoadingTest {

    @Test
    void readsKratixsOwnSampleUnchanged(@TempDir Path dir) throws IOException {
        Files.copy(
                SharedFiles.corpus("syntasso/kratix/config/samples/platform_v1alpha1_bucketstatestore.yaml"),
                dir.resolve("store.yaml"));
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics()).isEmpty();
        BucketStateStore store =
                (BucketStateStore) result.platform().stateStores().get(0);
        assertThat(store.name()).isEqualTo("default");
        assertThat(store.bucketName()).isEqualTo("kratix");
        assertThat(store.endpoint())
                .isEqualTo(
                        new BucketStateStore.Endpoint("minio.kratix-platform-system.svc.cluster.local", true, false));
        assertThat(store.path()).isEmpty();
        assertThat(store.auth())
                .isEqualTo(new BucketStateStore.Auth(
                        "accessKey", Optional.of(new SecretRef("default", "minio-credentials"))));
        assertThat(store.displayUrl()).isEqualTo("http://minio.kratix-platform-system.svc.cluster.local/kratix");
    }

    @Test
    void defaultsAsKratixDoes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("s.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: BucketStateStore
                metadata: {name: aws}
                spec:
                  bucketName: b
                  endpoint: s3.eu-west-1.amazonaws.com
                  path: /team-a/state/
                  authMethod: IAM
                """);
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics()).isEmpty();
        BucketStateStore store =
                (BucketStateStore) result.platform().stateStores().get(0);
        assertThat(store.endpoint().insecure()).isFalse();
        assertThat(store.path()).isEqualTo("team-a/state");
        assertThat(store.auth().secretRef()).isEmpty();
        assertThat(store.displayUrl()).isEqualTo("https://s3.eu-west-1.amazonaws.com/b/team-a/state");
    }

    @Test
    void reportsEachMistakeAtItsField(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("s.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: BucketStateStore
                metadata:
                  name: broken
                spec:
                  insecure: "yes"
                  authMethod: oauth
                  path: ../elsewhere
                """);
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics())
                .extracting(Object::toString)
                .containsExactlyInAnyOrder(
                        "s.yaml:5: error: spec.bucketName: is required but missing; name the bucket Kratix writes to,"
                                + " e.g. kratix",
                        "s.yaml:5: error: spec.endpoint: is required but missing; give the S3 server as host or"
                                + " host:port, e.g. minio.example.com:9000",
                        "s.yaml:6: error: spec.insecure: must be true or false, not a string",
                        "s.yaml:8: error: spec.path: \"../elsewhere\" is not a plain relative folder (no \"..\", \".\","
                                + " \"//\", backslashes or control characters inside it); write it as a/b/c",
                        "s.yaml:7: error: spec.authMethod: is \"oauth\"; use accessKey (keys accessKeyID and"
                                + " secretAccessKey of spec.secretRef) or IAM (the S3 client's standard credentials)");
        assertThat(result.platform().stateStores()).isEmpty();
    }

    @Test
    void anAccessKeyNeedsASecret(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("s.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: BucketStateStore
                metadata: {name: s}
                spec: {bucketName: b, endpoint: "minio:9000"}
                """);
        assertThat(PlatformLoader.load(dir).diagnostics())
                .extracting(Object::toString)
                .containsExactly("s.yaml:4: error: spec.secretRef: is required with authMethod accessKey; name the"
                        + " Secret holding accessKeyID and secretAccessKey, or set authMethod: IAM");
    }

    @Test
    void aGitAndABucketStoreMayNotShareAName(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: GitStateStore
                metadata: {name: default}
                spec: {url: /tmp/x}
                """);
        Files.writeString(dir.resolve("b.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: BucketStateStore
                metadata: {name: default}
                spec: {bucketName: b, endpoint: "minio:9000", authMethod: IAM}
                """);
        assertThat(PlatformLoader.load(dir).diagnostics())
                .extracting(Object::toString)
                .containsExactly("b.yaml:3: error: metadata.name: BucketStateStore default is already defined at"
                        + " a.yaml:3 as a GitStateStore; kbr names state stores by name alone (--state-url, reports),"
                        + " so rename one");
    }
}
