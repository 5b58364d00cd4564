package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.state.git.GitDaemon;
import dev.kbr.testsupport.GitWork;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --platform} as a Git URL: a real platform repo (made with the git CLI) read over
 * {@code file://} and over {@code git://} from a real {@code git daemon} on 127.0.0.1, applied
 * into a real bare state repo. The https transport with {@code --platform-secret} is covered in
 * {@link HttpsStateStoreIT}, which owns the https server.
 */
class PlatformFromGitIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");
    private static final String DEPENDENCY = "dev/dependencies/colours/5058f/static/colours-dependencies.yaml";

    @TempDir
    Path tmp;

    private StateRepo state;

    @BeforeEach
    void bareStateRepo() throws Exception {
        state = StateRepo.bare(tmp);
    }

    @Test
    void aGitUrlGivesTheSameStateTreeAsTheFolderAndTheCommitTracesBackToIt() throws Exception {
        Path work = Trees.copy(SEEDS, tmp.resolve("seeds-work"));
        String commit = GitWork.commitAll(work, "seeds");
        Path bare = GitWork.bareClone(work, tmp.resolve("served/seeds.git"));
        StateRepo fromFolder = StateRepo.bare(Files.createDirectories(tmp.resolve("from-folder")));

        try (GitDaemon daemon = GitDaemon.start(bare.getParent(), Files.createDirectories(tmp.resolve("home")))) {
            String url = daemon.url("seeds.git");
            StateRepo.Run viaGit = state.run(List.of("apply", "--platform", url, "--pipeline-network", "none"));
            StateRepo.Run viaFolder = fromFolder.kbr(SEEDS, "apply");

            assertThat(viaGit.exitCode()).as(viaGit.out()).isZero();
            assertThat(viaFolder.exitCode()).as(viaFolder.out()).isZero();
            assertThat(withoutRecords(state.git("ls-tree", "-r", "main")))
                    .isNotEmpty()
                    .isEqualTo(withoutRecords(fromFolder.git("ls-tree", "-r", "main")));
            assertThat(viaGit.out()).contains("Platform: " + url + " at " + commit + " (main)");
            assertThat(viaFolder.out()).contains("Platform: folder " + SEEDS);
            assertThat(state.git("log", "-1", "--format=%(trailers:only,unfold)", "main"))
                    .isEqualTo("Platform-Url: " + url + "\nPlatform-Ref: main\nPlatform-Commit: " + commit + "\n\n");
        }
    }

    @Test
    void platformRefPicksABranchATagOrACommit() throws Exception {
        Path work = tmp.resolve("colours-work");
        colours(work, "red");
        String red = GitWork.commitAll(work, "red");
        GitWork.git(work, "tag", "-a", "v1", "-m", "release 1");
        colours(work, "yellow");
        String yellow = GitWork.commitAll(work, "yellow");
        colours(work, "green");
        String green = GitWork.commitAll(work, "green");
        GitWork.git(work, "checkout", "-q", "-b", "blue");
        colours(work, "blue");
        String blue = GitWork.commitAll(work, "blue");
        GitWork.git(work, "checkout", "-q", "main");
        String url = "file://" + GitWork.bareClone(work, tmp.resolve("colours.git"));

        assertThat(colourApplied(url)).isEqualTo("green");
        assertThat(trailer("Platform-Commit")).isEqualTo(green);
        assertThat(trailer("Platform-Ref")).isEqualTo("main");
        assertThat(colourApplied(url, "--platform-ref", "v1")).isEqualTo("red");
        assertThat(trailer("Platform-Commit")).isEqualTo(red);
        assertThat(colourApplied(url, "--platform-ref", "blue")).isEqualTo("blue");
        assertThat(trailer("Platform-Commit")).isEqualTo(blue);
        // No branch or tag points at it: found in the history.
        assertThat(colourApplied(url, "--platform-ref", yellow.substring(0, 9))).isEqualTo("yellow");
        assertThat(trailer("Platform-Commit")).isEqualTo(yellow);
        assertThat(trailer("Platform-Ref")).isEqualTo(yellow.substring(0, 9));
        assertThat(colourApplied(url, "--platform-ref", green)).isEqualTo("green");
        assertThat(state.git("log", "--format=%(trailers:key=Platform-Url,valueonly)", "main")
                        .lines()
                        .filter(l -> !l.isBlank())
                        .distinct())
                .containsExactly(url);
    }

    @Test
    void aRepeatedReadWithCacheDirSeesNewCommits() throws Exception {
        Path work = tmp.resolve("colours-work");
        colours(work, "red");
        GitWork.commitAll(work, "red");
        Path bare = GitWork.bareClone(work, tmp.resolve("colours.git"));
        String url = "file://" + bare;
        String cache = tmp.resolve("cache").toString();

        assertThat(colourApplied(url, "--cache-dir", cache)).isEqualTo("red");
        colours(work, "green");
        String green = GitWork.commitAll(work, "green");
        GitWork.git(work, "push", "-q", bare.toString(), "main");

        assertThat(colourApplied(url, "--cache-dir", cache)).isEqualTo("green");
        assertThat(trailer("Platform-Commit")).isEqualTo(green);
        assertThat(tmp.resolve("cache/platform")).isDirectory();
    }

    @Test
    void aBrokenFileInTheRepoIsReportedAtItsRepoRelativePathAndLine_AsInAFolder() throws Exception {
        Path work = tmp.resolve("colours-work");
        colours(work, "red");
        Files.createDirectories(work.resolve("requests"));
        Files.writeString(work.resolve("requests/broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: [oops\n");
        // What a folder leaves out, the repo leaves out too: hidden folders, kbr.yaml excludes.
        Files.createDirectories(work.resolve(".github"));
        Files.writeString(work.resolve(".github/ci.yaml"), "on: [push\n");
        Files.createDirectories(work.resolve("drafts"));
        Files.writeString(work.resolve("drafts/wip.yaml"), "kind: [\n");
        Files.writeString(work.resolve("kbr.yaml"), "exclude: [\"drafts/**\"]\n");
        GitWork.commitAll(work, "broken");
        String url = "file://" + GitWork.bareClone(work, tmp.resolve("colours.git"));

        StateRepo.Run fromGit = kbr("validate", "--platform", url);
        StateRepo.Run fromFolder = kbr("validate", "--platform", work.toString());

        assertThat(fromGit.exitCode()).as(fromGit.out()).isEqualTo(Main.ERROR);
        assertThat(fromGit.out())
                .contains("requests/broken.yaml:4: error: is not valid YAML")
                .doesNotContain(".github")
                .doesNotContain("drafts");
        assertThat(fromGit.out()).isEqualTo(fromFolder.out());
        String head = headOrNone();
        StateRepo.Run plan = state.run(List.of("plan", "--platform", url, "--pipeline-network", "none"));
        assertThat(plan.out()).contains("requests/broken.yaml:4: error: is not valid YAML");
        assertThat(headOrNone()).isEqualTo(head);
    }

    @Test
    void wrongRefUrlOrSecretAreOneLineErrorsNamingTheOptionAndNothingIsWritten() throws Exception {
        Path work = tmp.resolve("colours-work");
        colours(work, "red");
        GitWork.commitAll(work, "red");
        GitWork.git(work, "tag", "v1");
        String url = "file://" + GitWork.bareClone(work, tmp.resolve("colours.git"));

        StateRepo.Run badRef = apply("--platform", url, "--platform-ref", "nope");
        assertOneLineError(
                badRef,
                "Error: --platform-ref `nope` is not a branch, tag or commit of the platform repo " + url
                        + "; its branches: main; its tags: v1; pass one of them");
        StateRepo.Run badCommit = apply("--platform", url, "--platform-ref", "0123456789abcdef");
        assertOneLineError(badCommit, "Error: --platform-ref `0123456789abcdef` is not a branch, tag or commit");

        StateRepo.Run missingRepo = apply("--platform", "file://" + tmp.resolve("nowhere.git"));
        assertOneLineError(
                missingRepo,
                "Error: Tried to read the platform repo file://" + tmp.resolve("nowhere.git") + " (--platform) but ");
        assertThat(missingRepo.out()).contains("check the URL in --platform");
        StateRepo.Run unreachable = apply(
                "--platform", "git://127.0.0.1:" + dev.kbr.testsupport.HttpsGitServer.freePort() + "/platform.git");
        assertOneLineError(unreachable, "Error: Tried to read the platform repo git://127.0.0.1:");

        StateRepo.Run noSecret = apply(
                "--platform", "https://kbr:hunter2@127.0.0.1:1/platform.git", "--platform-secret", "default/nope");
        assertOneLineError(
                noSecret,
                "Error: --platform-secret names Secret default/nope, but no such Secret was given; put its keys in"
                        + " files DIR/default/nope/<key> and pass --secrets-dir DIR, or set KBR_SECRET_DEFAULT_NOPE_<KEY>");
        StateRepo.Run refOnFolder = apply("--platform", work.toString(), "--platform-ref", "main");
        assertOneLineError(refOnFolder, "Error: --platform-ref applies only to a Git URL");
        StateRepo.Run bareAsFolder =
                apply("--platform", tmp.resolve("colours.git").toString());
        assertOneLineError(bareAsFolder, "is a bare Git repository, not a platform folder");

        String all = badRef.out() + badCommit.out() + missingRepo.out() + unreachable.out() + noSecret.out();
        assertThat(all).doesNotContain("hunter2");
        assertThat(headOrNone()).isEqualTo("(none)");
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.map(p -> p.getFileName().toString())
                            .filter(n -> n.startsWith(
                                    "kbr-run-" + ProcessHandle.current().pid() + "-"))
                            .filter(n -> n.contains("git-platform")))
                    .as("temporary platform repositories are deleted")
                    .isEmpty();
        }
    }

    private void assertOneLineError(StateRepo.Run run, String start) {
        assertThat(run.exitCode()).as(run.out()).isEqualTo(Main.ERROR);
        assertThat(run.out()).contains(start).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out().strip().lines()).as(run.out()).hasSize(1);
    }

    private StateRepo.Run apply(String... args) {
        List<String> all = new ArrayList<>(List.of("apply", "--pipeline-network", "none"));
        all.addAll(List.of(args));
        return state.run(all);
    }

    private static StateRepo.Run kbr(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        int code = Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), args);
        return new StateRepo.Run(code, out.toString());
    }

    /** Applies the platform at {@code url} and returns the colour the state repo then holds. */
    private String colourApplied(String url, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("apply", "--platform", url, "--pipeline-network", "none"));
        all.addAll(List.of(args));
        StateRepo.Run run = state.run(all);
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("Platform: " + url + " at ");
        return state.show(DEPENDENCY)
                .lines()
                .filter(l -> l.strip().startsWith("colour:"))
                .map(l -> l.strip().substring("colour:".length()).strip())
                .findFirst()
                .orElseThrow();
    }

    private String trailer(String key) throws Exception {
        return state.git("log", "-1", "--format=%(trailers:key=" + key + ",valueonly)", "main")
                .strip();
    }

    private String headOrNone() throws Exception {
        Processes.Result head = Processes.run(
                tmp, List.of("git", "--git-dir", state.dir().toString(), "rev-parse", "-q", "--verify", "main"));
        return head.exitCode() == 0 ? head.output().strip() : "(none)";
    }

    /**
     * A platform without pipelines (no container runs): a state store, Destination {@code dev}
     * and Promise {@code colours} whose one dependency, a ConfigMap, holds {@code colour}.
     */
    private static void colours(Path dir, String colour) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("platform.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: GitStateStore
                metadata: {name: default}
                spec: {url: unused, branch: main}
                ---
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata:
                  name: dev
                  labels: {env: dev}
                spec:
                  path: dev
                  stateStoreRef: {kind: GitStateStore, name: default}
                ---
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata: {name: colours}
                spec:
                  dependencies:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: colour, namespace: default}
                    data:
                      colour: %s
                """.formatted(colour));
        if (!Files.isDirectory(dir.resolve(".git"))) {
            Processes.check(dir, "git", "init", "-q", "-b", "main");
        }
    }

    private static List<String> withoutRecords(String lsTree) {
        return lsTree.lines().filter(l -> !l.contains("\t.kbr/")).toList();
    }
}
