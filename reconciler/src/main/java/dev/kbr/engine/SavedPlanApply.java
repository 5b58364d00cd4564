package dev.kbr.engine;

import dev.kbr.load.PlatformSource;
import dev.kbr.model.StateStoreDefinition;
import dev.kbr.model.StateStoreRef;
import dev.kbr.report.Notice;
import dev.kbr.report.PassError;
import dev.kbr.report.RunReport;
import dev.kbr.report.StoreReport;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.ContentId;
import dev.kbr.state.FileChange;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import dev.kbr.state.StoreLocation;
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
 * differs from the plan's or any state store is not at the version the plan was computed
 * against; a store that moves between that check and the write is refused by the store's
 * compare-and-swap and not retried (a retry would need a new plan). No pipeline runs.
 *
 * <p>A plan's pipelines ran with {@code KRATIX_DRY_RUN=true}, so a pipeline that honours it may
 * have skipped side effects or made placeholder output; committing that output would also record
 * its workflow as done, and the next pass would not run it for real. So a plan holding outputs of
 * pipeline runs ({@link SavedPlan#dryRunPipelines}) is refused, with nothing written, unless
 * the caller accepts them ({@code --accept-dry-run-outputs}); then the report says which runs'
 * outputs were committed. A plan in which every object was cached holds no dry-run output and is
 * applied as it is. Kratix has no saved plans; its dry runs never reach a real Destination.
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
     * @param acceptDryRunOutputs true to commit a plan holding outputs made in dry-run mode
     * @return the report: the commits made, or the errors that stopped the apply (then nothing was
     *     written, except when a later store's push was refused after an earlier store's commit)
     * @throws IOException when the platform cannot be read
     */
    public static RunReport apply(
            SavedPlan plan,
            PlatformSource source,
            Map<String, String> stateUrls,
            StateStoreOpener opener,
            boolean acceptDryRunOutputs)
            throws IOException {
        List<PassError> errors = new ArrayList<>();
        List<Notice> notices = new ArrayList<>();
        if (!plan.dryRunPipelines().isEmpty()) {
            String runs = plan.dryRunPipelines().size() + " pipeline run(s) made with KRATIX_DRY_RUN=true ("
                    + String.join(", ", plan.dryRunPipelines()) + ")";
            if (!acceptDryRunOutputs) {
                errors.add(planError("The saved plan holds outputs of " + runs + ", as kbr plan runs every"
                        + " pipeline in dry-run mode; committing them would record those workflows as done,"
                        + " so a pipeline that skips side effects in a dry run would never make them. Nothing"
                        + " was written. Run kbr apply without a plan to run the pipelines for real, or pass"
                        + " --accept-dry-run-outputs if your pipelines make the same output in a dry run."));
            } else {
                notices.add(new Notice(
                        Notice.Topic.PASS,
                        "",
                        "--accept-dry-run-outputs: committing outputs of " + runs + " as they were planned"));
            }
        }
        String now = source.fingerprint();
        // The checks below add to the same errors: a stale plan of dry-run outputs says both.
        if (!now.equals(plan.fingerprint())) {
            errors.add(planError("The saved plan is stale: the platform changed since it was made (planned from "
                    + plan.platform().describe() + ", fingerprint " + plan.fingerprint() + "; now "
                    + source.origin().describe() + ", fingerprint " + now
                    + "). Nothing was written; run kbr plan --out again and apply the new plan."));
            return report(source, List.of(), errors, notices);
        }
        var platform = source.load().platform().withStateStoreUrls(stateUrls);
        Map<String, StateStore> open = new LinkedHashMap<>();
        try {
            Map<String, StateSnapshot> snapshots = new LinkedHashMap<>();
            for (SavedPlan.Store saved : plan.stores()) {
                StoreLocation planned = saved.location();
                Optional<StateStoreDefinition> model =
                        platform.stateStore(new StateStoreRef(planned.kind(), planned.name()));
                if (model.isEmpty()) {
                    errors.add(planError("The saved plan writes " + planned.kind() + " " + planned.name()
                            + ", which the platform does not define; run kbr plan --out again."));
                    continue;
                }
                StateSnapshot snapshot;
                try {
                    StateStore store = opener.open(model.get());
                    open.put(saved.name(), store);
                    if (!store.location().equals(planned)) {
                        errors.add(planError("The saved plan wrote " + planned.kind() + " " + planned.name() + " at "
                                + planned.describe() + " but it is now "
                                + store.location().describe()
                                + "; pass the same --state-url options as to kbr plan, or plan again."));
                        continue;
                    }
                    snapshot = store.read();
                } catch (IOException e) {
                    errors.add(storeError(
                            saved.name(),
                            StoreCommits.storeFailure(
                                    "Tried to read state store " + saved.name() + " ("
                                            + model.get().displayUrl() + ")",
                                    e)));
                    continue;
                }
                if (!snapshot.version().equals(saved.baseVersion())) {
                    String empty = planned.branch().isPresent() ? "an empty branch" : "an empty store";
                    errors.add(planError(
                            "The saved plan is stale: state store " + saved.name() + " (" + planned.qualifier()
                                    + ") moved since the plan was made (planned on "
                                    + saved.baseVersion().orElse(empty) + ", now at "
                                    + snapshot.version().orElse(empty)
                                    + "). Nothing was written; run kbr plan --out again and apply the new plan."));
                }
                snapshots.put(saved.name(), snapshot);
            }
            if (!errors.isEmpty()) {
                return report(source, List.of(), errors, notices);
            }
            List<StoreReport> reports = new ArrayList<>();
            for (SavedPlan.Store saved : plan.stores()) {
                StateStore store = open.get(saved.name());
                StateSnapshot snapshot = snapshots.get(saved.name());
                SortedMap<String, byte[]> previous = new TreeMap<>();
                ChangeSet changes = onto(saved.changes(), snapshot, previous);
                Optional<String> version = Optional.empty();
                try {
                    CommitResult result = store.commit(snapshot, changes, source.origin());
                    if (result instanceof CommitResult.Committed committed) {
                        version = Optional.of(committed.version());
                    }
                } catch (StaleStateException e) {
                    errors.add(planError("The saved plan is stale: state store " + saved.name() + " ("
                            + saved.location().qualifier() + ") moved while it was being applied, so its change"
                            + " was refused; run kbr plan --out again and apply the new plan."));
                } catch (IOException e) {
                    errors.add(storeError(
                            saved.name(),
                            StoreCommits.storeFailure(
                                    "Tried to write state store " + saved.name() + " ("
                                            + saved.location().qualifier() + ")",
                                    e)));
                }
                reports.add(new StoreReport(
                        saved.location(), snapshot.version(), changes, saved.destinationRoots(), previous, version));
            }
            return report(source, reports, errors, notices);
        } finally {
            for (StateStore store : open.values()) {
                store.close();
            }
        }
    }

    /**
     * The saved changes with the old ids from the snapshot (the plan's base) and the new ids
     * computed from the saved bytes, so content that does not match its saved id is written as
     * what it is.
     */
    private static ChangeSet onto(ChangeSet saved, StateSnapshot snapshot, SortedMap<String, byte[]> previous)
            throws IOException {
        List<FileChange> changes = new ArrayList<>();
        for (FileChange change : saved.changes()) {
            if (change instanceof FileChange.Added a) {
                changes.add(new FileChange.Added(a.path(), a.content(), ContentId.of(a.content())));
            } else if (change instanceof FileChange.Modified m) {
                String old = snapshot.files().get(m.path());
                if (old == null) {
                    throw new IOException("saved plan modifies " + m.path() + ", which its base version lacks");
                }
                previous.put(m.path(), snapshot.read(m.path()));
                changes.add(new FileChange.Modified(m.path(), old, m.content(), ContentId.of(m.content())));
            } else {
                String old = snapshot.files().get(change.path());
                if (old == null) {
                    throw new IOException("saved plan deletes " + change.path() + ", which its base version lacks");
                }
                changes.add(new FileChange.Deleted(change.path(), old));
            }
        }
        return new ChangeSet(changes);
    }

    private static PassError planError(String message) {
        return new PassError(PassError.Area.SAVED_PLAN, "", message);
    }

    private static PassError storeError(String store, String message) {
        return new PassError(PassError.Area.STATE_STORE, store, message);
    }

    private static RunReport report(
            PlatformSource source, List<StoreReport> stores, List<PassError> errors, List<Notice> notices) {
        return new RunReport(true, List.of(), List.of(), List.of(), notices, stores, errors)
                .withPlatform(source.origin());
    }
}
