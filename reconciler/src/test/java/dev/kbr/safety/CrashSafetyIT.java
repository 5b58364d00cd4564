package dev.kbr.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.state.git.GitDaemon;
import dev.kbr.testsupport.KbrJar;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.StateRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kbr apply} (a separate JVM) is killed with SIGKILL at random moments, spread over its
 * whole run (start, store read, pipeline containers, commit build, push); every fifth trial is
 * killed the moment its push is seen on the remote instead, so the window between the push and
 * the process's exit is always exercised, however fast or slow the machine. The remote branch,
 * served by a real {@code git daemon}, must always be at the old commit or at a complete new one,
 * every ref must reach a complete history once the server has settled ({@link
 * StateTrees#assertComplete}), the next apply must converge, and what the killed runs left (pipeline containers, temporary
 * folders) must be gone after it.
 */
class CrashSafetyIT {
    private static final int TRIALS = 50;
    private static final int REQUESTS = 2;
    /** Every this many trials, the kill waits for the push instead of a random delay. */
    private static final int AFTER_PUSH_EVERY = 5;

    private static final long SEED = Long.getLong("kbr.test.seed", System.nanoTime());

    @TempDir
    Path tmp;

    @Test
    void aKilledApplyLeavesTheOldOrACompleteNewCommitAndTheNextApplyConvergesAndCleansUp() throws Exception {
        Path served = Files.createDirectories(tmp.resolve("served"));
        Path remote = served.resolve("state.git");
        Path home = Files.createDirectories(tmp.resolve("home"));
        // The kbr processes' own java.io.tmpdir, so only their temporary folders are counted.
        Path kbrTmp = Files.createDirectories(tmp.resolve("kbr-tmp"));
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", remote.toString());
        // Each pipeline sleeps 0.3 s, so the pipeline phase takes a visible share of a run.
        SafetyPlatform platform = SafetyPlatform.write(tmp.resolve("platform"), REQUESTS, "0.3");
        Random random = new Random(SEED);
        System.out.println("CrashSafetyIT: seed=" + SEED + " (rerun with -Dkbr.test.seed=" + SEED + ")");
        Set<Long> pids = new HashSet<>();
        int old = 0;
        int fresh = 0;
        int converged = 0;
        int killedAfterPush = 0;
        long leftByKilled = 0;
        long tempLeftByKilled = 0;
        try (GitDaemon daemon = GitDaemon.start(served, home)) {
            List<String> apply = List.of(
                    "apply",
                    "--platform",
                    platform.root().toString(),
                    "--state-url",
                    "default=" + daemon.url("state.git"),
                    "--pipeline-network",
                    "none");
            Processes.Result first = run(kbrTmp, apply, "first", pids);
            assertThat(first.exitCode()).as(first.output()).isZero();
            setValues(platform, "measured");
            long started = System.nanoTime();
            Processes.Result measured = run(kbrTmp, apply, "measured", pids);
            long fullNanos = System.nanoTime() - started;
            assertThat(measured.exitCode()).as(measured.output()).isZero();
            System.out.println(
                    "CrashSafetyIT: one full apply takes " + TimeUnit.NANOSECONDS.toMillis(fullNanos) + " ms");

            for (int trial = 1; trial <= TRIALS; trial++) {
                setValues(platform, "trial-" + trial);
                String before = StateTrees.head(remote).orElseThrow();
                long killAfter = (long) (random.nextDouble() * fullNanos);
                KbrJar.Started victim = KbrJar.start(kbrTmp, tmp.resolve("trial-" + trial + "-killed.log"), apply);
                pids.add(victim.pid());
                if (trial % AFTER_PUSH_EVERY == 0) {
                    // A timed kill lands after the push only when the run happens to be fast, which
                    // left whole CI runs without a single such case; watching the remote does not.
                    if (awaitPush(remote, before, victim.process())
                            && victim.process().isAlive()) {
                        killedAfterPush++;
                    }
                } else {
                    TimeUnit.NANOSECONDS.sleep(killAfter);
                }
                // destroyForcibly is SIGKILL on Linux: no shutdown hook, no finally block runs.
                victim.process().destroyForcibly();
                assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

                // What the killed run left for the next run to clean up (so the cleanup is exercised).
                leftByKilled += leftoverContainers(Set.of(victim.pid()));
                tempLeftByKilled += kbrTempFolders(kbrTmp).stream()
                        .filter(n -> n.startsWith("kbr-run-" + victim.pid() + "-"))
                        .count();
                // The server side of a push the victim had started goes on without it (git's
                // receive-pack may still move the objects in and update the ref): read the remote
                // only once it has settled, as fsck reports a ref moved under it as missing.
                daemon.awaitIdle(java.time.Duration.ofSeconds(60));
                String after = StateTrees.head(remote).orElseThrow();
                StateTrees.assertComplete(remote);
                Processes.Result next = run(kbrTmp, apply, "trial-" + trial + "-next", pids);
                assertThat(next.exitCode())
                        .as("trial %d: the next apply:\n%s", trial, next.output())
                        .isZero();
                String converge = StateTrees.head(remote).orElseThrow();
                if (after.equals(before)) {
                    old++;
                    assertThat(converge)
                            .as("trial %d: the next apply commits what the killed one did not", trial)
                            .isNotEqualTo(before);
                } else {
                    fresh++;
                    assertThat(StateTrees.git(remote, "rev-parse", after + "^").strip())
                            .as("trial %d: the killed run's commit sits on the old head", trial)
                            .isEqualTo(before);
                    assertThat(converge)
                            .as(
                                    "trial %d: the killed run's commit %s was complete, so the next apply has nothing"
                                            + " to change",
                                    trial, after)
                            .isEqualTo(after);
                }
                for (int r = 0; r < REQUESTS; r++) {
                    assertThat(StateTrees.onlyFileUnder(remote, "main", SafetyPlatform.configMapPrefix(r)))
                            .contains("value: \"trial-" + trial + "\"");
                }
                converged++;
            }
        }
        // The end state also equals one apply of the last inputs into an empty repo.
        Path reference = Files.createDirectories(tmp.resolve("reference")).resolve("state.git");
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", reference.toString());
        StateRepo.Run single = StateRepo.existing(reference, tmp).kbr(platform.root(), "apply");
        assertThat(single.exitCode()).as(single.out()).isZero();
        assertThat(StateTrees.comparable(remote, "main")).isEqualTo(StateTrees.comparable(reference, "main"));
        StateTrees.assertComplete(remote);

        long containers = leftoverContainers(pids);
        List<String> temp = kbrTempFolders(kbrTmp);
        System.out.println("CrashSafetyIT: killed runs left " + leftByKilled + " container(s) and " + tempLeftByKilled
                + " temporary folder(s) for the next run to remove");
        System.out.println("CrashSafetyIT: trials=" + TRIALS + " old=" + old + " new=" + fresh + " converged="
                + converged + " killed-after-push=" + killedAfterPush + " leftover-containers=" + containers
                + " leftover-temp=" + temp.size());
        assertThat(containers).as("pipeline containers of killed runs").isZero();
        assertThat(temp).as("kbr temporary folders in %s", kbrTmp).isEmpty();
        assertThat(old).as("some kills must land before the push").isPositive();
        assertThat(fresh).as("some kills must land after the push").isPositive();
        assertThat(leftByKilled + tempLeftByKilled)
                .as("no killed run left anything behind, so the cleanup was not exercised")
                .isPositive();
    }

    /**
     * Polls the bare repository's {@code main} until it leaves {@code before} or the process ends.
     *
     * @return true when the branch moved
     */
    private static boolean awaitPush(Path remote, String before, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (Repository repo = new FileRepositoryBuilder()
                    .setGitDir(remote.toFile())
                    .setMustExist(true)
                    .build()) {
                Ref main = repo.exactRef("refs/heads/main");
                if (main != null && !main.getObjectId().name().equals(before)) {
                    return true;
                }
            }
            if (!process.isAlive()) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
        throw new AssertionError("the apply neither pushed nor ended within 120 s");
    }

    private static List<String> kbrTempFolders(Path kbrTmp) throws Exception {
        try (Stream<Path> entries = Files.list(kbrTmp)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("kbr-"))
                    .toList();
        }
    }

    private static void setValues(SafetyPlatform platform, String value) throws Exception {
        for (int r = 0; r < REQUESTS; r++) {
            platform.request(r, value);
        }
    }

    private Processes.Result run(Path kbrTmp, List<String> apply, String name, Set<Long> pids) throws Exception {
        KbrJar.Started started = KbrJar.start(kbrTmp, tmp.resolve(name + ".log"), apply);
        pids.add(started.pid());
        return started.await(180);
    }

    /** Containers labelled as kbr's whose owning run is one of the processes this test started. */
    private static long leftoverContainers(Set<Long> pids) throws Exception {
        String owners = Processes.check(
                Path.of("."),
                "docker",
                "ps",
                "-a",
                "--filter",
                "label=dev.kbr.managed=true",
                "--format",
                "{{.Label \"dev.kbr.run\"}}");
        return owners.lines()
                .map(o -> dev.kbr.run.RunOwner.parseLabel(o.strip()))
                .flatMap(Optional::stream)
                .filter(o -> o.onThisHost() && pids.contains(o.pid()))
                .count();
    }
}
