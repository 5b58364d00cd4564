package dev.kbr.engine;

import dev.kbr.state.StaleStateException;
import dev.kbr.state.StoreLocation;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The rules for writing again after a state store refused a change set because it moved
 * since it was read (another kbr run, a person, or Kratix committed in between).
 *
 * <p>Retries wait with jittered exponential backoff: the n-th retry waits a random time between
 * half and all of {@code min(CAP, BASE * 2^(n-1))}, so writers that collided once spread out
 * instead of colliding again in lock step, and no single wait exceeds {@link #CAP}.
 */
final class PushRetry {
    /** The wait before the first retry (its upper bound). */
    static final Duration BASE = Duration.ofMillis(100);

    /** The longest single wait. */
    static final Duration CAP = Duration.ofSeconds(2);

    private PushRetry() {}

    /**
     * How long to wait before retry {@code retry}.
     *
     * @param retry 1 for the first retry
     * @param random the jitter source
     * @return a duration in {@code [ceiling/2, ceiling]}, {@code ceiling = min(CAP, BASE * 2^(retry-1))}
     * @throws IllegalArgumentException when {@code retry < 1}
     */
    static Duration delay(int retry, RandomGenerator random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1, not " + retry);
        }
        long ceiling = BASE.toMillis() << Math.min(retry - 1, 20);
        ceiling = Math.min(ceiling, CAP.toMillis());
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + random.nextLong(ceiling - floor + 1));
    }

    /** The line reported for one retry, e.g. {@code ... moved from 1a2b3c4 to 4d5e6f7; retrying (2 of 5)}. */
    static String retrying(String store, StoreLocation where, StaleStateException e, int retry, int retries) {
        return tried(store, where) + " but " + (isGit(where) ? "the remote" : "it") + " moved from "
                + shortId(e.expectedVersion(), where) + " to " + shortId(e.actualVersion(), where) + "; retrying ("
                + retry + " of " + retries + ")";
    }

    /** The error when every retry was refused: nothing was written, nothing is lost. */
    static String exhausted(String store, StoreLocation where, StaleStateException e, int retries) {
        String times = retries == 0 ? "once (--push-retries 0)" : (retries + 1) + " times";
        return tried(store, where) + " " + times + " but " + (isGit(where) ? "the remote" : "it")
                + " moved every time, last from " + shortId(e.expectedVersion(), where) + " to "
                + shortId(e.actualVersion(), where) + "; nothing was written to it and nothing is lost:"
                + " run kbr apply again, or raise --push-retries when several writers share the "
                + (isGit(where) ? "branch" : "store");
    }

    private static String tried(String store, StoreLocation where) {
        return "Tried to " + (isGit(where) ? "push to" : "write") + " state store `" + store + "` (" + where.qualifier()
                + ")";
    }

    /** Stores with branches are Git stores: their messages keep Git's words (push, remote, branch). */
    private static boolean isGit(StoreLocation where) {
        return where.branch().isPresent();
    }

    private static String shortId(Optional<String> id, StoreLocation where) {
        return id.map(i -> i.length() > 7 ? i.substring(0, 7) : i).orElse(isGit(where) ? "(no branch)" : "(empty)");
    }
}
