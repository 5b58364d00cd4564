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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A pass reads a file's content from its snapshot long after it listed the bucket (for the diff
 * of a changed file, or recorded content it keeps), and another writer may have committed in
 * between. That must be a stale snapshot, which the engine reads again and retries, as it does
 * when the commit finds the prefix moved, and not an error that fails the pass.
 */
class S3StateStoreStaleReadIT {
    private static final String FILE = "state/worker-0/cm.yaml";
    private static final PlatformOrigin ORIGIN = PlatformOrigin.folder("platform");

    @Test
    void contentAnotherWriterChangedAfterTheReadIsAStaleSnapshotNotAnError() throws Exception {
        try (S3Server server = S3Server.start()) {
            server.createBucket("kratix");
            BucketSettings settings = BucketSettings.from(store(server))
                    .withAccessKey(new BucketSettings.AccessKey(
                            S3Server.ACCESS_KEY_ID, S3Server.SECRET_ACCESS_KEY, "Secret default/s3-credentials"));
            try (S3StateStore first = S3StateStore.open(settings);
                    S3StateStore second = S3StateStore.open(settings)) {
                byte[] v1 = bytes("value: v1\n");
                byte[] v2 = bytes("value: v2\n");
                first.commit(
                        first.read(), new ChangeSet(List.of(new FileChange.Added(FILE, v1, ContentId.of(v1)))), ORIGIN);
                StateSnapshot read = first.read();
                assertThat(read.files()).containsEntry(FILE, ContentId.of(v1));

                CommitResult committed = second.commit(
                        second.read(),
                        new ChangeSet(List.of(new FileChange.Modified(FILE, ContentId.of(v1), v2, ContentId.of(v2)))),
                        ORIGIN);
                String now = ((CommitResult.Committed) committed).version();

                assertThatThrownBy(() -> read.read(FILE))
                        .isInstanceOfSatisfying(StaleStateException.class, e -> {
                            assertThat(e.expectedVersion()).isEqualTo(read.version());
                            assertThat(e.actualVersion()).contains(now);
                        })
                        .hasMessageContaining("object " + FILE + " changed since this pass read the bucket");
                assertThat(first.read().read(FILE)).isEqualTo(v2);
            }
        }
    }

    private static BucketStateStore store(S3Server server) {
        return new BucketStateStore(
                        "default",
                        "placeholder",
                        new BucketStateStore.Endpoint("s3.example.com", false, false),
                        "",
                        new BucketStateStore.Auth(
                                BucketStateStore.ACCESS_KEY, Optional.of(new SecretRef("default", "s3-credentials"))),
                        SourceLocation.of("state-stores/default.yaml"))
                .withUrlFrom(Map.of("default", server.endpoint() + "/kratix/state"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
