package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.state.StaleStateException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PushRetryTest {
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
        assertThat(PushRetry.retrying("default", "main", e, 2, 5))
                .isEqualTo("Tried to push to state store `default` (branch main) but the remote moved from 1a2b3c4"
                        + " to 4d5e6f7; retrying (2 of 5)");
        assertThat(PushRetry.exhausted("default", "main", e, 5))
                .contains("state store `default` (branch main) 6 times")
                .contains("nothing is lost")
                .contains("--push-retries");
        assertThat(PushRetry.exhausted(
                        "default", "main", new StaleStateException("x", Optional.empty(), Optional.of("abc")), 0))
                .contains("once (--push-retries 0)")
                .contains("from (no branch) to abc");
    }

    @Test
    void passOptionsRefuseANegativeRetryCount() {
        assertThatThrownBy(() -> new PassOptions.Safety(PassOptions.DEFAULT_MAX_DELETE_FRACTION, false, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pushRetries");
        assertThat(PassOptions.DEFAULT_PUSH_RETRIES).isEqualTo(5);
    }
}
