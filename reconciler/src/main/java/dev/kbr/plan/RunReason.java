package dev.kbr.plan;

import java.util.Objects;

/**
 * Why an object's configure workflow runs in this pass: one of Kratix's reconciliation triggers
 * (KRATIX.md §5.1), or kbr's own for a cache it cannot trust.
 *
 * @param kind the trigger
 * @param detail what the report adds to it (a label's value, an interval, a Destination's name);
 *     empty when the kind says it all
 */
public record RunReason(Kind kind, String detail) {
    /** The triggers, in the order {@link CachePolicy} checks them. */
    public enum Kind {
        /** {@code --reconcile-all}. */
        RECONCILE_ALL,
        /** No run is recorded for the object. */
        NEW,
        /** The hash of its inputs differs from the recorded one. */
        INPUT_CHANGED,
        /** {@code kratix.io/manual-reconciliation} has a value the last run did not see. */
        MANUAL_RECONCILIATION,
        /** Its recorded status is not {@code Reconciled=True}. */
        NOT_RECONCILED,
        /**
         * Its last run suspended with {@code retryAfter} and the recorded {@code nextRetryAt} has
         * come: a retry, so the suspended pipeline's {@code attempts} count on.
         */
        RETRY_DUE,
        /**
         * A file it delivered to a current Destination no longer holds what it recorded (edited or
         * removed by hand): its recorded outputs cannot be trusted, so it runs and writes them again.
         */
        OUTPUT_CHANGED,
        /** A Destination it was placed on is gone with {@code cleanup: all}. */
        DESTINATION_EMPTIED,
        /** The reconciliation interval has elapsed since the last run. */
        INTERVAL_ELAPSED,
        /** The recorded time of the last run cannot be read. */
        LAST_RUN_TIME_UNREADABLE
    }

    public RunReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** A reason without detail. */
    public static RunReason of(Kind kind) {
        return new RunReason(kind, "");
    }

    /**
     * The reason as reports print it ({@code new}, {@code input changed}, {@code reconciliation
     * interval PT10H elapsed}, ...); the JSON report's {@code why} field carries the same text.
     */
    public String text() {
        return switch (kind) {
            case RECONCILE_ALL -> "--reconcile-all";
            case NEW -> "new";
            case INPUT_CHANGED -> "input changed";
            case MANUAL_RECONCILIATION -> "kratix.io/manual-reconciliation is " + detail;
            case NOT_RECONCILED -> "last run did not end reconciled";
            case RETRY_DUE -> "retryAfter elapsed (nextRetryAt " + detail + ")";
            case OUTPUT_CHANGED -> "an output it delivered was changed in the state store";
            case DESTINATION_EMPTIED -> "its Destination " + detail + " was removed with cleanup: all";
            case INTERVAL_ELAPSED -> "reconciliation interval " + detail + " elapsed";
            case LAST_RUN_TIME_UNREADABLE -> "last run time unreadable";
        };
    }

    @Override
    public String toString() {
        return text();
    }
}
