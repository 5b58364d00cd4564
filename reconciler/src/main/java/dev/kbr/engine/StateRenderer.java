package dev.kbr.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Destination;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import dev.kbr.report.StoreReport;
import dev.kbr.schedule.Placement;
import dev.kbr.schedule.Scheduler;
import dev.kbr.schedule.Work;
import dev.kbr.schedule.WorkloadGroup;
import dev.kbr.schedule.WorkloadGroups;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.FileChange;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.ObjectRecord;
import dev.kbr.state.WorkRecord;
import dev.kbr.state.diff.TreeDiff;
import dev.kbr.state.layout.RecordsFormat;
import dev.kbr.state.layout.StateLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The second half of a pass: schedules the Works onto Destinations, renders the desired tree of
 * every state store (Kratix's layout, canary files, kbr's records), diffs it against the tree
 * that was read, and commits when applying.
 */
final class StateRenderer {
    private final PassOptions options;
    private final Map<String, Reconciler.StoreContext> stores = new TreeMap<>();
    private final Map<String, Destination> destinations;
    private final Map<WorkId, Work> fresh;
    private final Set<WorkId> kept;
    private final Map<ObjectKey, ObjectNode> objects;
    private final Set<ObjectKey> keptObjects;
    private final Map<ObjectKey, ObjectNode> previousObjects;
    private final List<String> notices;
    private final List<Diagnostic> diagnostics;
    private final List<String> errors;

    StateRenderer(
            PassOptions options,
            List<Reconciler.StoreContext> storeList,
            Map<String, Destination> destinations,
            Map<WorkId, Work> fresh,
            Set<WorkId> kept,
            Map<ObjectKey, ObjectNode> objects,
            Set<ObjectKey> keptObjects,
            Map<ObjectKey, ObjectNode> previousObjects,
            List<String> notices,
            List<Diagnostic> diagnostics,
            List<String> errors) {
        this.options = options;
        storeList.forEach(ctx -> stores.put(ctx.model().name(), ctx));
        this.destinations = destinations;
        this.fresh = fresh;
        this.kept = kept;
        this.objects = objects;
        this.keptObjects = keptObjects;
        this.previousObjects = previousObjects;
        this.notices = notices;
        this.diagnostics = diagnostics;
        this.errors = errors;
    }

    List<StoreReport> render() {
        Map<String, SortedMap<String, DesiredFile>> desired = new TreeMap<>();
        Map<String, Map<WorkId, List<GroupRecord>>> records = new TreeMap<>();
        for (Reconciler.StoreContext ctx : stores.values()) {
            desired.put(ctx.model().name(), new TreeMap<>());
            records.put(ctx.model().name(), new TreeMap<>());
        }
        for (Destination d : destinations.values()) {
            Reconciler.StoreContext ctx = stores.get(d.stateStoreRef().name());
            StateLayout.canaryFiles(ctx.model().path(), d)
                    .forEach((path, bytes) -> desired.get(ctx.model().name()).put(path, new DesiredFile.Bytes(bytes)));
        }
        for (Work work : fresh.values()) {
            Map<String, List<String>> previous = previousPlacements(work.id());
            for (Placement placement : Scheduler.place(work, List.copyOf(destinations.values()), previous)) {
                WorkloadGroup group = placement.group();
                if (placement.unscheduled()) {
                    notices.add(work.id() + ": workload group " + group.directory()
                            + " is unscheduled: no Destination matches "
                            + WorkloadGroups.resolve(group).matchLabels());
                }
                if (placement.misplaced()) {
                    notices.add(work.id() + ": workload group " + group.directory() + " is misplaced on "
                            + placement.destinations() + " (its selector no longer matches); kept there");
                }
                for (String destinationName : placement.destinations()) {
                    Destination d = destinations.get(destinationName);
                    Reconciler.StoreContext ctx = stores.get(d.stateStoreRef().name());
                    SortedMap<String, String> files = new TreeMap<>();
                    for (var file : group.files().entrySet()) {
                        String path;
                        try {
                            path = StateLayout.filePath(
                                    ctx.model().path(), d, work.id(), group.shortId(), file.getKey());
                        } catch (IllegalArgumentException e) {
                            diagnostics.add(Diagnostic.error(d.location(), "spec.filepath.mode", e.getMessage()));
                            break;
                        }
                        desired.get(ctx.model().name()).put(path, new DesiredFile.Bytes(file.getValue()));
                        files.put(path, ctx.store().contentId(file.getValue()));
                    }
                    records.get(ctx.model().name())
                            .computeIfAbsent(work.id(), k -> new ArrayList<>())
                            .add(new GroupRecord(
                                    group.id(), group.directory(), destinationName, placement.misplaced(), files));
                }
            }
        }
        for (Reconciler.StoreContext ctx : stores.values()) {
            String name = ctx.model().name();
            for (WorkId id : kept) {
                WorkRecord previous = ctx.records().works().get(id);
                if (previous == null) {
                    continue;
                }
                records.get(name).put(id, new ArrayList<>(previous.groups()));
                previous.groups()
                        .forEach(g -> g.files()
                                .forEach((path, contentId) ->
                                        desired.get(name).putIfAbsent(path, new DesiredFile.Existing(contentId))));
            }
            records.get(name)
                    .forEach((id, groups) -> desired.get(name)
                            .put(
                                    RecordsFormat.path(ctx.model().path(), id),
                                    new DesiredFile.Bytes(RecordsFormat.write(new WorkRecord(id, groups)))));
            Map<ObjectKey, ObjectNode> allObjects = new TreeMap<>(objects);
            keptObjects.forEach(k -> allObjects.putIfAbsent(k, previousObjects.get(k)));
            allObjects.forEach((key, object) -> desired.get(name)
                    .put(
                            RecordsFormat.path(ctx.model().path(), key),
                            new DesiredFile.Bytes(RecordsFormat.write(new ObjectRecord(key, object)))));
        }
        List<StoreReport> reports = new ArrayList<>();
        for (Reconciler.StoreContext ctx : stores.values()) {
            reports.add(diffAndCommit(ctx, desired.get(ctx.model().name())));
        }
        return reports;
    }

    private Map<String, List<String>> previousPlacements(WorkId id) {
        Map<String, List<String>> placements = new HashMap<>();
        for (Reconciler.StoreContext ctx : stores.values()) {
            WorkRecord record = ctx.records().works().get(id);
            if (record != null) {
                record.groups()
                        .forEach(g -> placements
                                .computeIfAbsent(g.groupId(), k -> new ArrayList<>())
                                .add(g.destination()));
            }
        }
        placements.values().forEach(list -> list.sort(null));
        return placements;
    }

    private StoreReport diffAndCommit(Reconciler.StoreContext ctx, SortedMap<String, DesiredFile> desired) {
        String storePath = ctx.model().path();
        ChangeSet changes = TreeDiff.diff(
                ctx.snapshot(),
                desired,
                ctx.records().ownedFiles(),
                StateLayout.recordsRoot(storePath),
                ctx.store()::contentId);
        SortedMap<String, String> roots = new TreeMap<>();
        destinations.values().stream()
                .filter(d -> d.stateStoreRef().name().equals(ctx.model().name()))
                .forEach(d -> roots.put(StateLayout.destinationRoot(storePath, d), d.name()));
        SortedMap<String, byte[]> previous = new TreeMap<>();
        Optional<String> commit = Optional.empty();
        try {
            for (FileChange change : changes.changes()) {
                if (change instanceof FileChange.Modified) {
                    previous.put(change.path(), ctx.snapshot().read(change.path()));
                }
            }
            if (options.apply()) {
                CommitResult result = ctx.store().commit(ctx.snapshot(), changes, commitMessage(changes));
                if (result instanceof CommitResult.Committed committed) {
                    commit = Optional.of(committed.commitId());
                }
            }
        } catch (IOException e) {
            errors.add("Tried to write state store " + ctx.model().name() + " (branch "
                    + ctx.model().branch() + ") but it failed: " + e.getMessage());
        }
        return new StoreReport(
                ctx.model().name(), ctx.model().branch(), ctx.snapshot().head(), changes, roots, previous, commit);
    }

    private String commitMessage(ChangeSet changes) {
        long added = changes.changes().stream()
                .filter(c -> c instanceof FileChange.Added)
                .count();
        long modified = changes.changes().stream()
                .filter(c -> c instanceof FileChange.Modified)
                .count();
        long deleted = changes.changes().stream()
                .filter(c -> c instanceof FileChange.Deleted)
                .count();
        return "kbr apply: " + added + " added, " + modified + " changed, " + deleted + " deleted\n\n" + "Platform: "
                + options.platform().getFileName() + "\n";
    }
}
