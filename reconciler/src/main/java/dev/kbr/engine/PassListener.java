package dev.kbr.engine;

import dev.kbr.execute.PipelineListener;
import dev.kbr.state.StoreLocation;

/**
 * Hears what a pass is doing while it runs, for progress output; the pass's result is still only
 * the {@link dev.kbr.report.RunReport}. Pipelines starting and ending are heard through {@link
 * PipelineListener}. Every method has a no-op default, so a listener overrides
 * only what it shows.
 *
 * <p>Pipelines run in parallel (up to {@code --parallelism} objects at once), so every method may
 * be called from several threads at the same time: implementations must be thread-safe, and must
 * return quickly and never throw (a listener must not be able to fail a pass).
 */
public interface PassListener extends PipelineListener {
    /** A listener that does nothing. */
    PassListener NONE = new PassListener() {};

    /**
     * The pass planned its objects, before any pipeline runs; each attempt of a pass plans again
     * (a store that moved may change the records).
     *
     * @param plan one decision per object known at the start of the attempt
     */
    default void planned(dev.kbr.plan.PassPlan plan) {}

    /**
     * {@code count} more objects (Promises, resource requests, or the sub-requests of a compound
     * Promise) are queued for their configure workflow; sums to the pass's total so far.
     */
    default void objectsQueued(int count) {}

    /** One queued object is done: its workflow ran, was cached, or it was kept or skipped. */
    default void objectDone() {}

    /**
     * An object's workflow did not run because its inputs did not change; its recorded outputs
     * stand.
     *
     * @param object e.g. {@code Promise redis} or {@code redis/default/example-redis}
     */
    default void cached(String object) {}

    /**
     * A state store is about to be written.
     *
     * @param store which store, and where
     * @param files how many paths the change set touches
     */
    default void writing(StoreLocation store, int files) {}

    /**
     * A state store was written (a Git store: a commit was pushed).
     *
     * @param store which store, and where; a Git store has a branch
     * @param version the store's new version (a Git store's commit id)
     */
    default void written(StoreLocation store, String version) {}
}
