package dev.kbr.engine;

import dev.kbr.load.PlatformSource;
import dev.kbr.model.GitStateStore;
import dev.kbr.report.RunReport;
import dev.kbr.report.StoreReport;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.FileChange;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code kbr apply PLANFILE}: commits a {@link SavedPlan} exactly as it was planned, or nothing.
 * The plan is refused as stale, before anything is written, when the platform's fingerprint
 * differs from the plan's or any state store's branch head is not the commit the plan was
 * computed against; a branch that moves between that check and the push is refused by the push's
 * compare-and-swap and not retried (a retry would need a new plan). No pipeline runs.
 */
public final class SavedPlanApply {
    private SavedPlanApply() {}

    /**
     * Applies {@code plan}.
     *
     * @param plan the saved plan
     * @param source the platform as it is now (same {@code --platform} as the plan)
     * @param stateUrls {@code --state-url} overrides, as given to the plan
     * @param opener opens a state store
     * @return the report: the commits made, or the errors that stopped the apply (then nothing was
     *     written, except when a later store's push was refused after an earlier store's commit)
     * @throws IOException when the platform cannot be read
     */
    public static RunReport apply(
            SavedPlan plan, PlatformSource source, Map<String, String> stateUrls, StateStoreOpener opener)
            throws IOException {
        List<String> errors = new ArrayList<>();
        String now = source.fingerprint();
        if (!now.equals(plan.fingerprint())) {
            errors.add("The saved plan is stale: the platform changed since it was made (planned from "
                    + plan.platform().describe() + ", fingerprint " + plan.fingerprint() + "; now "
                    + source.origin().describe() + ", fingerprint " + now
                    + "). Nothing was written; run kbr plan --out again and apply the new plan.");
            return report(source, List.of(), errors);
        }
        var platform = source.load().platform();
        Map<String, GitStateStore> models = new LinkedHashMap<>();
        for (SavedPlan.Store saved : plan.stores()) {
            Optional<GitStateStore> model = platform.gitStateStore(saved.name());
            if (model.isEmpty()) {
                errors.add("The saved plan writes GitStateStore " + saved.name()
                        + ", which the platform does not define; run kbr plan --out again.");
                continue;
            }
            GitStateStore store = model.get().withUrlFrom(stateUrls);
            if (!store.displayUrl().equals(saved.url()) || !store.branch().equals(saved.branch())) {
                errors.add("The saved plan wrote GitStateStore " + saved.name() + " at " + saved.url() + " (branch "
                        + saved.branch() + ") but it is now " + store.displayUrl() + " (branch " + store.branch()
                        + "); pass the same --state-url options as to kbr plan, or plan again.");
                continue;
            }
            models.put(saved.name(), store);
        }
        if (!errors.isEmpty()) {
            return report(source, List.of(), errors);
        }
        Map<String, StateStore> open = new LinkedHashMap<>();
        try {
            Map<String, StateSnapshot> snapshots = new LinkedHashMap<>();
            for (SavedPlan.Store saved : plan.stores()) {
                GitStateStore model = models.get(saved.name());
                StateSnapshot snapshot;
                try {
                    StateStore store = opener.open(model);
                    open.put(saved.name(), store);
                    snapshot = store.read();
                } catch (IOException e) {
                    errors.add(StoreCommits.storeFailure(
                            "Tried to read state store " + saved.name() + " (" + model.displayUrl() + ", branch "
                                    + model.branch() + ")",
                            e));
                    continue;
                }
                if (!snapshot.head().equals(saved.baseCommit())) {
                    errors.add("The saved plan is stale: state store " + saved.name() + " (branch " + saved.branch()
                            + ") moved since the plan was made (planned on "
                            + saved.baseCommit().orElse("an empty branch") + ", now at "
                            + snapshot.head().orElse("an empty branch")
                            + "). Nothing was written; run kbr plan --out again and apply the new plan.");
                }
                snapshots.put(saved.name(), snapshot);
            }
            if (!errors.isEmpty()) {
                return report(source, List.of(), errors);
            }
            List<StoreReport> reports = new ArrayList<>();
            for (SavedPlan.Store saved : plan.stores()) {
                StateStore store = open.get(saved.name());
                StateSnapshot snapshot = snapshots.get(saved.name());
                SortedMap<String, byte[]> previous = new TreeMap<>();
                ChangeSet changes = onto(saved.changes(), snapshot, store, previous);
                Optional<String> commit = Optional.empty();
                try {
                    CommitResult result =
                            store.commit(snapshot, changes, StoreCommits.commitMessage(changes, source.origin()));
                    if (result instanceof CommitResult.Committed committed) {
                        commit = Optional.of(committed.commitId());
                    }
                } catch (StaleStateException e) {
                    errors.add("The saved plan is stale: state store " + saved.name() + " (branch "
                            + saved.branch() + ") moved while it was being applied, so its commit was refused;"
                            + " run kbr plan --out again and apply the new plan.");
                } catch (IOException e) {
                    errors.add(StoreCommits.storeFailure(
                            "Tried to write state store " + saved.name() + " (branch " + saved.branch() + ")", e));
                }
                reports.add(new StoreReport(
                        saved.name(),
                        saved.url(),
                        saved.branch(),
                        snapshot.head(),
                        changes,
                        saved.destinationRoots(),
                        previous,
                        commit));
            }
            return report(source, reports, errors);
        } finally {
            for (StateStore store : open.values()) {
                store.close();
            }
        }
    }

    /**
     * The saved changes with the ids the store needs: old ids from the snapshot (the plan's base),
     * new ids computed from the saved bytes, or the saved id where the plan reuses a blob the base
     * already holds (empty content).
     */
    private static ChangeSet onto(
            ChangeSet saved, StateSnapshot snapshot, StateStore store, SortedMap<String, byte[]> previous)
            throws IOException {
        List<FileChange> changes = new ArrayList<>();
        for (FileChange change : saved.changes()) {
            if (change instanceof FileChange.Added a) {
                changes.add(new FileChange.Added(a.path(), a.content(), id(store, a.content(), a.contentId())));
            } else if (change instanceof FileChange.Modified m) {
                String old = snapshot.files().get(m.path());
                if (old == null) {
                    throw new IOException("saved plan modifies " + m.path() + ", which its base commit lacks");
                }
                previous.put(m.path(), snapshot.read(m.path()));
                changes.add(new FileChange.Modified(m.path(), old, m.content(), id(store, m.content(), m.contentId())));
            } else {
                String old = snapshot.files().get(change.path());
                if (old == null) {
                    throw new IOException("saved plan deletes " + change.path() + ", which its base commit lacks");
                }
                changes.add(new FileChange.Deleted(change.path(), old));
            }
        }
        return new ChangeSet(changes);
    }

    private static String id(StateStore store, byte[] content, String saved) {
        if (content.length == 0 && !saved.isEmpty()) {
            return saved;
        }
        return store.contentId(content);
    }

    private static RunReport report(PlatformSource source, List<StoreReport> stores, List<String> errors) {
        return new RunReport(true, List.of(), List.of(), List.of(), List.of(), stores, errors)
                .withPlatform(source.origin());
    }
}
