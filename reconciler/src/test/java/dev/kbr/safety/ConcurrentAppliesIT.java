package dev.kbr.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.state.git.GitDaemon;
import dev.kbr.testsupport.KbrJar;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.StateRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code kbr apply} processes (separate JVMs, as CI jobs) write one state store at once: a
 * bare repo served by a real {@code git daemon} on 127.0.0.1. Pushes are compare-and-swap; a
 * refused push is recomputed on the new head and retried (--push-retries), never forced.
 */
class ConcurrentAppliesIT {
    private static final int WRITERS = 4;
    private static final int ROUNDS = 20;
    private static final Pattern RETRY =
            Pattern.compile("but the remote moved from \\S+ to \\S+; retrying \\(\\d+ of \\d+\\)");
    private static final long SEED = Long.getLong("kbr.test.seed", System.nanoTime());

    @TempDir
    Path tmp;

    /**
     * 20 rounds; in each, the test changes 4 requests of the shared platform folder (one per
     * writer) and starts 4 applies together. All must succeed; the remote tree must then equal the
     * tree one apply of the same inputs writes into a separate reference repo, and every changed
     * request's new output must be there (no lost update).
     */
    @Test
    void fourWritersAtOnceLoseNoUpdateAndEndWhereOneApplyWould() throws Exception {
        Path served = Files.createDirectories(tmp.resolve("served"));
        Path remote = served.resolve("state.git");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path reference = Files.createDirectories(tmp.resolve("reference")).resolve("state.git");
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", remote.toString());
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", reference.toString());
        SafetyPlatform platform = SafetyPlatform.write(tmp.resolve("platform"), WRITERS, null);
        Random random = new Random(SEED);
        System.out.println("ConcurrentAppliesIT: seed=" + SEED);
        int rejected = 0;
        int lost = 0;
        try (GitDaemon daemon = GitDaemon.start(served, home)) {
            String url = daemon.url("state.git");
            for (int round = 1; round <= ROUNDS; round++) {
                for (int w = 0; w < WRITERS; w++) {
                    platform.request(w, value(round, w));
                }
                List<KbrJar.Started> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    // A few milliseconds of start jitter: writers collide at different points.
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(20));
                    writers.add(KbrJar.start(
                            null,
                            tmp.resolve("round-" + round + "-writer-" + w + ".log"),
                            List.of(
                                    "apply",
                                    "--platform",
                                    platform.root().toString(),
                                    "--state-url",
                                    "default=" + url,
                                    "--pipeline-network",
                                    "none")));
                }
                for (KbrJar.Started writer : writers) {
                    Processes.Result result = writer.await(180);
                    assertThat(result.exitCode())
                            .as("round %d writer output:\n%s", round, result.output())
                            .isZero();
                    Matcher m = RETRY.matcher(result.output());
                    while (m.find()) {
                        rejected++;
                    }
                    assertThat(result.output()).doesNotContain("force");
                }
                StateRepo.Run single = StateRepo.existing(reference, tmp).kbr(platform.root(), "apply");
                assertThat(single.exitCode()).as(single.out()).isZero();

                SortedMap<String, String> expected = StateTrees.comparable(reference, "main");
                SortedMap<String, String> actual = StateTrees.comparable(remote, "main");
                assertThat(actual)
                        .as("round %d: remote tree vs one apply of the same inputs", round)
                        .isEqualTo(expected);
                for (int w = 0; w < WRITERS; w++) {
                    String configMap = StateTrees.onlyFileUnder(remote, "main", SafetyPlatform.configMapPrefix(w));
                    if (!configMap.contains("value: \"" + value(round, w) + "\"")) {
                        lost++;
                    }
                }
                assertThat(lost).as("lost updates after round %d", round).isZero();
            }
        }
        StateTrees.assertComplete(remote);
        System.out.println("ConcurrentAppliesIT: writers=" + WRITERS + " rounds=" + ROUNDS + " rejected-pushes="
                + rejected + " lost-updates=" + lost);
        assertThat(rejected)
                .as("no push was ever refused: the writers did not contend, so the test proved nothing")
                .isPositive();
    }

    /**
     * A person commits between kbr's read and its push: an unowned README and a hand edit of a
     * file kbr owns. kbr's compare-and-swap push is refused; it reads the new head, recomputes on
     * top of it and pushes again: the README stays, the owned file is restored, and the hand
     * commit is an ancestor of the new head (nothing was reset or force-pushed).
     */
    @Test
    void aHandCommitBetweenReadAndPushIsBuiltUponNotOverwritten() throws Exception {
        Path served = Files.createDirectories(tmp.resolve("served"));
        Path remote = served.resolve("state.git");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path reference = Files.createDirectories(tmp.resolve("reference")).resolve("state.git");
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", remote.toString());
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", reference.toString());
        // The pipeline sleeps, so the hand commit surely lands while kbr runs it.
        SafetyPlatform platform = SafetyPlatform.write(tmp.resolve("platform"), 1, "3");
        StateRepo.Run first = StateRepo.existing(remote, tmp).kbr(platform.root(), "apply");
        assertThat(first.exitCode()).as(first.out()).isZero();
        platform.request(0, "v1");
        try (GitDaemon daemon = GitDaemon.start(served, home)) {
            KbrJar.Started kbr = KbrJar.start(
                    null,
                    tmp.resolve("kbr.log"),
                    List.of(
                            "apply",
                            "--platform",
                            platform.root().toString(),
                            "--state-url",
                            "default=" + daemon.url("state.git"),
                            "--pipeline-network",
                            "none"));
            awaitPipelineContainer(kbr);
            Path work = tmp.resolve("hand");
            Processes.check(tmp, "git", "clone", "-q", remote.toString(), work.toString());
            String owned = StateTrees.git(remote, "ls-tree", "-r", "--name-only", "main")
                    .lines()
                    .filter(p -> p.startsWith(SafetyPlatform.configMapPrefix(0)))
                    .findFirst()
                    .orElseThrow();
            Files.writeString(work.resolve(owned), "hand edited\n");
            Files.writeString(work.resolve("README.md"), "Not kbr's: a person wrote this.\n");
            Processes.check(work, "git", "add", "-A");
            Processes.check(
                    work,
                    "git",
                    "-c",
                    "user.name=Hand",
                    "-c",
                    "user.email=hand@example.com",
                    "commit",
                    "-q",
                    "-m",
                    "hand");
            Processes.check(work, "git", "push", "-q", "origin", "main");
            String hand = StateTrees.head(remote).orElseThrow();

            Processes.Result result = kbr.await(180);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).containsPattern(RETRY.pattern()).contains("retrying (1 of 5)");

            String head = StateTrees.head(remote).orElseThrow();
            assertThat(head).isNotEqualTo(hand);
            assertThat(StateTrees.git(remote, "rev-parse", head + "^").strip())
                    .as("kbr's commit sits right on top of the hand commit")
                    .isEqualTo(hand);
            assertThat(StateTrees.git(remote, "show", "main:README.md")).isEqualTo("Not kbr's: a person wrote this.\n");
            assertThat(StateTrees.git(remote, "show", "main:" + owned))
                    .as("the hand edit of an owned file is restored")
                    .contains("value: \"v1\"");
        }
        StateRepo.Run single = StateRepo.existing(reference, tmp).kbr(platform.root(), "apply");
        assertThat(single.exitCode()).as(single.out()).isZero();
        SortedMap<String, String> actual = StateTrees.comparable(remote, "main");
        actual.remove("README.md");
        assertThat(actual).isEqualTo(StateTrees.comparable(reference, "main"));
        System.out.println("ConcurrentAppliesIT: hand commit between read and push: kept README, restored owned"
                + " file, no force push");
    }

    /** Waits until the kbr process runs a pipeline container, so it has read the store. */
    private static void awaitPipelineContainer(KbrJar.Started kbr) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!kbr.process().isAlive()) {
                throw new AssertionError("kbr ended before its pipeline ran:\n" + Files.readString(kbr.log()));
            }
            String owners = Processes.check(
                    Path.of("."),
                    "docker",
                    "ps",
                    "--filter",
                    "label=dev.kbr.managed=true",
                    "--format",
                    "{{.Label \"dev.kbr.run\"}}");
            if (owners.lines().anyMatch(o -> o.contains(":" + kbr.pid() + ":"))) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("kbr's pipeline container did not appear within 90 s");
    }

    private static String value(int round, int writer) {
        return "round-" + round + "-writer-" + writer;
    }
}
