package dev.kbr.bench;

import dev.kbr.model.BucketStateStore;
import dev.kbr.model.PlatformOrigin;
import dev.kbr.model.SecretRef;
import dev.kbr.model.SourceLocation;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.FileChange;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.bucket.BucketSettings;
import dev.kbr.state.bucket.S3StateStore;
import dev.kbr.state.git.GitRepoStateStore;
import dev.kbr.state.git.GitStoreSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For {@code ci/bench}: copies every file of a Git state store (Destination files and kbr's
 * records) into a bucket state store through kbr's own adapters, so that the bucket passes are
 * measured on the state a cold apply wrote without running its thousands of pipelines again.
 *
 * <p>Usage: {@code StateStoreCopy GIT_URL BRANCH http://HOST:PORT BUCKET PREFIX ACCESS_KEY
 * SECRET_KEY STORE_NAME}; prints the number of files and seconds.
 */
public final class StateStoreCopy {
    private StateStoreCopy() {}

    /**
     * @param args see the class's usage
     * @throws Exception when a store cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println(
                    "usage: StateStoreCopy GIT_URL BRANCH ENDPOINT BUCKET PREFIX ACCESS_KEY SECRET_KEY NAME");
            System.exit(2);
        }
        long started = System.nanoTime();
        BucketStateStore bucket = new BucketStateStore(
                        args[7],
                        args[3],
                        new BucketStateStore.Endpoint(args[2], true, false),
                        "",
                        new BucketStateStore.Auth(
                                BucketStateStore.ACCESS_KEY, Optional.of(new SecretRef("default", "x"))),
                        SourceLocation.of("ci/bench"))
                .withUrlFrom(Map.of(args[7], args[2] + "/" + args[3] + (args[4].isEmpty() ? "" : "/" + args[4])));
        String prefix = bucket.path().isEmpty() ? "" : bucket.path() + "/";
        List<FileChange> changes = new ArrayList<>();
        try (GitRepoStateStore git = GitRepoStateStore.open(GitStoreSettings.of(args[7], args[0], args[1]))) {
            StateSnapshot snapshot = git.read();
            for (var file : snapshot.files().entrySet()) {
                changes.add(
                        new FileChange.Added(prefix + file.getKey(), snapshot.read(file.getKey()), file.getValue()));
            }
        }
        BucketSettings settings =
                BucketSettings.from(bucket).withAccessKey(new BucketSettings.AccessKey(args[5], args[6], "ci/bench"));
        try (S3StateStore store = S3StateStore.open(settings)) {
            StateSnapshot base = store.read();
            store.commit(
                    base, new ChangeSet(changes), new PlatformOrigin("ci/bench", Optional.empty(), Optional.empty()));
        }
        System.out.printf("copied %d files in %.1f s%n", changes.size(), (System.nanoTime() - started) / 1e9);
    }
}
