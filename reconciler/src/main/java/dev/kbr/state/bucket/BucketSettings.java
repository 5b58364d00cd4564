package dev.kbr.state.bucket;

import dev.kbr.model.BucketStateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach and write one bucket state store. Build with {@link #from} and adjust with the
 * {@code with…} methods.
 *
 * @param store the BucketStateStore (any {@code --state-url} override applied)
 * @param accessKey the keys of {@code spec.secretRef} for {@code authMethod: accessKey}; empty for
 *     {@code IAM} (the S3 client's standard credential chain). Reading the Secret is the caller's job
 * @param lease how long a writer's lease lasts without renewal, and how long a writer waits after
 *     writing it before checking that it still holds it
 * @param timeout how long one request may take before it fails
 * @param trustedCaFile PEM CA certificates trusted for an https endpoint besides the JDK's
 *     ({@code --ca-file}); empty for the JDK's alone
 */
public record BucketSettings(
        BucketStateStore store,
        Optional<AccessKey> accessKey,
        LeaseTimes lease,
        Duration timeout,
        Optional<Path> trustedCaFile) {

    /** The default lease time: a writer killed mid-pass blocks others for at most this long. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(60);

    /** The shortest lease time accepted. */
    public static final Duration MIN_LEASE_TTL = Duration.ofSeconds(2);

    public BucketSettings {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(trustedCaFile, "trustedCaFile");
    }

    /** The store with no access key, the default lease and a 60 s request timeout. */
    public static BucketSettings from(BucketStateStore store) {
        return new BucketSettings(
                store, Optional.empty(), LeaseTimes.of(DEFAULT_LEASE_TTL), Duration.ofSeconds(60), Optional.empty());
    }

    /** The same settings with an access key. */
    public BucketSettings withAccessKey(AccessKey key) {
        return new BucketSettings(store, Optional.of(key), lease, timeout, trustedCaFile);
    }

    /**
     * The same settings with another lease time.
     *
     * @throws IllegalArgumentException when {@code ttl} is shorter than {@link #MIN_LEASE_TTL}
     */
    public BucketSettings withLeaseTtl(Duration ttl) {
        return new BucketSettings(store, accessKey, LeaseTimes.of(ttl), timeout, trustedCaFile);
    }

    /** The same settings trusting the CAs of a PEM file too. */
    public BucketSettings withTrustedCaFile(Path caFile) {
        return new BucketSettings(store, accessKey, lease, timeout, Optional.of(caFile));
    }

    /**
     * An S3 access key. {@link #toString()} never shows the secret.
     *
     * @param id {@code accessKeyID}
     * @param secret {@code secretAccessKey}
     * @param source where it was read, for messages: {@code Secret NAMESPACE/NAME}
     */
    public record AccessKey(String id, String secret, String source) {
        public AccessKey {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String toString() {
            return "AccessKey[" + source + "]";
        }
    }

    /**
     * @param ttl how long a lease lasts from its last write, judged by the server's clock
     * @param settle how long a writer waits after writing the lease before reading it back; longer
     *     than a lease write may take, so that a competing write still in flight has landed
     */
    public record LeaseTimes(Duration ttl, Duration settle) {
        public LeaseTimes {
            if (ttl.compareTo(MIN_LEASE_TTL) < 0) {
                throw new IllegalArgumentException(
                        "the bucket lease time must be at least " + MIN_LEASE_TTL.toSeconds() + "s, not " + ttl);
            }
            if (settle.isNegative() || settle.compareTo(ttl.dividedBy(2)) > 0) {
                throw new IllegalArgumentException("the lease settle time must be between 0 and half the lease time");
            }
        }

        /** {@code ttl} with a settle time of a twentieth of it, at most one second. */
        public static LeaseTimes of(Duration ttl) {
            Duration settle = ttl.dividedBy(20);
            return new LeaseTimes(ttl, settle.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : settle);
        }
    }
}
