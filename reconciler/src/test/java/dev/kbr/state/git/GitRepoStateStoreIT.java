package dev.kbr.state.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GitRepoStateStore} against real repositories made and inspected with the {@code git}
 * command line, over local paths, {@code file://} and a real {@code git daemon} on 127.0.0.1.
 */
@Timeout(120)
class GitRepoStateStoreIT {
    private static final String STORE = "default";
    private static final String MAIN = "main";

    @TempDir
    Path tmp;

    private GitCli git;
    private Path home;
    private final List<GitRepoStateStore> stores = new ArrayList<>();
    private GitDaemon daemon;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectory(tmp.resolve("home"));
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
    void firstCommitIntoAnEmptyBareRepositoryCreatesTheBranch() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        byte[] binary = {0, 1, 2, (byte) 0xff, '\n', (byte) 0xc3};

        StateSnapshot empty = store.read();
        assertThat(empty.version()).isEmpty();
        assertThat(empty.files()).isEmpty();

        CommitResult result = store.commit(
                empty,
                changes(
                        added(store, "worker-1/resources/app.yaml", "kind: ConfigMap\n"),
                        added(store, "worker-1/dependencies/ns.yaml", "kind: Namespace\n"),
                        added(store, "binary.bin", binary)),
                "Update from: test");

        String head = git.line(remote, "rev-parse", "refs/heads/main");
        assertThat(result).isEqualTo(new CommitResult.Committed(head, 3));
        assertThat(git.lsTree(remote, MAIN))
                .containsOnlyKeys("binary.bin", "worker-1/dependencies/ns.yaml", "worker-1/resources/app.yaml")
                .allSatisfy((path, entry) -> {
                    assertThat(entry.mode()).isEqualTo("100644");
                    assertThat(entry.type()).isEqualTo("blob");
                });
        assertThat(git.run(remote, "show", "main:worker-1/resources/app.yaml")).isEqualTo("kind: ConfigMap\n");
        assertThat(git.run(remote, "show", "main:worker-1/dependencies/ns.yaml"))
                .isEqualTo("kind: Namespace\n");
        assertThat(git.bytes(remote, "cat-file", "blob", "main:binary.bin")).isEqualTo(binary);
        assertThat(git.run(remote, "log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%P%n%B", MAIN))
                .isEqualTo("kratix <>\nkratix <>\n\nUpdate from: test\n\n");
        assertThat(git.line(remote, "rev-list", "--count", MAIN)).isEqualTo("1");
        assertThat(git.exitCode(remote, "fsck", "--full", "--strict")).isZero();
    }

    @Test
    void commitAuthorAndCommitterAreConfigurable() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        GitRepoStateStore store =
                open(GitStoreSettings.of(STORE, remote.toString(), MAIN).withAuthor("Platform Bot", "bot@example.com"));

        store.commit(store.read(), changes(added(store, "a.yaml", "a: 1\n")), "msg");

        assertThat(git.line(remote, "log", "-1", "--format=%an <%ae>|%cn <%ce>", MAIN))
                .isEqualTo("Platform Bot <bot@example.com>|Platform Bot <bot@example.com>");
    }

    @Test
    void readListsEveryFileWithTheBlobIdsGitPrints() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        Path work = tmp.resolve("work");
        String seeded = git.seed(
                work,
                remote,
                MAIN,
                Map.of(
                        "README.md", "# state\n",
                        "worker-1/dependencies/promise/5058f/ns.yaml", "kind: Namespace\n",
                        "worker-1/resources/default/promise/r1/instance-configure/5058f/a.yaml", "kind: A\n",
                        "worker-2/.kratix/state.yaml", "files: []\n",
                        "scripts/run.sh", "#!/bin/sh\n",
                        "empty.txt", ""));
        // An executable and a symlink are files too.
        git.run(work, "update-index", "--chmod=+x", "scripts/run.sh");
        Files.createSymbolicLink(work.resolve("link"), Path.of("README.md"));
        git.run(work, "add", "link");
        git.run(work, "commit", "-q", "-m", "modes");
        git.run(work, "push", "-q", remote.toString(), MAIN);
        String head = git.line(remote, "rev-parse", MAIN);
        assertThat(head).isNotEqualTo(seeded);

        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot snapshot = store.read();

        assertThat(snapshot.version()).contains(head);
        SortedMap<String, String> expected = git.blobIds(remote, MAIN);
        assertThat(expected).hasSize(7);
        assertThat(snapshot.files()).isEqualTo(expected);
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertThat(snapshot.read(file.getKey()))
                    .as(file.getKey())
                    .isEqualTo(git.bytes(remote, "cat-file", "blob", file.getValue()));
        }
        assertThat(ContentId.of("kind: A\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(expected.get("worker-1/resources/default/promise/r1/instance-configure/5058f/a.yaml"));
        assertThat(ContentId.of(new byte[0])).isEqualTo(expected.get("empty.txt"));
    }

    @Test
    void modifiesAndDeletesFilesAndKeepsTheRestUntouched() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        String seeded = git.seed(
                tmp.resolve("work"),
                remote,
                MAIN,
                Map.of(
                        "keep.yaml", "keep\n",
                        "modify.yaml", "old\n",
                        "gone/deep/only.yaml", "only\n",
                        "dir/x.yaml", "x\n",
                        "dir/y.yaml", "y\n"));
        SortedMap<String, String> before = git.blobIds(remote, MAIN);
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot base = store.read();
        byte[] next = "new\n".getBytes(StandardCharsets.UTF_8);

        CommitResult result = store.commit(
                base,
                changes(
                        new FileChange.Modified(
                                "modify.yaml", base.files().get("modify.yaml"), next, ContentId.of(next)),
                        deleted(base, "gone/deep/only.yaml"),
                        deleted(base, "dir/x.yaml")),
                "Update from: test");

        assertThat(result).isInstanceOf(CommitResult.Committed.class);
        SortedMap<String, String> after = git.blobIds(remote, MAIN);
        assertThat(after).containsOnlyKeys("dir/y.yaml", "keep.yaml", "modify.yaml");
        assertThat(after.get("keep.yaml")).isEqualTo(before.get("keep.yaml"));
        assertThat(after.get("dir/y.yaml")).isEqualTo(before.get("dir/y.yaml"));
        assertThat(git.run(remote, "show", "main:modify.yaml")).isEqualTo("new\n");
        assertThat(git.run(remote, "ls-tree", "--name-only", MAIN)).isEqualTo("dir\nkeep.yaml\nmodify.yaml\n");
        assertThat(git.line(remote, "rev-parse", "main^")).isEqualTo(seeded);
        assertThat(git.exitCode(remote, "fsck", "--full", "--strict")).isZero();
    }

    @Test
    void emptyChangeSetIsUnchangedWithoutContactingTheRemote() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        String seeded = git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n"));
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot base = store.read();

        // With the remote gone, any fetch or push would fail.
        Path moved = Files.move(remote, tmp.resolve("moved.git"));
        assertThat(store.commit(base, changes(), "nothing")).isEqualTo(new CommitResult.Unchanged());

        assertThat(git.line(moved, "rev-parse", MAIN)).isEqualTo(seeded);
    }

    @Test
    void changeSetThatLeavesTheTreeAsItWasMakesNoCommit() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        String seeded = git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n"));
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot base = store.read();
        byte[] same = "a\n".getBytes(StandardCharsets.UTF_8);
        String id = base.files().get("a.yaml");

        CommitResult result = store.commit(base, changes(new FileChange.Modified("a.yaml", id, same, id)), "rewrite");

        assertThat(result).isEqualTo(new CommitResult.Unchanged());
        assertThat(git.line(remote, "rev-parse", MAIN)).isEqualTo(seeded);
    }

    @Test
    void secondWriterOnTheSameHeadGetsStaleStateExceptionAndTheFirstCommitStays() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        String seeded = git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n"));
        GitRepoStateStore first = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        GitRepoStateStore second = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot firstBase = first.read();
        StateSnapshot secondBase = second.read();
        assertThat(secondBase.version()).isEqualTo(firstBase.version()).contains(seeded);

        CommitResult won = first.commit(firstBase, changes(added(first, "first.yaml", "1\n")), "first");
        StaleStateException e = catchThrowableOfType(
                StaleStateException.class,
                () -> second.commit(secondBase, changes(added(second, "second.yaml", "2\n")), "second"));

        String winner = ((CommitResult.Committed) won).version();
        assertThat(e.getMessage())
                .contains("Tried to push to state store `default`", "branch main")
                .contains("moved from " + seeded.substring(0, 7) + " to " + winner.substring(0, 7))
                .contains("re-run");
        assertThat(e.expectedVersion()).contains(seeded);
        assertThat(e.actualVersion()).contains(winner);
        assertThat(git.run(remote, "log", "--format=%H", MAIN)).isEqualTo(winner + "\n" + seeded + "\n");
        assertThat(git.blobIds(remote, MAIN)).containsOnlyKeys("a.yaml", "first.yaml");

        // Reading again and recomputing is how the engine recovers.
        StateSnapshot fresh = second.read();
        assertThat(fresh.version()).contains(winner);
        CommitResult retried = second.commit(fresh, changes(added(second, "second.yaml", "2\n")), "second");
        assertThat(git.line(remote, "rev-parse", "main^")).isEqualTo(winner);
        assertThat(git.line(remote, "rev-parse", MAIN)).isEqualTo(((CommitResult.Committed) retried).version());
    }

    @Test
    void secondWriterCreatingTheSameBranchGetsStaleStateException() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        GitRepoStateStore first = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        GitRepoStateStore second = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot firstBase = first.read();
        StateSnapshot secondBase = second.read();

        CommitResult won = first.commit(firstBase, changes(added(first, "first.yaml", "1\n")), "first");
        StaleStateException e = catchThrowableOfType(
                StaleStateException.class,
                () -> second.commit(secondBase, changes(added(second, "second.yaml", "2\n")), "second"));

        String winner = ((CommitResult.Committed) won).version();
        assertThat(e.expectedVersion()).isEmpty();
        assertThat(e.actualVersion()).contains(winner);
        assertThat(e.getMessage()).contains("moved from (no branch) to " + winner.substring(0, 7));
        assertThat(git.run(remote, "log", "--format=%H", MAIN)).isEqualTo(winner + "\n");
    }

    @Test
    void writesABranchOtherThanMainAndLeavesMainAlone() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        String mainHead = git.seed(tmp.resolve("work"), remote, MAIN, Map.of("main.yaml", "main\n"));
        String branch = "kratix/state";
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), branch));

        StateSnapshot empty = store.read();
        assertThat(empty.version()).isEmpty();
        CommitResult result = store.commit(empty, changes(added(store, "state.yaml", "state\n")), "state");

        String head = git.line(remote, "rev-parse", "refs/heads/" + branch);
        assertThat(result).isEqualTo(new CommitResult.Committed(head, 1));
        assertThat(git.blobIds(remote, branch)).containsOnlyKeys("state.yaml");
        assertThat(git.line(remote, "rev-parse", MAIN)).isEqualTo(mainHead);
        assertThat(store.read().version()).contains(head);
    }

    @Test
    void commitsTwiceOverTheGitProtocolToARealDaemon() throws Exception {
        Path served = Files.createDirectory(tmp.resolve("served"));
        Path remote = git.initBare(served.resolve("state.git"), MAIN);
        daemon = GitDaemon.start(served, home);
        String url = daemon.url("state.git");
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, url, MAIN));

        StateSnapshot empty = store.read();
        assertThat(empty.version()).isEmpty();
        CommitResult first = store.commit(
                empty,
                changes(added(store, "worker-1/a.yaml", "a: 1\n"), added(store, "worker-1/b.yaml", "b: 1\n")),
                "first");
        String firstId = ((CommitResult.Committed) first).version();
        assertThat(git.line(remote, "rev-parse", MAIN)).isEqualTo(firstId);

        StateSnapshot base = store.read();
        assertThat(base.version()).contains(firstId);
        byte[] next = "a: 2\n".getBytes(StandardCharsets.UTF_8);
        CommitResult second = store.commit(
                base,
                changes(
                        new FileChange.Modified(
                                "worker-1/a.yaml", base.files().get("worker-1/a.yaml"), next, ContentId.of(next)),
                        deleted(base, "worker-1/b.yaml")),
                "second");
        String secondId = ((CommitResult.Committed) second).version();

        assertThat(git.run(remote, "log", "--format=%H", MAIN)).isEqualTo(secondId + "\n" + firstId + "\n");
        assertThat(git.run(remote, "show", "main:worker-1/a.yaml")).isEqualTo("a: 2\n");
        assertThat(git.blobIds(remote, MAIN)).containsOnlyKeys("worker-1/a.yaml");
        assertThat(git.exitCode(remote, "fsck", "--full", "--strict")).isZero();

        // A fresh store fetches the whole history over the network.
        GitRepoStateStore reader = open(GitStoreSettings.of("other", url, MAIN));
        StateSnapshot fetched = reader.read();
        assertThat(fetched.version()).contains(secondId);
        assertThat(fetched.files()).isEqualTo(git.blobIds(remote, MAIN));
        assertThat(fetched.read("worker-1/a.yaml")).isEqualTo(next);
    }

    @Test
    void readsAndWritesAFileUrl() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n"));
        String url = remote.toUri().toString();
        assertThat(url).startsWith("file:/");
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, url, MAIN));

        StateSnapshot base = store.read();
        assertThat(base.files()).containsOnlyKeys("a.yaml");
        CommitResult result = store.commit(base, changes(added(store, "b.yaml", "b\n")), "file url");

        assertThat(git.line(remote, "rev-parse", MAIN)).isEqualTo(((CommitResult.Committed) result).version());
        assertThat(git.blobIds(remote, MAIN)).containsOnlyKeys("a.yaml", "b.yaml");
    }

    @Test
    void readsANonBareRepositoryAndWritesABranchNotCheckedOut() throws IOException {
        Path work = tmp.resolve("work");
        git.run(tmp, "init", "-q", "-b", MAIN, work.toString());
        Files.writeString(work.resolve("a.yaml"), "a\n");
        git.run(work, "add", "a.yaml");
        git.run(work, "commit", "-q", "-m", "seed");

        GitRepoStateStore main = open(GitStoreSettings.of(STORE, work.toString(), MAIN));
        assertThat(main.read().files()).isEqualTo(git.blobIds(work, MAIN));

        GitRepoStateStore state = open(GitStoreSettings.of(STORE, work.toString(), "state"));
        state.commit(state.read(), changes(added(state, "b.yaml", "b\n")), "state");
        assertThat(git.blobIds(work, "state")).containsOnlyKeys("b.yaml");
        assertThat(git.run(work, "status", "--porcelain")).isEmpty();
    }

    @Test
    void unreachableRemotesFailWithTheStoreAndUrlInThePlainIOException() throws IOException {
        String missingPath = tmp.resolve("missing.git").toString();
        String closedPort = "git://127.0.0.1:" + GitDaemon.freePort() + "/state.git";
        String missingFile = tmp.resolve("missing-too.git").toUri().toString();

        for (String url : List.of(missingPath, closedPort, missingFile)) {
            GitRepoStateStore store = open(GitStoreSettings.of("unreachable", url, MAIN));
            IOException e = catchThrowableOfType(IOException.class, store::read);

            assertThat(e).as(url).isNotNull();
            assertThat(e.getClass()).as(url).isEqualTo(IOException.class);
            assertThat(e.getMessage())
                    .as(url)
                    .startsWith("Tried to read state store `unreachable` (" + url + ", branch main) but ");
            assertThat(e.getCause()).as(url).isNotNull();
        }
    }

    @Test
    void commitsTwoThousandFiles() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        List<FileChange> files = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            files.add(added(store, String.format("dir-%02d/file-%04d.yaml", i % 40, i), "index: " + i + "\n"));
        }

        CommitResult result = store.commit(store.read(), new ChangeSet(files), "many");

        assertThat(result).isInstanceOf(CommitResult.Committed.class);
        assertThat(((CommitResult.Committed) result).filesChanged()).isEqualTo(2_000);
        SortedMap<String, String> tree = git.blobIds(remote, MAIN);
        assertThat(tree).hasSize(2_000);
        assertThat(git.run(remote, "show", "main:dir-07/file-1447.yaml")).isEqualTo("index: 1447\n");
        assertThat(git.exitCode(remote, "fsck", "--full", "--strict")).isZero();
        GitRepoStateStore reader = open(GitStoreSettings.of("other", remote.toString(), MAIN));
        assertThat(reader.read().files()).isEqualTo(tree);
    }

    @Test
    void sameChangeSetOnTheSameBaseGivesTheSameTreeAndCommit() throws IOException {
        Path one = git.initBare(tmp.resolve("one.git"), MAIN);
        git.seed(tmp.resolve("work"), one, MAIN, Map.of("a.yaml", "a\n", "dir/b.yaml", "b\n", "dir/c.yaml", "c\n"));
        Path two = tmp.resolve("two.git");
        git.run(tmp, "clone", "-q", "--bare", one.toString(), two.toString());
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
        List<String> commits = new ArrayList<>();

        for (Path remote : List.of(one, two)) {
            GitRepoStateStore store =
                    GitRepoStateStore.open(GitStoreSettings.of(STORE, remote.toString(), MAIN), clock);
            stores.add(store);
            StateSnapshot base = store.read();
            List<FileChange> changes = new ArrayList<>(List.of(
                    added(store, "z/new.yaml", "new\n"),
                    added(store, "dir/d.yaml", "d\n"),
                    deleted(base, "dir/b.yaml"),
                    new FileChange.Modified(
                            "a.yaml",
                            base.files().get("a.yaml"),
                            "A\n".getBytes(StandardCharsets.UTF_8),
                            ContentId.of("A\n".getBytes(StandardCharsets.UTF_8)))));
            if (remote.equals(two)) {
                Collections.reverse(changes);
            }
            commits.add(((CommitResult.Committed) store.commit(base, new ChangeSet(changes), "same")).version());
        }

        assertThat(git.line(one, "rev-parse", "main^{tree}")).isEqualTo(git.line(two, "rev-parse", "main^{tree}"));
        assertThat(commits.get(0)).isEqualTo(commits.get(1));
        assertThat(git.line(one, "log", "-1", "--format=%aI", MAIN)).isEqualTo("2026-11-21T12:00:00+00:00");
    }

    @Test
    void rejectsAChangeSetThatDoesNotFitItsBaseListingEveryProblem() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        String seeded = git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n", "dir/b.yaml", "b\n"));
        GitRepoStateStore store = open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot base = store.read();
        String wrongOld = ContentId.of("not b\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.commit(
                        base,
                        changes(
                                added(store, "a.yaml", "again\n"),
                                new FileChange.Deleted("missing.yaml", wrongOld),
                                new FileChange.Deleted("dir/b.yaml", wrongOld),
                                added(store, "../escape.yaml", "x\n"),
                                added(store, "a.yaml/under-a-file.yaml", "x\n")),
                        "bad"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state store `default`")
                .hasMessageContaining("`a.yaml` is added but already exists")
                .hasMessageContaining("`missing.yaml` is deleted but does not exist")
                .hasMessageContaining("`dir/b.yaml` is deleted from " + wrongOld)
                .hasMessageContaining("`../escape.yaml` has a `..` segment")
                .hasMessageContaining("`a.yaml/under-a-file.yaml` is added under `a.yaml`");

        byte[] content = "x\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() ->
                        store.commit(base, changes(new FileChange.Added("x.yaml", content, wrongOld)), "wrong id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`x.yaml` has contentId " + wrongOld);
        assertThat(git.line(remote, "rev-parse", MAIN)).isEqualTo(seeded);
    }

    @Test
    void closeDeletesItsTemporaryScratchDirectoryAndIsIdempotent() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n"));
        GitRepoStateStore store = GitRepoStateStore.open(GitStoreSettings.of(STORE, remote.toString(), MAIN));
        StateSnapshot snapshot = store.read();
        Path scratch = store.scratchDirectory();
        assertThat(scratch).isDirectory();

        store.close();
        store.close();

        assertThat(scratch).doesNotExist();
        assertThatThrownBy(store::read)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("`default`");
        assertThatThrownBy(() -> snapshot.read("a.yaml"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void keepsAGivenScratchDirectoryAndReusesIt() throws IOException {
        Path remote = git.initBare(tmp.resolve("state.git"), MAIN);
        String seeded = git.seed(tmp.resolve("work"), remote, MAIN, Map.of("a.yaml", "a\n"));
        Path scratch = tmp.resolve("cache");
        GitStoreSettings settings =
                GitStoreSettings.of(STORE, remote.toString(), MAIN).withScratchDirectory(scratch);

        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            assertThat(store.read().version()).contains(seeded);
        }
        assertThat(scratch).isDirectory();
        try (GitRepoStateStore store = GitRepoStateStore.open(settings)) {
            StateSnapshot again = store.read();
            assertThat(again.version()).contains(seeded);
            assertThat(again.read("a.yaml")).isEqualTo("a\n".getBytes(StandardCharsets.UTF_8));
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
        return added(store, path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static FileChange.Added added(GitRepoStateStore store, String path, byte[] content) {
        return new FileChange.Added(path, content, ContentId.of(content));
    }

    private static FileChange.Deleted deleted(StateSnapshot base, String path) {
        String id = base.files().get(path);
        assertThat(id).as("%s in the base", path).isNotNull();
        return new FileChange.Deleted(path, id);
    }
}
