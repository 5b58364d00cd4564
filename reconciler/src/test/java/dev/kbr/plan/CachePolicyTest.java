package dev.kbr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Each cache rule of docs/architecture.md ("the workflow cache") and Kratix's reconciliation
 * triggers (docs/kratix-compatibility.md), one test each, on records built by hand.
 */
class CachePolicyTest {
    private static final ObjectKey REQUEST = ObjectKey.request("redis", "default", "cache");
    private static final WorkId WORK = WorkId.resource("redis", "default", "cache", "instance");
    private static final Instant RAN = Instant.parse("2026-11-01T10:00:00Z");
    private static final String HASH = "abc123";
    private static final Duration TEN_HOURS = Duration.ofHours(10);

    @Test
    void anObjectWithoutARecordedRunIsNew() {
        assertThat(policy(Recorded.none(), false, RAN).whyRun(REQUEST, HASH, "", TEN_HOURS))
                .contains(RunReason.of(RunReason.Kind.NEW));
    }

    @Test
    void anUnchangedReconciledObjectWithinItsIntervalIsCached() {
        assertThat(policy(recorded("", true, "worker", Optional.empty()), false, RAN.plusSeconds(60))
                        .whyRun(REQUEST, HASH, "", TEN_HOURS))
                .isEmpty();
    }

    @Test
    void reconcileAllRunsEvenACachedObject() {
        assertThat(policy(recorded("", true, "worker", Optional.empty()), true, RAN)
                        .whyRun(REQUEST, HASH, "", TEN_HOURS))
                .map(RunReason::text)
                .contains("--reconcile-all");
    }

    @Test
    void aDifferentInputHashRuns() {
        assertThat(policy(recorded("", true, "worker", Optional.empty()), false, RAN)
                        .whyRun(REQUEST, "other", "", TEN_HOURS))
                .map(RunReason::text)
                .contains("input changed");
    }

    @Test
    void aNewManualReconciliationValueRunsAndTheSameValueDoesNot() {
        Recorded recorded = recorded("1", true, "worker", Optional.empty());
        assertThat(policy(recorded, false, RAN).whyRun(REQUEST, HASH, "2", TEN_HOURS))
                .map(RunReason::text)
                .contains("kratix.io/manual-reconciliation is 2");
        assertThat(policy(recorded, false, RAN).whyRun(REQUEST, HASH, "1", TEN_HOURS))
                .isEmpty();
        // Removing the label is not a trigger.
        assertThat(policy(recorded, false, RAN).whyRun(REQUEST, HASH, "", TEN_HOURS))
                .isEmpty();
    }

    @Test
    void anObjectWhoseDeliveredFileWasChangedInTheStoreRunsAgain() {
        Recorded recorded = recorded("", true, "worker", Optional.empty());
        assertThat(policy(recorded.withOutputsChanged(java.util.Set.of(REQUEST)), false, RAN.plusSeconds(60))
                        .whyRun(REQUEST, HASH, "", TEN_HOURS))
                .map(RunReason::text)
                .contains("an output it delivered was changed in the state store");
        assertThat(policy(
                                recorded.withOutputsChanged(
                                        java.util.Set.of(ObjectKey.request("redis", "default", "x"))),
                                false,
                                RAN.plusSeconds(60))
                        .whyRun(REQUEST, HASH, "", TEN_HOURS))
                .isEmpty();
    }

    @Test
    void aLastRunThatDidNotEndReconciledRuns() {
        assertThat(policy(recorded("", false, "worker", Optional.empty()), false, RAN)
                        .whyRun(REQUEST, HASH, "", TEN_HOURS))
                .map(RunReason::text)
                .contains("last run did not end reconciled");
    }

    @Test
    void aRemovedDestinationWithCleanupAllRunsAndWithCleanupNoneDoesNot() {
        assertThat(policy(recorded("", true, "gone", Optional.of(DestinationCleanup.ALL)), false, RAN)
                        .whyRun(REQUEST, HASH, "", TEN_HOURS))
                .map(RunReason::text)
                .contains("its Destination gone was removed with cleanup: all");
        // No record of the Destination's policy: Kratix's default, all.
        assertThat(policy(recorded("", true, "gone", Optional.empty()), false, RAN)
                        .whyRun(REQUEST, HASH, "", TEN_HOURS))
                .map(RunReason::kind)
                .contains(RunReason.Kind.DESTINATION_EMPTIED);
        assertThat(policy(recorded("", true, "gone", Optional.of(DestinationCleanup.NONE)), false, RAN)
                        .whyRun(REQUEST, HASH, "", TEN_HOURS))
                .isEmpty();
    }

    @Test
    void theIntervalElapsesExactlyAtItsEndAndZeroNeverElapses() {
        Recorded recorded = recorded("", true, "worker", Optional.empty());
        assertThat(policy(recorded, false, RAN.plus(TEN_HOURS).minusSeconds(1)).whyRun(REQUEST, HASH, "", TEN_HOURS))
                .isEmpty();
        assertThat(policy(recorded, false, RAN.plus(TEN_HOURS)).whyRun(REQUEST, HASH, "", TEN_HOURS))
                .map(RunReason::text)
                .contains("reconciliation interval PT10H elapsed");
        assertThat(policy(recorded, false, RAN.plus(Duration.ofDays(400))).whyRun(REQUEST, HASH, "", Duration.ZERO))
                .isEmpty();
    }

    @Test
    void anUnreadableLastRunTimeRuns() {
        Recorded recorded = new Recorded(
                new TreeMap<>(Map.of(REQUEST, new Recorded.LastRun(HASH, "yesterday", ""))),
                Set.of(REQUEST),
                new TreeSet<>(Set.of(REQUEST)),
                new TreeSet<>(Set.of(WORK)),
                new TreeMap<>());
        assertThat(policy(recorded, false, RAN).whyRun(REQUEST, HASH, "", TEN_HOURS))
                .map(RunReason::text)
                .contains("last run time unreadable");
    }

    @Test
    void theFirstTriggerInOrderIsTheReason() {
        // Input changed, not reconciled and on an emptied Destination at once: the input wins.
        Recorded recorded = recorded("", false, "gone", Optional.empty());
        assertThat(policy(recorded, false, RAN.plus(Duration.ofDays(1))).whyRun(REQUEST, "other", "", TEN_HOURS))
                .map(RunReason::kind)
                .contains(RunReason.Kind.INPUT_CHANGED);
        assertThat(policy(recorded, false, RAN.plus(Duration.ofDays(1))).whyRun(REQUEST, HASH, "", TEN_HOURS))
                .map(RunReason::kind)
                .contains(RunReason.Kind.NOT_RECONCILED);
    }

    @Test
    void aWorkflowSuspendedWithRetryAfterWaitsForItsNextRetryAtThenRunsAsARetry() {
        Instant retryAt = RAN.plus(Duration.ofHours(12));
        Recorded recorded = new Recorded(
                new TreeMap<>(Map.of(REQUEST, new Recorded.LastRun(HASH, RAN.toString(), "", Optional.of(retryAt)))),
                Set.of(),
                new TreeSet<>(Set.of(REQUEST)),
                new TreeSet<>(Set.of(WORK)),
                new TreeMap<>(Map.of(REQUEST, List.of(new Recorded.Placement("worker", Optional.empty())))));
        assertThat(policy(recorded, false, retryAt.minusSeconds(1)).whyRun(REQUEST, HASH, "", TEN_HOURS))
                .as("not before its nextRetryAt, though its 10h interval has passed: Kratix waits for the retry")
                .isEmpty();
        assertThat(policy(recorded, false, retryAt).whyRun(REQUEST, HASH, "", TEN_HOURS))
                .map(RunReason::text)
                .contains("retryAfter elapsed (nextRetryAt 2026-11-01T22:00:00Z)");
        assertThat(policy(recorded, false, RAN.plusSeconds(1)).whyRun(REQUEST, "other", "", TEN_HOURS))
                .as("a change of its inputs restarts it at once")
                .map(RunReason::kind)
                .contains(RunReason.Kind.INPUT_CHANGED);
        assertThat(policy(recorded, false, RAN.plusSeconds(1)).whyRun(REQUEST, HASH, "2", TEN_HOURS))
                .map(RunReason::kind)
                .contains(RunReason.Kind.MANUAL_RECONCILIATION);
    }

    /** One request recorded with one Work placed on {@code destination}. */
    private static Recorded recorded(
            String manual, boolean reconciled, String destination, Optional<DestinationCleanup> cleanup) {
        return new Recorded(
                new TreeMap<>(Map.of(REQUEST, new Recorded.LastRun(HASH, RAN.toString(), manual))),
                reconciled ? Set.of(REQUEST) : Set.of(),
                new TreeSet<>(Set.of(REQUEST)),
                new TreeSet<>(Set.of(WORK)),
                new TreeMap<>(Map.of(REQUEST, List.of(new Recorded.Placement(destination, cleanup)))));
    }

    private static CachePolicy policy(Recorded recorded, boolean reconcileAll, Instant now) {
        return new CachePolicy(recorded, Set.of("worker"), reconcileAll, now);
    }
}
