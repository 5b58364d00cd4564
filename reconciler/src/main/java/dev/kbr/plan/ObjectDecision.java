package dev.kbr.plan;

import java.util.Objects;

/**
 * What a pass does with one object, decided before anything runs ({@link PassPlan}). A Promise or
 * request of the platform runs its configure workflow, stands cached, is invalid, held or waiting;
 * a recorded object the platform no longer has is deleted (with or without its delete workflow),
 * held, or its deletion is refused. Mirrors Kratix's controllers (KRATIX.md §2.6, §2.7, §5.1).
 */
public sealed interface ObjectDecision {
    /** The decision as the plan prints it after the object's name ({@code run (new)}, {@code cached}). */
    String text();

    /** Whether the object's configure outputs stand or are renewed, so its Promise takes requests. */
    default boolean available() {
        return this instanceof Run || this instanceof Cached || this instanceof HeldBack;
    }

    /**
     * Its configure workflow runs, from its first pipeline.
     *
     * @param reason the reconciliation trigger ({@link CachePolicy#whyRun})
     */
    record Run(RunReason reason) implements ObjectDecision {
        public Run {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String text() {
            return "run (" + reason.text() + ")";
        }
    }

    /** Nothing it depends on changed: the outputs of its last run stand. */
    record Cached() implements ObjectDecision {
        @Override
        public String text() {
            return "cached";
        }
    }

    /**
     * It would run, but the platform did not load whole, so what changed may only look changed: its
     * last outputs stand as if cached, and it stays available.
     *
     * @param wouldRun why it would run
     * @param reason why it is held back (the files that failed to load)
     */
    record HeldBack(RunReason wouldRun, String reason) implements ObjectDecision {
        public HeldBack {
            Objects.requireNonNull(wouldRun, "wouldRun");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String text() {
            return "held back, cached (would run: " + wouldRun.text() + "; " + reason + ")";
        }
    }

    /** Its document has errors: what it delivered is kept and nothing runs for it. */
    record Invalid() implements ObjectDecision {
        @Override
        public String text() {
            return "invalid (its previous outputs are kept)";
        }
    }

    /**
     * Kept exactly as recorded, outputs and status: a Promise whose requirement may sit in a file
     * that failed to parse, a gone object while deletions cannot be trusted, or a gone request of a
     * Promise that is itself kept.
     *
     * @param reason why, as the plan prints it
     */
    record Held(String reason) implements ObjectDecision {
        public Held {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String text() {
            return "held (" + reason + ")";
        }
    }

    /**
     * A Promise it needs is not available: a Promise's required Promise, or a request's own Promise.
     * Its previous outputs are kept (KRATIX.md §2.6).
     *
     * @param reason which Promise and why, as the plan prints it
     */
    record Waiting(String reason) implements ObjectDecision {
        public Waiting {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String text() {
            return "waiting (" + reason + ")";
        }
    }

    /**
     * Its {@code kratix.io/paused} label, or its Promise's, is {@code "true"}: Kratix skips its
     * reconciliation ({@code internal/controller/promise_controller.go}, {@code
     * dynamic_resource_request_controller.go} {@code reconcileIfPaused}), so nothing runs for it,
     * what it delivered stays, and its status says {@code Paused}. Paused objects are not
     * available: a paused Promise's requests are paused with it, and Promises requiring it wait.
     *
     * @param reason whose label pauses it, as the plan prints it
     */
    record Paused(String reason) implements ObjectDecision {
        public Paused {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String text() {
            return "paused (" + reason + "; what it delivered stays)";
        }
    }

    /**
     * Gone from the platform and deleted: requests first, then Promises (KRATIX.md §2.7).
     *
     * @param deleteWorkflow true when its Promise's first delete pipeline runs with its last recorded
     *     form; false when it has none (or no recorded form), and what it delivered is pruned at once
     * @param unlessProduced true for a request: it may be a sub-request that a compound Promise's
     *     pipeline (or a cached parent's recorded outputs) writes again during the pass, which only
     *     the configure phase can tell; then it is configured like any sub-request, not deleted
     */
    record Delete(boolean deleteWorkflow, boolean unlessProduced) implements ObjectDecision {
        @Override
        public String text() {
            return "delete" + (unlessProduced ? " unless a pipeline writes it again" : "")
                    + (deleteWorkflow
                            ? " (its delete workflow runs)"
                            : " (no delete workflow; its outputs are pruned)");
        }
    }

    /**
     * Gone from the platform, but the mass-delete guard refuses the pass: no delete workflow runs and
     * nothing is written.
     */
    record DeleteRefused() implements ObjectDecision {
        @Override
        public String text() {
            return "delete refused (the pass would delete too much; see --max-delete-fraction)";
        }
    }
}
