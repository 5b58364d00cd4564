package dev.kbr.plan;

import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an object's configure workflow runs in this pass or the outputs of its last run
 * stand. Kratix reconciles an object when it changes, when its {@code
 * kratix.io/manual-reconciliation} label is set, and every reconciliation interval (KRATIX.md
 * §5.1, {@code lib/workflow/reconciler.go}); kbr, which keeps no controller running between
 * passes, reads the same triggers from its records. Immutable; safe to share between threads.
 */
public final class CachePolicy {
    private final Recorded recorded;
    private final Set<String> destinations;
    private final boolean reconcileAll;
    private final Instant now;

    /**
     * @param recorded what the last passes recorded
     * @param destinations the names of the Destinations this pass writes to
     * @param reconcileAll {@code --reconcile-all}: every object runs
     * @param now the instant of the pass
     */
    public CachePolicy(Recorded recorded, Set<String> destinations, boolean reconcileAll, Instant now) {
        this.recorded = recorded;
        this.destinations = Set.copyOf(destinations);
        this.reconcileAll = reconcileAll;
        this.now = now;
    }

    /**
     * Why {@code key}'s configure workflow must run, checked in this order: {@code
     * --reconcile-all}; no recorded run (new); a different input hash; a new value of {@code
     * kratix.io/manual-reconciliation}; a last run that did not end reconciled, unless it
     * suspended with {@code retryAfter} and its {@code nextRetryAt} is still to come (then it
     * waits, as Kratix does, and the reconciliation interval does not apply; once it has come the
     * reason is {@link RunReason.Kind#RETRY_DUE}); an output it
     * delivered that was changed in the state store since; a Destination its
     * Works were placed on that is gone with {@code cleanup: all} (with {@code cleanup: none} the
     * files stay, as in Kratix, and the cache holds); the reconciliation interval elapsed.
     *
     * @param key the object
     * @param inputHash {@link InputHash#of} its inputs now
     * @param manualReconciliation its {@code kratix.io/manual-reconciliation} label now, or empty
     * @param interval its reconciliation interval; zero never elapses
     * @return the reason to run, or empty when the last run's outputs stand
     */
    public Optional<RunReason> whyRun(ObjectKey key, String inputHash, String manualReconciliation, Duration interval) {
        Optional<Recorded.LastRun> found = recorded.lastRun(key);
        if (reconcileAll) {
            return Optional.of(RunReason.of(RunReason.Kind.RECONCILE_ALL));
        }
        if (found.isEmpty()) {
            return Optional.of(RunReason.of(RunReason.Kind.NEW));
        }
        Recorded.LastRun last = found.get();
        if (!last.inputHash().equals(inputHash)) {
            return Optional.of(RunReason.of(RunReason.Kind.INPUT_CHANGED));
        }
        if (!manualReconciliation.isEmpty() && !manualReconciliation.equals(last.manualReconciliation())) {
            return Optional.of(new RunReason(RunReason.Kind.MANUAL_RECONCILIATION, manualReconciliation));
        }
        boolean awaitingRetry = false;
        if (!recorded.endedReconciled(key)) {
            if (last.nextRetryAt().isEmpty()) {
                return Optional.of(RunReason.of(RunReason.Kind.NOT_RECONCILED));
            }
            Instant retryAt = last.nextRetryAt().get();
            if (!now.isBefore(retryAt)) {
                return Optional.of(new RunReason(RunReason.Kind.RETRY_DUE, retryAt.toString()));
            }
            // Suspended until then, as Kratix waits: only a change of its inputs or outputs runs it.
            awaitingRetry = true;
        }
        if (recorded.outputChanged(key)) {
            return Optional.of(RunReason.of(RunReason.Kind.OUTPUT_CHANGED));
        }
        Optional<String> emptied = emptiedDestination(key);
        if (emptied.isPresent()) {
            return Optional.of(new RunReason(RunReason.Kind.DESTINATION_EMPTIED, emptied.get()));
        }
        if (!interval.isZero() && !awaitingRetry) {
            try {
                Instant at = Instant.parse(last.at());
                if (!now.isBefore(at.plus(interval))) {
                    return Optional.of(new RunReason(RunReason.Kind.INTERVAL_ELAPSED, interval.toString()));
                }
            } catch (DateTimeParseException e) {
                return Optional.of(RunReason.of(RunReason.Kind.LAST_RUN_TIME_UNREADABLE));
            }
        }
        return Optional.empty();
    }

    /**
     * A Destination one of the object's groups was placed on that is gone and whose files are
     * removed: {@code cleanup: all}, or no record of its policy (the default is {@code all}).
     */
    private Optional<String> emptiedDestination(ObjectKey key) {
        for (Recorded.Placement placement : recorded.placements(key)) {
            if (!destinations.contains(placement.destination())
                    && placement.recordedCleanup().orElse(DestinationCleanup.ALL) == DestinationCleanup.ALL) {
                return Optional.of(placement.destination());
            }
        }
        return Optional.empty();
    }
}
