package dev.kbr.state.bucket;

import dev.kbr.state.StaleStateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The lease that keeps two writers of one bucket prefix apart: an object ({@code
 * <path>/.kbr/lease}) created with {@code If-None-Match: *}, renewed and taken over with {@code
 * If-Match}, and released by its holder. Its body names the holder and its lifetime and holds a
 * random nonce, so every write of it has its own ETag.
 *
 * <p>Some S3-compatible servers (S3Proxy 3.0.0, S3Mock) check a condition and write as two
 * steps, so two racing conditional writes can both succeed. A writer therefore waits a settle
 * time after its write, reads the lease's ETag back and holds the lease only if it is still its
 * own; the last write wins on disk, so exactly one writer sees its own. The holder checks again
 * before each phase of its write. This is timing, not a proof: a lease write delayed inside the
 * server for longer than the settle time could still slip in, which a server with atomic
 * conditional writes (AWS S3, MinIO) rules out.
 *
 * <p>A lease expires when the server's clock ({@code Date}) is more than its lifetime past its
 * {@code Last-Modified}, so a killed writer blocks others for at most that long, and writers'
 * clocks never matter.
 */
final class BucketLease {
    private final S3Access s3;
    private final String key;
    private final BucketSettings.LeaseTimes times;
    private final String holder;

    /**
     * @param key the lease object's key
     * @param holder who writes, for the messages of writers kept waiting (host and process)
     */
    BucketLease(S3Access s3, String key, BucketSettings.LeaseTimes times, String holder) {
        this.s3 = s3;
        this.key = key;
        this.times = times;
        this.holder = holder;
    }

    /**
     * Takes the lease, waiting while another writer holds it (at most twice the lease time and
     * ten seconds) and taking over a lease that expired.
     *
     * @throws IOException when another writer keeps it longer, or the bucket cannot be written
     */
    Held acquire() throws IOException {
        long deadline =
                System.nanoTime() + times.ttl().multipliedBy(2).plusSeconds(10).toNanos();
        String lastSeen = "";
        while (true) {
            Optional<Held> held = tryCreate();
            if (held.isPresent()) {
                return held.get();
            }
            Optional<S3Access.Fetched> current = s3.fetch(key);
            if (current.isEmpty()) {
                continue;
            }
            S3Access.Fetched lease = current.get();
            lastSeen = new String(lease.content(), StandardCharsets.UTF_8).strip();
            Duration age = Duration.between(lease.lastModified(), lease.serverTime());
            // Last-Modified has whole seconds; one more second keeps a live lease from looking old.
            if (age.compareTo(ttlOf(lastSeen).plusSeconds(1)) > 0) {
                held = tryWrite(new S3Access.Condition.Holds(lease.etag()));
                if (held.isPresent()) {
                    return held.get();
                }
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(s3.where() + ": another writer holds the lease " + key + " and kept it"
                        + " while kbr waited (" + lastSeen.replace('\n', ';') + "). Another kbr apply is"
                        + " writing this bucket: run again later. A lease of a writer that was killed expires"
                        + " by itself after its ttlSeconds");
            }
            sleep(Duration.ofMillis(250 + (long) (Math.random() * 500)));
        }
    }

    private Optional<Held> tryCreate() throws IOException {
        return tryWrite(new S3Access.Condition.Absent());
    }

    private Optional<Held> tryWrite(S3Access.Condition condition) throws IOException {
        String etag;
        byte[] body = body();
        try {
            etag = s3.put(key, body, condition, Optional.of(writeTimeout()));
        } catch (StaleStateException e) {
            return Optional.empty();
        }
        Held held = new Held(etag, System.nanoTime(), body);
        sleep(times.settle());
        return held.stillHeld() ? Optional.of(held) : Optional.empty();
    }

    private byte[] body() {
        return ("holder: " + holder + "\nnonce: " + UUID.randomUUID() + "\nttlSeconds: "
                        + times.ttl().toSeconds() + "\nwritten: " + Instant.now() + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private Duration writeTimeout() {
        return Duration.ofSeconds(10);
    }

    private Duration ttlOf(String body) {
        for (String line : body.split("\n")) {
            if (line.startsWith("ttlSeconds: ")) {
                try {
                    return Duration.ofSeconds(Long.parseLong(
                            line.substring("ttlSeconds: ".length()).strip()));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        return times.ttl();
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the bucket lease", e);
        }
    }

    /** A lease this writer holds. Used by one thread. */
    final class Held {
        private String etag;
        private long writtenAt;
        private byte[] body;

        private Held(String etag, long writtenAt, byte[] body) {
            this.etag = etag;
            this.writtenAt = writtenAt;
            this.body = body;
        }

        /**
         * Whether the server refuses a create-only write ({@code If-None-Match: *}) on the lease
         * that exists: it writes the lease's own bytes again that way, so a server that ignores
         * the condition rewrites the same content and nothing changes, and no other object is
         * needed for the check.
         */
        boolean conditionsHonoured() throws IOException {
            try {
                s3.put(key, body, new S3Access.Condition.Absent(), Optional.of(writeTimeout()));
                return false;
            } catch (StaleStateException e) {
                return true;
            }
        }

        private boolean stillHeld() throws IOException {
            return s3.etag(key).map(etag::equals).orElse(false);
        }

        /**
         * Checks that the lease is still this writer's, renewing it when a third of its time has
         * passed since it was last written.
         *
         * @throws IOException when another writer took it (this one stalled longer than the lease
         *     time): nothing more may be written
         */
        void check() throws IOException {
            if (System.nanoTime() - writtenAt > times.ttl().dividedBy(3).toNanos()) {
                try {
                    byte[] renewed = body();
                    etag = s3.put(key, renewed, new S3Access.Condition.Holds(etag), Optional.of(writeTimeout()));
                    body = renewed;
                    writtenAt = System.nanoTime();
                } catch (StaleStateException e) {
                    throw lost();
                }
                sleep(times.settle());
            }
            if (!stillHeld()) {
                throw lost();
            }
        }

        /** Deletes the lease if it is still this writer's; never fails the caller's work. */
        void release() {
            try {
                if (stillHeld()) {
                    s3.delete(key);
                }
            } catch (IOException e) {
                // The lease then expires by itself.
            }
        }

        private IOException lost() {
            return new IOException(s3.where() + ": kbr lost its lease " + key + " to another writer while writing"
                    + " (this pass stalled longer than the lease time, "
                    + times.ttl().toSeconds() + "s); what it"
                    + " wrote so far is complete objects, and the next pass writes the rest. Run again");
        }
    }
}
