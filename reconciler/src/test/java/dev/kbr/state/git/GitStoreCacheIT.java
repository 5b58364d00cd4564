package dev.kbr.state.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.ContentId;
import dev.kbr.state.FileChange;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.StateSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GitRepoStateStore} with a kept scratch directory (the cache between runs) and shallow
 * fetches, against repositories made and checked with the {@code git} command line, over local
 * paths, {@code file://} and a real {@code git daemon} on 127.0.0.1.
 */
@Timeout(120)
class GitStoreCacheIT {
    private static final String STORE = "default";
    private static final String MAIN = "main";

    @TempDir
    Path tmp;

    private GitCli git;
    private Path home;
    private Path served;
    private final List<GitRepoStateStore> stores = new ArrayList<>();
    private GitDaemon daemon;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectory(tmp.resolve("home"));
        served = Files.createDirectory(tmp.resolve("served"));
        git = new GitCli(home);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (GitRepoStateStore store : stores) {
            store.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void secondRunWithTheSameCacheFetchesNothingAndThirdFetchesOnlyWhatIsNew() throws IOException {
        Path remote = git.initBare(served.resolve("state.git"), MAIN);
        Path work = tmp.resolve("work");
        Map<String, String> files = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            files.put(String.format("worker-%d/resources/r-%03d.yaml", i % 3, i), "index: " + i + "\n");
        }
        String seeded = git.seed(work, remote, MAIN, files);
        Path cache = tmp.resolve("cache");
        GitStoreSettings settings =
                GitStoreSettings.of(STORE, remote.toString(), MAIN).withScratchDirectory(cache);

        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            assertThat(store.read().version()).contains(seeded);
        }
        Path local = cache.resolve(ScratchRepository.DIRECTORY);
        List<Path> packsAfterFirst = packs(local);
        long objectsAfterFirst = objectCount(local);

        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            StateSnapshot again = store.read();
            assertThat(again.version()).contains(seeded);
            assertThat(again.files()).isEqualTo(git.blobIds(remote, MAIN));
            assertThat(again.read("worker-1/resources/r-001.yaml"))
                    .isEqualTo("index: 1\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(packs(local)).as("nothing fetched").isEqualTo(packsAfterFirst);

        // Someone else changes one file: the next run sees it and fetches a few objects only.
        Files.writeString(work.resolve("worker-1/resources/r-001.yaml"), "index: one\n");
        git.run(work, "commit", "-q", "-am", "change one");
        git.run(work, "push", "-q", remote.toString(), MAIN);
        String moved = git.line(remote, "rev-parse", MAIN);
        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            StateSnapshot third = store.read();
            assertThat(third.version()).contains(moved);
            assertThat(third.files()).isEqualTo(git.blobIds(remote, MAIN));
            assertThat(third.read("worker-1/resources/r-001.yaml"))
                    .isEqualTo("index: one\n".getBytes(StandardCharsets.UTF_8));
        }
        // The new commit, its root tree, two trees on the way and the one blob.
        assertThat(objectCount(local) - objectsAfterFirst).isBetween(1L, 10L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"path", "file", "git"})
    void fetchesOnlyTheHeadAndStillCommitsWithCompareAndSwap(String transport) throws Exception {
        Path remote = git.initBare(served.resolve("state.git"), MAIN);
        Path work = tmp.resolve("work");
        git.seed(work, remote, MAIN, Map.of("old.yaml", "old\n", "keep.yaml", "keep\n"));
        String oldBlob = git.line(remote, "rev-parse", "main:old.yaml");
        git.run(work, "rm", "-q", "old.yaml");
        Files.writeString(work.resolve("new.yaml"), "new\n");
        git.run(work, "add", "new.yaml");
        git.run(work, "commit", "-q", "-m", "second");
        git.run(work, "push", "-q", remote.toString(), MAIN);
        String head = git.line(remote, "rev-parse", MAIN);
        String url = url(transport, remote);

        GitRepoStateStore first = open(GitStoreSettings.of(STORE, url, MAIN).withScratchDirectory(tmp.resolve("c1")));
        GitRepoStateStore second = open(GitStoreSettings.of(STORE, url, MAIN).withScratchDirectory(tmp.resolve("c2")));
        StateSnapshot firstBase = first.read();
        StateSnapshot secondBase = second.read();
        assertThat(firstBase.version()).contains(head);
        assertThat(firstBase.files()).containsOnlyKeys("keep.yaml", "new.yaml");

        // Shallow: the head is a boundary and the history behind it was not downloaded.
        Path local = tmp.resolve("c1").resolve(ScratchRepository.DIRECTORY);
        assertThat(Files.readString(local.resolve("shallow")).strip()).isEqualTo(head);
        assertThat(git.exitCode(local, "cat-file", "-e", oldBlob)).isNotZero();

        CommitResult won = first.commit(firstBase, changes(added(first, "first.yaml", "1\n")), "first");
        String winner = ((CommitResult.Committed) won).version();
        assertThat(git.line(remote, "rev-parse", "main^")).isEqualTo(head);
        assertThat(git.line(remote, "rev-list", "--count", MAIN)).isEqualTo("3");

        StaleStateException stale = catchThrowableOfType(
                StaleStateException.class,
                () -> second.commit(secondBase, changes(added(second, "second.yaml", "2\n")), "second"));
        assertThat(stale.expectedVersion()).contains(head);
        assertThat(stale.actualVersion()).contains(winner);
        assertThat(git.line(remote, "rev-parse", MAIN)).isEqualTo(winner);

        // The loser reads again (an incremental fetch into its shallow repository) and retries.
        StateSnapshot fresh = second.read();
        assertThat(fresh.version()).contains(winner);
        CommitResult retried = second.commit(fresh, changes(added(second, "second.yaml", "2\n")), "second");
        assertThat(git.line(remote, "rev-parse", "main^")).isEqualTo(winner);
        assertThat(git.line(remote, "rev-parse", MAIN)).isEqualTo(((CommitResult.Committed) retried).version());
        assertThat(git.blobIds(remote, MAIN)).containsOnlyKeys("first.yaml", "keep.yaml", "new.yaml", "second.yaml");
        assertThat(git.line(remote, "rev-list", "--count", MAIN)).isEqualTo("4");
        assertThat(git.exitCode(remote, "fsck", "--full", "--strict")).isZero();
    }

    @Test
    void aCacheMadeForAnotherUrlIsStartedOverAndNoneOfItsHistoryIsPushed() throws IOException {
        Path one = git.initBare(served.resolve("one.git"), MAIN);
        String oneHead = git.seed(tmp.resolve("w1"), one, MAIN, Map.of("one.yaml", "one\n"));
        Path two = git.initBare(served.resolve("two.git"), MAIN);
        String twoHead = git.seed(tmp.resolve("w2"), two, MAIN, Map.of("two.yaml", "two\n"));
        Path cache = tmp.resolve("cache");

        try (GitRepoStateStore store = GitRepoStateStore.open(
                GitStoreSettings.of(STORE, one.toString(), MAIN).withScratchDirectory(cache))) {
            StateSnapshot base = store.read();
            store.commit(base, changes(added(store, "from-one.yaml", "1\n")), "on one");
        }
        String oneCommitted = git.line(one, "rev-parse", MAIN);

        try (GitRepoStateStore store = GitRepoStateStore.open(
                GitStoreSettings.of(STORE, two.toString(), MAIN).withScratchDirectory(cache))) {
            StateSnapshot base = store.read();
            assertThat(base.version()).contains(twoHead);
            assertThat(base.files()).containsOnlyKeys("two.yaml");
            store.commit(base, changes(added(store, "from-two.yaml", "2\n")), "on two");
        }

        // The cache was started over: nothing of the first remote is left in it.
        Path local = cache.resolve(ScratchRepository.DIRECTORY);
        assertThat(git.exitCode(local, "cat-file", "-e", oneHead)).isNotZero();
        assertThat(git.blobIds(two, MAIN)).containsOnlyKeys("from-two.yaml", "two.yaml");
        assertThat(git.line(two, "rev-list", "--count", MAIN)).isEqualTo("2");
        for (String foreign : List.of(oneHead, oneCommitted)) {
            assertThat(git.exitCode(two, "cat-file", "-e", foreign)).as(foreign).isNotZero();
        }
        assertThat(git.exitCode(two, "fsck", "--full", "--strict")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"config", "pack", "objects", "file", "refs"})
    void aBrokenCacheIsStartedOver(String damage) throws IOException {
        Path remote = git.initBare(served.resolve("state.git"), MAIN);
        String seeded = git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n", "dir/b.yaml", "b\n"));
        Path cache = tmp.resolve("cache");
        GitStoreSettings settings =
                GitStoreSettings.of(STORE, remote.toString(), MAIN).withScratchDirectory(cache);
        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            store.read();
        }
        Path local = cache.resolve(ScratchRepository.DIRECTORY);
        switch (damage) {
            case "config" -> Files.writeString(local.resolve("config"), "[core\n\tbare = \"unterminated\n");
            case "pack" -> {
                for (Path pack : packs(local)) {
                    Path writable = pack.getParent().resolve(pack.getFileName() + ".tmp");
                    Files.write(writable, new byte[] {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 9, 1, 2, 3});
                    Files.move(writable, pack, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            case "objects" -> ScratchRepository.deleteRecursively(local.resolve("objects"));
            case "file" -> {
                ScratchRepository.deleteRecursively(local);
                Files.writeString(local, "not a repository\n");
            }
            case "refs" -> Files.writeString(local.resolve("packed-refs"), "this is not\na packed-refs file\n");
            default -> throw new IllegalArgumentException(damage);
        }

        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            StateSnapshot base = store.read();
            assertThat(base.version()).contains(seeded);
            assertThat(base.files()).isEqualTo(git.blobIds(remote, MAIN));
            assertThat(base.read("dir/b.yaml")).isEqualTo("b\n".getBytes(StandardCharsets.UTF_8));
            CommitResult result = store.commit(base, changes(added(store, "c.yaml", "c\n")), "after repair");
            assertThat(git.line(remote, "rev-parse", MAIN)).isEqualTo(((CommitResult.Committed) result).version());
        }
        assertThat(git.line(remote, "rev-parse", "main^")).isEqualTo(seeded);
        assertThat(git.exitCode(remote, "fsck", "--full", "--strict")).isZero();
    }

    @Test
    void anUnreachableRemoteLeavesTheCacheAlone() throws IOException {
        Path remote = git.initBare(served.resolve("state.git"), MAIN);
        String seeded = git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n"));
        Path cache = tmp.resolve("cache");
        GitStoreSettings settings =
                GitStoreSettings.of(STORE, remote.toString(), MAIN).withScratchDirectory(cache);
        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            store.read();
        }
        List<Path> packs = packs(cache.resolve(ScratchRepository.DIRECTORY));

        Path moved = Files.move(remote, tmp.resolve("moved.git"));
        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            IOException e = catchThrowableOfType(IOException.class, store::read);
            assertThat(e.getMessage()).startsWith("Tried to read state store `default`");
        }
        assertThat(packs(cache.resolve(ScratchRepository.DIRECTORY))).isEqualTo(packs);

        Files.move(moved, remote);
        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            assertThat(store.read().version()).contains(seeded);
        }
        assertThat(packs(cache.resolve(ScratchRepository.DIRECTORY))).isEqualTo(packs);
    }

    @Test
    void aCacheInUseIsNotSharedTheSecondStoreWorksInATemporaryDirectory() throws IOException {
        Path remote = git.initBare(served.resolve("state.git"), MAIN);
        String seeded = git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n"));
        Path cache = tmp.resolve("cache");
        GitStoreSettings settings =
                GitStoreSettings.of(STORE, remote.toString(), MAIN).withScratchDirectory(cache);

        GitRepoStateStore first = open(settings);
        GitRepoStateStore second = open(settings);

        assertThat(first.scratchDirectory()).isEqualTo(cache);
        assertThat(second.scratchDirectory()).isNotEqualTo(cache);
        assertThat(first.read().version()).contains(seeded);
        assertThat(second.read().version()).contains(seeded);
        Path temporary = second.scratchDirectory();
        second.close();
        assertThat(temporary).doesNotExist();
        assertThat(cache).isDirectory();
    }

    @Test
    void aCacheWithTooManyPacksIsStartedOver() throws IOException {
        Path remote = git.initBare(served.resolve("state.git"), MAIN);
        git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n"));
        Path cache = tmp.resolve("cache");
        Path local = cache.resolve(ScratchRepository.DIRECTORY);
        GitRepoStateStore store =
                open(GitStoreSettings.of(STORE, remote.toString(), MAIN).withScratchDirectory(cache));
        StateSnapshot base = store.read();
        // Each commit writes one pack; reading in between would already start over.
        for (int i = 0; i <= GitRepoStateStore.MAX_PACKS; i++) {
            CommitResult result = store.commit(base, changes(added(store, "n-" + i + ".yaml", i + "\n")), "n " + i);
            String id = ((CommitResult.Committed) result).version();
            base = new StateSnapshot(Optional.of(id), new TreeMap<>(), (path, contentId) -> {
                throw new IOException("not read in this test");
            });
        }
        assertThat(packs(local)).hasSizeGreaterThan(GitRepoStateStore.MAX_PACKS);

        StateSnapshot after = store.read();

        assertThat(packs(local)).hasSize(1);
        assertThat(after.files()).isEqualTo(git.blobIds(remote, MAIN));
        assertThat(after.read("n-3.yaml")).isEqualTo("3\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void replacesAFileWithADirectoryAndADirectoryWithAFile() throws IOException {
        Path remote = git.initBare(served.resolve("state.git"), MAIN);
        git.seed(
                tmp.resolve("work"),
                remote,
                MAIN,
                Map.of(
                        "a.yaml",
                        "a\n",
                        "dir/x.yaml",
                        "x\n",
                        "dir/y.yaml",
                        "y\n",
                        "dir.d/z.yaml",
                        "z\n",
                        "keep",
                        "k\n"));
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot base = store.read();

        store.commit(
                base,
                changes(
                        new FileChange.Deleted("a.yaml", base.files().get("a.yaml")),
                        added(store, "a.yaml/inner.yaml", "inner\n"),
                        new FileChange.Deleted("dir/x.yaml", base.files().get("dir/x.yaml")),
                        new FileChange.Deleted("dir/y.yaml", base.files().get("dir/y.yaml")),
                        added(store, "dir", "now a file\n"),
                        added(store, "dir-e/new.yaml", "e\n")),
                "swap");

        assertThat(git.run(remote, "ls-tree", "--name-only", MAIN)).isEqualTo("a.yaml\ndir\ndir-e\ndir.d\nkeep\n");
        assertThat(git.blobIds(remote, MAIN))
                .containsOnlyKeys("a.yaml/inner.yaml", "dir", "dir-e/new.yaml", "dir.d/z.yaml", "keep");
        assertThat(git.run(remote, "show", "main:dir")).isEqualTo("now a file\n");
        assertThat(git.exitCode(remote, "fsck", "--full", "--strict")).isZero();
        assertThat(store.read().files()).isEqualTo(git.blobIds(remote, MAIN));
    }

    @Test
    void deletingEveryFileLeavesAnEmptyTree() throws IOException {
        Path remote = git.initBare(served.resolve("state.git"), MAIN);
        git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a/b/c.yaml", "c\n"));
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot base = store.read();

        store.commit(
                base, changes(new FileChange.Deleted("a/b/c.yaml", base.files().get("a/b/c.yaml"))), "empty");

        assertThat(git.line(remote, "rev-parse", "main^{tree}")).isEqualTo("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
        assertThat(git.exitCode(remote, "fsck", "--full", "--strict")).isZero();
        assertThat(store.read().files()).isEmpty();
    }

    private String url(String transport, Path remote) throws IOException, InterruptedException {
        return switch (transport) {
            case "path" -> remote.toString();
            case "file" -> remote.toUri().toString();
            case "git" -> {
                if (daemon == null) {
                    daemon = GitDaemon.start(served, home);
                }
                yield daemon.url(served.relativize(remote).toString());
            }
            default -> throw new IllegalArgumentException(transport);
        };
    }

    private long objectCount(Path repo) {
        long count = 0;
        for (String line : git.run(repo, "count-objects", "-v").split("\n")) {
            if (line.startsWith("count: ") || line.startsWith("in-pack: ")) {
                count += Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
            }
        }
        return count;
    }

    private static List<Path> packs(Path repo) throws IOException {
        Path dir = repo.resolve("objects").resolve("pack");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".pack")).sorted().toList();
        }
    }

    private GitRepoStateStore open(GitStoreSettings settings) throws IOException {
        GitRepoStateStore store = GitRepoStateStore.open(settings);
        stores.add(store);
        return store;
    }

    private static ChangeSet changes(FileChange... changes) {
        return new ChangeSet(List.of(changes));
    }

    private static FileChange.Added added(GitRepoStateStore store, String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new FileChange.Added(path, bytes, ContentId.of(bytes));
    }
}
