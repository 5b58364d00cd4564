package dev.kbr.report;

import java.util.Objects;

/**
 * Something a person should know about a pass that is not an error: what was kept, held, waits,
 * was deleted or could not be placed.
 *
 * @param topic what kind of thing happened, for tools that filter or count notices
 * @param subject what it is about: an object ({@code Promise NAME}, {@code PROMISE/NAMESPACE/NAME}),
 *     a Work, a Destination or a state store; empty when it is about the whole pass
 * @param message the sentence the reports print
 */
public record Notice(Topic topic, String subject, String message) {
    public Notice {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    /** What kind of thing a notice reports. */
    public enum Topic {
        /** An object's previous outputs stand because it could not run (invalid, unavailable). */
        KEPT,
        /** A request waits for its Promise to become available (Kratix's PromiseAvailable=False). */
        WAITING,
        /** Something is held as it was because platform files failed to load. */
        HELD,
        /** An object gone from the platform was deleted, or its outputs pruned. */
        DELETED,
        /** A delete pipeline failed or suspended: what the object delivered is kept. */
        DELETE_BLOCKED,
        /** A workload group is unscheduled, misplaced, or stays on a removed Destination. */
        PLACEMENT,
        /** A Destination is gone from the platform and its {@code cleanup} was applied. */
        DESTINATION_REMOVED,
        /** A workflow's own news: a suspension, an ignored {@code status.yaml} key or pipeline. */
        WORKFLOW,
        /** A pipeline's call to the platform API was refused, or changed a resource request. */
        PLATFORM_API,
        /** A state store moved while the pass wrote it, and the pass tried again. */
        RETRY,
        /** The pass as a whole (nothing could run). */
        PASS
    }

    @Override
    public String toString() {
        return message;
    }
}
