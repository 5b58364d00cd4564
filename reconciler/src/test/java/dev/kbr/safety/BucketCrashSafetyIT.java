package dev.kbr.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.KbrJar;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kbr apply} (a separate JVM) writing a BucketStateStore on a real S3 server (S3Proxy on
 * 127.0.0.1) is killed with SIGKILL at random moments spread over its whole run (start, bucket
 * read, pipeline containers, lease, object writes, deletions, records archive). Every fifth trial
 * is killed the moment the server sees its first write of a Destination's object instead, and
 * every fifth (offset) the moment it sees the records archive written, so the window inside the
 * write and the one between the commit point and the lease's release are exercised however fast
 * or slow the machine.
 *
 * <p>After each kill, every Destination's folder, downloaded as a Flux {@code Bucket} source
 * would, must build as Flux's kustomize-controller would build it; the next apply (with a short
 * {@code --bucket-lease-ttl}, so a lease the killed run held expires soon) must succeed and leave
 * the bucket equal to one apply of the same inputs into a fresh bucket; and a plan after it must
 * have nothing to do.
 */
class BucketCrashSafetyIT {
    private static final int TRIALS = 50;
    private static final int REQUESTS = 2;
    /** Every this many trials, the kill waits for a write the server sees instead of a random delay. */
    private static final int WATCHED_EVERY = 5;

    private static final String BUCKET = "kratix";
    private static final String PREFIX = "state";
    private static final String DESTINATION = "worker-0";
    private static final String LEASE_TTL = "3s";
    private static final long SEED = Long.getLong("kbr.test.seed", System.nanoTime());

    @TempDir
    Path tmp;

    /** When a trial's kill lands. */
    private enum Kill {
        /** After a random share of one full apply's duration. */
        TIMED,
        /** As soon as the server has received the first write of an object of a Destination. */
        FIRST_OBJECT_WRITE,
        /** As soon as the server has received the records archive (the commit point). */
        RECORDS_WRITE
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void aKilledApplyLeavesBuildableDestinationsAndTheNextApplyConverges() throws Exception {
        long started = System.nanoTime();
        SafetyPlatform platform =
                SafetyPlatform.write(tmp.resolve("platform"), REQUESTS, "0.3", SafetyPlatform.Store.BUCKET);
        Random random = new Random(SEED);
        System.out.println("BucketCrashSafetyIT: seed=" + SEED + " (rerun with -Dkbr.test.seed=" + SEED + ")");
        int beforeWrite = 0;
        int insideWrite = 0;
        int afterRecords = 0;
        int leaseMet = 0;
        int leasesLeft = 0;
        int finishedFirst = 0;
        int converged = 0;
        int builds = 0;
        try (S3Server server = S3Server.start()) {
            Path secrets = server.secretsDir(
                    tmp.resolve("secrets"), SafetyPlatform.BUCKET_SECRET_NAMESPACE, SafetyPlatform.BUCKET_SECRET_NAME);
            server.createBucket(BUCKET);
            String objects = "/" + BUCKET + "/" + PREFIX + "/" + DESTINATION + "/";
            String records = "/" + BUCKET + "/" + PREFIX + "/" + BucketTrees.RECORDS_ARCHIVE;
            String lease = "/" + BUCKET + "/" + PREFIX + "/" + BucketTrees.LEASE;
            Predicate<S3Server.Request> objectWrite =
                    r -> r.method().equals("PUT") && r.target().startsWith(objects)
                            || r.method().equals("POST") && r.target().startsWith("/" + BUCKET + "?delete");
            Predicate<S3Server.Request> recordsWrite =
                    r -> r.method().equals("PUT") && r.target().startsWith(records);

            Processes.Result first = run(args("apply", platform, server, BUCKET, secrets), "first");
            assertThat(first.exitCode()).as(first.output()).isZero();
            setInputs(platform, "measured", random);
            long measuredStart = System.nanoTime();
            Processes.Result measured = run(args("apply", platform, server, BUCKET, secrets), "measured");
            long fullNanos = System.nanoTime() - measuredStart;
            assertThat(measured.exitCode()).as(measured.output()).isZero();
            System.out.println(
                    "BucketCrashSafetyIT: one full apply takes " + TimeUnit.NANOSECONDS.toMillis(fullNanos) + " ms");

            for (int trial = 1; trial <= TRIALS; trial++) {
                setInputs(platform, "trial-" + trial, random);
                Kill kill = trial % WATCHED_EVERY == 0
                        ? Kill.FIRST_OBJECT_WRITE
                        : trial % WATCHED_EVERY == 3 ? Kill.RECORDS_WRITE : Kill.TIMED;
                long killAfter = (long) (random.nextDouble() * fullNanos);
                server.resetCounts();
                KbrJar.Started victim = KbrJar.start(
                        null,
                        tmp.resolve("trial-" + trial + "-killed.log"),
                        args("apply", platform, server, BUCKET, secrets));
                switch (kill) {
                    case TIMED -> TimeUnit.NANOSECONDS.sleep(killAfter);
                    case FIRST_OBJECT_WRITE -> awaitRequest(server, objectWrite, victim.process());
                    case RECORDS_WRITE -> awaitRequest(server, recordsWrite, victim.process());
                }
                if (!victim.process().isAlive()) {
                    finishedFirst++;
                    assertThat(victim.process().exitValue())
                            .as("trial %d: the apply ended before its kill:\n%s", trial, Files.readString(victim.log()))
                            .isZero();
                }
                // destroyForcibly is SIGKILL on Linux: no shutdown hook, no finally block runs.
                victim.process().destroyForcibly();
                assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                // Requests the victim had sent reach the server's log a moment later.
                TimeUnit.MILLISECONDS.sleep(500);
                List<S3Server.Request> seen = server.requests();
                if (seen.stream().anyMatch(recordsWrite)) {
                    afterRecords++;
                } else if (seen.stream().anyMatch(objectWrite)) {
                    insideWrite++;
                } else {
                    beforeWrite++;
                }

                List<String> unbuildable = BucketTrees.unbuildable(
                        server, BUCKET, PREFIX, DESTINATION, tmp.resolve("trial-" + trial + "-download"));
                assertThat(unbuildable)
                        .as("trial %d (%s kill): Destination folders that Flux could not build", trial, kill)
                        .isEmpty();
                builds += 2;

                server.resetCounts();
                Processes.Result next =
                        run(args("apply", platform, server, BUCKET, secrets), "trial-" + trial + "-next");
                assertThat(next.exitCode())
                        .as("trial %d (%s kill): the next apply:\n%s", trial, kill, next.output())
                        .isZero();
                if (server.requests().stream()
                        .anyMatch(r -> r.method().equals("GET") && r.target().startsWith(lease))) {
                    leaseMet++;
                }
                for (int r = 0; r < REQUESTS; r++) {
                    assertThat(BucketTrees.onlyObject(
                                    server, BUCKET, PREFIX, SafetyPlatform.configMapPrefix(r), "/configmap.yaml"))
                            .as("trial %d: request %d", trial, r)
                            .contains("value: \"trial-" + trial + "\"");
                }
                String reference = "reference-" + trial;
                Processes.Result single = BucketTrees.kbr(args("apply", platform, server, reference, secrets));
                assertThat(single.exitCode()).as(single.output()).isZero();
                SortedMap<String, String> actual = BucketTrees.comparable(server, BUCKET, PREFIX);
                if (actual.containsKey(BucketTrees.LEASE)) {
                    // A run killed after its records were written but before it released the
                    // lease leaves it; the next apply had nothing to write, so never took it over.
                    // It must name the killed run; it expires after --bucket-lease-ttl, and the
                    // next writer with something to write takes it over (the next trial's victim).
                    assertThat(BucketTrees.text(server, BUCKET, PREFIX, BucketTrees.LEASE))
                            .as("trial %d (%s kill): the lease left in the bucket", trial, kill)
                            .contains("process " + victim.pid() + "\n");
                    actual.remove(BucketTrees.LEASE);
                    leasesLeft++;
                }
                assertThat(BucketTrees.differences(BucketTrees.comparable(server, reference, PREFIX), actual))
                        .as(
                                "trial %d (%s kill): bucket after the next apply vs one apply into a fresh bucket",
                                trial, kill)
                        .isEmpty();
                List<String> plan = new ArrayList<>(args("plan", platform, server, BUCKET, secrets));
                plan.add("--detailed-exitcode");
                Processes.Result planned = BucketTrees.kbr(plan);
                assertThat(planned.exitCode())
                        .as("trial %d: a plan after the next apply has nothing to do:\n%s", trial, planned.output())
                        .isZero();
                converged++;
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.println("BucketCrashSafetyIT: trials=" + TRIALS + " killed-before-write=" + beforeWrite
                + " killed-inside-write=" + insideWrite + " killed-after-records=" + afterRecords
                + " finished-before-kill=" + finishedFirst + " builds-ok="
                + builds + " next-apply-met-lease=" + leaseMet + " expired-leases-left=" + leasesLeft
                + " converged=" + converged + " seconds="
                + seconds);
        assertThat(insideWrite).as("some kills must land inside the write").isPositive();
        assertThat(beforeWrite).as("some kills must land before the write").isPositive();
    }

    /** Each request gets {@code value} and 0 to 12 extra files, so objects are added and deleted. */
    private static void setInputs(SafetyPlatform platform, String value, Random random) throws Exception {
        for (int r = 0; r < REQUESTS; r++) {
            platform.request(r, value, random.nextInt(13));
        }
    }

    /** Polls the server's requests until one matches or the process ends (at most 120 s). */
    private static void awaitRequest(S3Server server, Predicate<S3Server.Request> wanted, Process process)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (server.requests().stream().anyMatch(wanted) || !process.isAlive()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
        throw new AssertionError("the apply neither wrote nor ended within 120 s");
    }

    private Processes.Result run(List<String> args, String name) throws Exception {
        return KbrJar.start(null, tmp.resolve(name + ".log"), args).await(180);
    }

    private static List<String> args(
            String command, SafetyPlatform platform, S3Server server, String bucket, Path secrets) {
        return BucketTrees.kbrArgs(
                command,
                platform,
                server.endpoint() + "/" + bucket + "/" + PREFIX,
                secrets,
                "--bucket-lease-ttl",
                LEASE_TTL);
    }
}
