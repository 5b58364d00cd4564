package dev.kbr.report;

import java.util.Objects;

/**
 * A failure of the pass itself, beyond input diagnostics and failed pipelines: a state store that
 * could not be read or written, files that conflict, a refused mass delete, a stale saved plan.
 * Each is reported and makes the pass exit 1; nothing already delivered is lost.
 *
 * @param area where it failed, for tools that filter or count errors
 * @param subject what it is about: a state store's name, an object, or empty for the whole pass
 * @param message the sentence the reports print: what was tried, why it failed, what to do
 */
public record PassError(Area area, String subject, String message) {
    public PassError {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    /** Where a pass error arose. */
    public enum Area {
        /** The platform: nothing to reconcile was found. */
        PLATFORM,
        /** A state store could not be read or written, or refused every retry. */
        STATE_STORE,
        /** Two writers of one object or path in a state store. */
        CONFLICT,
        /** The mass-delete guard refused the pass. */
        DELETE_GUARD,
        /** An output recorded by an earlier pass could not be read. */
        RECORDED_OUTPUT,
        /** A saved plan could not be applied as it was planned. */
        SAVED_PLAN
    }

    @Override
    public String toString() {
        return message;
    }
}
