package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.state.StaleStateException;
import dev.kbr.state.StoreLocation;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PushRetryTest {
    private static final StoreLocation GIT =
            new StoreLocation("default", "GitStateStore", "https://git.example/state.git", Optional.of("main"));

    @Test
    void eachRetryWaitsBetweenHalfAndAllOfItsCappedExponentialCeiling() {
        SplittableRandom random = new SplittableRandom(42);
        long[] ceilings = {100, 200, 400, 800, 1600, 2000, 2000, 2000};
        for (int retry = 1; retry <= ceilings.length; retry++) {
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                long millis = PushRetry.delay(retry, random).toMillis();
                assertThat(millis).isBetween(ceilings[retry - 1] / 2, ceilings[retry - 1]);
                seen.add(millis);
            }
            // Jittered: writers that collided once do not wait the same time.
            assertThat(seen).hasSizeGreaterThan(20);
        }
        assertThat(PushRetry.delay(1000, random)).isLessThanOrEqualTo(PushRetry.CAP);
        assertThat(PushRetry.delay(Integer.MAX_VALUE, random)).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void retryCountsFromOne() {
        assertThatThrownBy(() -> PushRetry.delay(0, new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 1");
    }

    @Test
    void messagesNameTheStoreTheBranchAndHowTheRemoteMoved() {
        StaleStateException e = new StaleStateException(
                "moved",
                Optional.of("1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"),
                Optional.of("4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70"));
        assertThat(PushRetry.retrying("default", GIT, e, 2, 5))
                .isEqualTo("Tried to push to state store `default` (branch main) but the remote moved from 1a2b3c4"
                        + " to 4d5e6f7; retrying (2 of 5)");
        assertThat(PushRetry.exhausted("default", GIT, e, 5))
                .contains("state store `default` (branch main) 6 times")
                .contains("nothing is lost")
                .contains("--push-retries");
        assertThat(PushRetry.exhausted(
                        "default", GIT, new StaleStateException("x", Optional.empty(), Optional.of("abc")), 0))
                .contains("once (--push-retries 0)")
                .contains("from (no branch) to abc");
    }

    @Test
    void aStoreWithoutBranchesIsNamedByItsUrlAndItsVersions() {
        StoreLocation bucket = new StoreLocation("default", "BucketStateStore", "s3://kratix/state", Optional.empty());
        StaleStateException e = new StaleStateException("moved", Optional.empty(), Optional.of("v2"));
        assertThat(PushRetry.retrying("default", bucket, e, 1, 5))
                .isEqualTo("Tried to write state store `default` (s3://kratix/state) but it moved from (empty) to v2;"
                        + " retrying (1 of 5)")
                .doesNotContain("branch", "remote", "push");
        assertThat(PushRetry.exhausted("default", bucket, e, 2))
                .contains("3 times")
                .doesNotContain("branch");
    }

    @Test
    void passOptionsRefuseANegativeRetryCount() {
        assertThatThrownBy(() -> new PassOptions.Safety(PassOptions.DEFAULT_MAX_DELETE_FRACTION, false, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pushRetries");
        assertThat(PassOptions.DEFAULT_PUSH_RETRIES).isEqualTo(5);
    }
}
