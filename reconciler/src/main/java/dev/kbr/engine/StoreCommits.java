package dev.kbr.engine;

import dev.kbr.report.PassError;
import dev.kbr.report.StoreReport;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.FileChange;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.diff.TreeDiff;
import dev.kbr.state.layout.StateLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The last phases of a pass: diffs each store's desired tree against the tree that was read and,
 * when applying, commits the change set, once per store. The only place a pass writes.
 */
final class StoreCommits {
    /**
     * What diffing and committing gave.
     *
     * @param stores one report per store, in name order
     * @param errors stores that could not be written, and why
     * @param rejected stores that refused the commit because they moved since they were read
     *     (nothing was written to them; the pass reads them again and retries)
     */
    record Committed(List<StoreReport> stores, List<PassError> errors, Map<String, StaleStateException> rejected) {
        Committed {
            stores = List.copyOf(stores);
            errors = List.copyOf(errors);
            rejected = Map.copyOf(rejected);
        }
    }

    private final PassOptions options;

    /** @param options whether to commit ({@code apply}) and the platform the commit names */
    StoreCommits(PassOptions options) {
        this.options = options;
    }

    /**
     * Diffs and (when applying) commits every store.
     *
     * @param rendered each store's desired tree
     * @param refused true when the mass-delete guard refused the pass: nothing is written
     * @param settled stores an earlier attempt of this pass already committed: their report is
     *     reused and they are not committed again
     */
    Committed commit(Map<String, DesiredState> rendered, boolean refused, Map<String, StoreReport> settled) {
        List<StoreReport> reports = new ArrayList<>();
        List<PassError> errors = new ArrayList<>();
        Map<String, StaleStateException> rejected = new TreeMap<>();
        for (DesiredState desired : rendered.values()) {
            if (refused) {
                reports.add(unwritten(desired));
            } else if (settled.containsKey(desired.name())) {
                reports.add(settled.get(desired.name()));
            } else {
                reports.add(diffAndCommit(desired, errors, rejected));
            }
        }
        return new Committed(reports, errors, rejected);
    }

    /**
     * The message for a failed state store read or write: the adapter's own when it already says
     * what was tried on which store (the Git adapter's do), else {@code attempted} with it.
     */
    static String storeFailure(String attempted, IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("Tried to ") ? message : attempted + " but it failed: " + message;
    }

    private StoreReport diffAndCommit(
            DesiredState desired, List<PassError> errors, Map<String, StaleStateException> rejected) {
        StoreContext ctx = desired.store();
        String where = ctx.store().location().qualifier();
        if (!desired.problems().isEmpty()) {
            errors.add(new PassError(
                    PassError.Area.STATE_STORE,
                    desired.name(),
                    "Tried to write state store " + desired.name() + " (" + where
                            + ") but its files conflict, so nothing was written to it: "
                            + String.join("; ", new TreeSet<>(desired.problems()))));
            return unwritten(desired);
        }
        ChangeSet changes = new ChangeSet(List.of());
        SortedMap<String, byte[]> previous = new TreeMap<>();
        Optional<String> version = Optional.empty();
        try {
            changes =
                    TreeDiff.diff(ctx.snapshot(), desired.files(), ctx.records().ownedFiles(), ownedFolders(desired));
            for (FileChange change : changes.changes()) {
                if (change instanceof FileChange.Modified) {
                    previous.put(change.path(), ctx.snapshot().read(change.path()));
                }
            }
            if (options.apply()) {
                CommitResult result = ctx.store()
                        .commit(ctx.snapshot(), changes, options.platform().origin());
                if (result instanceof CommitResult.Committed committed) {
                    version = Optional.of(committed.version());
                }
            }
        } catch (StaleStateException e) {
            rejected.put(desired.name(), e);
        } catch (IOException e) {
            errors.add(new PassError(
                    PassError.Area.STATE_STORE,
                    desired.name(),
                    storeFailure("Tried to write state store " + desired.name() + " (" + where + ")", e)));
        }
        return new StoreReport(
                ctx.store().location(), ctx.snapshot().version(), changes, desired.roots(), previous, version);
    }

    /** kbr's records folder, and the WorkPlacement folders the pass replaces as a whole. */
    private static Set<String> ownedFolders(DesiredState desired) {
        Set<String> folders = new HashSet<>(desired.replacedFolders());
        folders.add(StateLayout.recordsRoot(desired.store().model().path()));
        return folders;
    }

    /** The report of a store nothing is written to. */
    private static StoreReport unwritten(DesiredState desired) {
        StoreContext ctx = desired.store();
        return new StoreReport(
                ctx.store().location(),
                ctx.snapshot().version(),
                new ChangeSet(List.of()),
                desired.roots(),
                new TreeMap<>(),
                Optional.empty());
    }
}
