package dev.kbr.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.KbrJar;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.S3Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code kbr apply} processes (separate JVMs, as CI jobs) write one BucketStateStore at
 * once, on a real S3 server (S3Proxy) on 127.0.0.1. Writers take turns under the bucket's lease;
 * one that finds the prefix moved since it read it recomputes on what is there now and writes
 * again (--push-retries), as a Git writer does after a refused push.
 */
class BucketConcurrentAppliesIT {
    private static final int WRITERS = 4;
    private static final int ROUNDS = 20;
    private static final String BUCKET = "kratix";
    private static final String PREFIX = "state";
    private static final Pattern RETRY =
            Pattern.compile("Tried to write state store `default` \\(.*\\) but it moved from \\S+ to \\S+; retrying"
                    + " \\(\\d+ of \\d+\\)");
    private static final long SEED = Long.getLong("kbr.test.seed", System.nanoTime());

    @TempDir
    Path tmp;

    /**
     * 20 rounds; in each, the test changes 4 requests of the shared platform folder (one per
     * writer: its value, and how many extra files it makes, so objects are added and deleted too)
     * and starts 4 applies together. All must succeed; every changed request's new output
     * must then be in the bucket (no lost update), and the bucket's prefix must equal what one
     * apply of the same inputs writes into a fresh bucket.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void fourWritersAtOnceLoseNoUpdateAndEndWhereOneApplyWould() throws Exception {
        SafetyPlatform platform =
                SafetyPlatform.write(tmp.resolve("platform"), WRITERS, null, SafetyPlatform.Store.BUCKET);
        Random random = new Random(SEED);
        System.out.println("BucketConcurrentAppliesIT: seed=" + SEED + " (rerun with -Dkbr.test.seed=" + SEED + ")");
        long started = System.nanoTime();
        int stale = 0;
        long leasePolls = 0;
        long leaseHolds = 0;
        int lost = 0;
        try (S3Server server = S3Server.start()) {
            Path secrets = server.secretsDir(
                    tmp.resolve("secrets"), SafetyPlatform.BUCKET_SECRET_NAMESPACE, SafetyPlatform.BUCKET_SECRET_NAME);
            server.createBucket(BUCKET);
            String leaseTarget = "/" + BUCKET + "/" + PREFIX + "/" + BucketTrees.LEASE;
            for (int round = 1; round <= ROUNDS; round++) {
                for (int w = 0; w < WRITERS; w++) {
                    platform.request(w, value(round, w), files(round, w));
                }
                server.resetCounts();
                List<KbrJar.Started> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    // A few milliseconds of start jitter: writers collide at different points.
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(20));
                    writers.add(KbrJar.start(
                            null,
                            tmp.resolve("round-" + round + "-writer-" + w + ".log"),
                            args("apply", platform, server, BUCKET, secrets)));
                }
                for (KbrJar.Started writer : writers) {
                    Processes.Result result = writer.await(300);
                    assertThat(result.exitCode())
                            .as("round %d writer output:\n%s", round, result.output())
                            .isZero();
                    Matcher m = RETRY.matcher(result.output());
                    while (m.find()) {
                        stale++;
                    }
                }
                // A writer that finds the lease taken reads it (GET) before each wait; a writer
                // that held it (to write, or to find the bucket moved) deletes it when done.
                for (S3Server.Request request : server.requests()) {
                    if (request.target().startsWith(leaseTarget)) {
                        if (request.method().equals("GET")) {
                            leasePolls++;
                        } else if (request.method().equals("DELETE")) {
                            leaseHolds++;
                        }
                    }
                }

                String reference = "reference-" + round;
                Processes.Result single = BucketTrees.kbr(args("apply", platform, server, reference, secrets));
                assertThat(single.exitCode()).as(single.output()).isZero();
                SortedMap<String, String> expected = BucketTrees.comparable(server, reference, PREFIX);
                SortedMap<String, String> actual = BucketTrees.comparable(server, BUCKET, PREFIX);
                assertThat(BucketTrees.differences(expected, actual))
                        .as("round %d: bucket vs one apply of the same inputs", round)
                        .isEmpty();
                for (int w = 0; w < WRITERS; w++) {
                    String configMap = BucketTrees.onlyObject(
                            server, BUCKET, PREFIX, SafetyPlatform.configMapPrefix(w), "/configmap.yaml");
                    if (!configMap.contains("value: \"" + value(round, w) + "\"")) {
                        lost++;
                    }
                }
                assertThat(lost).as("lost updates after round %d", round).isZero();
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.println("BucketConcurrentAppliesIT: writers=" + WRITERS + " rounds=" + ROUNDS + " stale-retries="
                + stale + " lease-holds=" + leaseHolds + " lease-polls=" + leasePolls + " lost-updates=" + lost
                + " seconds=" + seconds);
        assertThat(stale)
                .as("no writer ever found the bucket moved: the writers did not contend, so the test proved nothing")
                .isPositive();
    }

    private static List<String> args(
            String command, SafetyPlatform platform, S3Server server, String bucket, Path secrets) {
        return BucketTrees.kbrArgs(command, platform, server.endpoint() + "/" + bucket + "/" + PREFIX, secrets);
    }

    /** 0, 2, 4 or 6, different from the round before: each round adds or deletes files. */
    private static int files(int round, int writer) {
        return 2 * ((round + writer) % 4);
    }

    private static String value(int round, int writer) {
        return "round-" + round + "-writer-" + writer;
    }
}
