package dev.kbr.engine;

import dev.kbr.model.Destination;
import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import dev.kbr.plan.DeleteGuard;
import dev.kbr.schedule.Placement;
import dev.kbr.schedule.Scheduler;
import dev.kbr.schedule.Work;
import dev.kbr.schedule.WorkloadGroup;
import dev.kbr.schedule.WorkloadGroups;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.DestinationRecord;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.ObjectRecord;
import dev.kbr.state.RecordedWorkload;
import dev.kbr.state.Records;
import dev.kbr.state.WorkRecord;
import dev.kbr.state.layout.DestinationFiles;
import dev.kbr.state.layout.DestinationLayout;
import dev.kbr.state.layout.PlacedGroup;
import dev.kbr.state.layout.RecordsFormat;
import dev.kbr.state.layout.StateLayout;
import dev.kbr.state.layout.WorkPlacementNames;
import dev.kbr.state.layout.Workload;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The second half of a pass: schedules the Works onto Destinations, renders the desired tree of
 * every state store (Kratix's layout in each Destination's filepath mode, canary files, kbr's
 * records), diffs it against the tree that was read, and commits when applying.
 *
 * <p>A Destination recorded in a store but gone from the platform (or moved to another store) is
 * handled as Kratix handles a deleted Destination: with {@code cleanup: none} everything written
 * for it stays and its resource groups stay placed on it (Kratix keeps their WorkPlacements,
 * misplaced); with {@code cleanup: all} everything written for it is deleted and its resource
 * groups are scheduled again like new ones. Deleting is held back in a pass with input errors, as
 * a Destination that failed to load looks gone.
 */
final class StateRenderer {
    private final PassOptions options;
    private final Map<String, StoreContext> stores = new TreeMap<>();
    private final Map<String, Destination> destinations;
    private final boolean inputErrors;
    private final Instant now;
    /** What the execute phase decided; replaced when a conflict fails a Work. */
    private Execution execution;

    private final List<String> notices = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final Map<ObjectKey, Set<String>> unscheduled = new TreeMap<>();
    private final Map<ObjectKey, Set<String>> misplaced = new TreeMap<>();

    /**
     * What rendering gave.
     *
     * @param stores each store's desired tree, by store name
     * @param refusal why the mass-delete guard refuses the pass; empty when it does not
     * @param notices what the report says about scheduling
     * @param errors object conflicts and the guard's refusal
     */
    record Rendered(
            SortedMap<String, DesiredState> stores,
            Optional<String> refusal,
            List<String> notices,
            List<String> errors) {
        Rendered {
            stores = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(stores));
            notices = List.copyOf(notices);
            errors = List.copyOf(errors);
        }
    }

    /** What happens to a Destination recorded in a store that no longer has it. */
    private enum Fate {
        /** cleanup: none (or cleanup held back): everything written for it stays. */
        FROZEN,
        /** cleanup: all: everything written for it goes. */
        CLEANED
    }

    /** A group waiting to be rendered on a current Destination, with what its record needs. */
    private record Pending(String directory, boolean misplaced, PlacedGroup group) {}

    /** The desired tree and records of one store, built up during the pass. */
    private final class Draft {
        final StoreContext ctx;
        final SortedMap<String, DesiredFile> desired = new TreeMap<>();
        final Map<String, String> owners = new HashMap<>();
        final Map<WorkId, List<GroupRecord>> works = new TreeMap<>();
        final SortedMap<String, DestinationRecord> destinationRecords = new TreeMap<>();
        final SortedMap<String, Fate> gone = new TreeMap<>();
        final SortedMap<String, String> roots = new TreeMap<>();
        final List<String> problems = new ArrayList<>();
        final List<ObjectConflicts.Placed> placed = new ArrayList<>();

        Draft(StoreContext ctx) {
            this.ctx = ctx;
        }

        String name() {
            return ctx.model().name();
        }

        String storePath() {
            return ctx.model().path();
        }

        /** A current Destination of this store. */
        boolean hasCurrent(String destination) {
            Destination d = destinations.get(destination);
            return d != null && d.stateStoreRef().name().equals(name());
        }

        /** Adds a file a current Destination writes; a path two Destinations write is a problem. */
        void write(String path, DesiredFile file, String owner) {
            String previous = owners.putIfAbsent(path, owner);
            if (previous != null && !previous.equals(owner)) {
                problems.add(path + " is written for both " + previous + " and " + owner
                        + "; give the Destinations folders that do not overlap");
            }
            desired.put(path, file);
        }

        /** Keeps a file of a gone Destination, unless a current Destination writes that path now. */
        void keep(String path, String contentId) {
            desired.putIfAbsent(path, new DesiredFile.Existing(contentId));
        }

        void record(WorkId work, GroupRecord group) {
            works.computeIfAbsent(work, k -> new ArrayList<>()).add(group);
        }
    }

    /**
     * @param options the pass's options (the delete guard's limits)
     * @param read the stores and current Destinations of the pass
     * @param execution what the execute phase decided
     * @param inputErrors true when the pass has input errors: a Destination that failed to load
     *     only looks gone, so nothing of a gone Destination is deleted
     * @param now the instant changed conditions are stamped with
     */
    StateRenderer(PassOptions options, StoresRead read, Execution execution, boolean inputErrors, Instant now) {
        this.options = options;
        this.stores.putAll(read.stores());
        this.destinations = read.destinations();
        this.execution = execution;
        this.inputErrors = inputErrors;
        this.now = now;
    }

    /**
     * Schedules every Work and renders each store's desired tree with kbr's records. A Work whose
     * objects conflict with another's is failed (kept as recorded) and the stores laid out again.
     */
    Rendered render() {
        Map<String, Draft> drafts = layOut();
        // A Work failed for a conflicting object is laid out again from its records; each round
        // fails at least one more Work that ran, so this ends.
        for (ObjectConflicts.Result conflicts = checkConflicts(drafts);
                !conflicts.failed().isEmpty();
                conflicts = checkConflicts(drafts)) {
            errors.addAll(conflicts.messages());
            execution = execution.withFailedWorks(conflicts.failed());
            notices.clear();
            unscheduled.clear();
            misplaced.clear();
            drafts = layOut();
        }
        execution = execution.withWorkStatus(unscheduled, misplaced, now);
        drafts.values().forEach(this::addRecords);
        Optional<String> refusal = massDelete(drafts);
        refusal.ifPresent(errors::add);
        SortedMap<String, DesiredState> desired = new TreeMap<>();
        drafts.forEach((name, draft) ->
                desired.put(name, new DesiredState(draft.ctx, draft.desired, draft.roots, draft.problems)));
        return new Rendered(desired, refusal, notices, errors);
    }

    /** Schedules and renders every store's desired files (without records). */
    private Map<String, Draft> layOut() {
        Map<String, Draft> drafts = new TreeMap<>();
        stores.values().forEach(ctx -> drafts.put(ctx.model().name(), new Draft(ctx)));
        drafts.values().forEach(this::decideGone);
        Map<String, List<Pending>> pending = new TreeMap<>();
        destinations.keySet().forEach(name -> pending.put(name, new ArrayList<>()));
        placeFresh(drafts, pending);
        drafts.values().forEach(draft -> placeKept(draft, pending));
        for (Destination d : destinations.values()) {
            renderDestination(drafts.get(d.stateStoreRef().name()), d, pending.get(d.name()));
        }
        drafts.values().forEach(this::keepGone);
        return drafts;
    }

    // --- guards (issue 5) ----------------------------------------------------------------------

    /** The mass-delete guard over the whole pass: Works recorded anywhere and rendered nowhere. */
    private Optional<String> massDelete(Map<String, Draft> drafts) {
        Set<WorkId> recorded = new TreeSet<>();
        Set<WorkId> rendered = new TreeSet<>();
        for (Draft draft : drafts.values()) {
            recorded.addAll(draft.ctx.records().works().keySet());
            rendered.addAll(draft.works.keySet());
        }
        Set<WorkId> deleted = new TreeSet<>(recorded);
        deleted.removeAll(rendered);
        return DeleteGuard.refusal(options.deleteLimits(), recorded, deleted);
    }

    /** Conflicting Kubernetes objects on each Destination (see {@link ObjectConflicts}). */
    private ObjectConflicts.Result checkConflicts(Map<String, Draft> drafts) {
        List<ObjectConflicts.Placed> placed = new ArrayList<>();
        drafts.values().forEach(d -> placed.addAll(d.placed));
        return ObjectConflicts.check(placed, new ObjectConflicts.Contents() {
            @Override
            public Optional<byte[]> of(ObjectConflicts.Placed p) {
                if (p.content() instanceof DesiredFile.Bytes bytes) {
                    return Optional.of(bytes.content());
                }
                return read(p.destination(), ((DesiredFile.Existing) p.content()).contentId());
            }

            @Override
            public List<byte[]> previous(WorkId work, String destination) {
                StoreContext ctx = storeOf(destination);
                WorkRecord record = ctx == null ? null : ctx.records().works().get(work);
                if (record == null) {
                    return List.of();
                }
                List<byte[]> contents = new ArrayList<>();
                record.groups().stream()
                        .filter(g -> g.destination().equals(destination))
                        .flatMap(g -> g.workloads().stream())
                        .filter(w -> ObjectConflicts.isManifest(w.filepath()))
                        .forEach(w -> w.content()
                                .or(() -> read(destination, w.contentId()))
                                .ifPresent(contents::add));
                return contents;
            }

            private Optional<byte[]> read(String destination, String contentId) {
                StoreContext ctx = storeOf(destination);
                try {
                    return ctx == null
                            ? Optional.empty()
                            : Optional.of(ctx.snapshot().reader().read(contentId));
                } catch (IOException e) {
                    // Unreadable recorded content cannot be checked; writing it back is handled elsewhere.
                    return Optional.empty();
                }
            }
        });
    }

    private StoreContext storeOf(String destination) {
        Destination d = destinations.get(destination);
        return d == null ? null : stores.get(d.stateStoreRef().name());
    }

    // --- Destinations gone from a store ------------------------------------------------------

    /** Decides, per Destination this store has records of but no longer serves, what happens. */
    private void decideGone(Draft draft) {
        Set<String> recorded = new TreeSet<>(draft.ctx.records().destinations().keySet());
        draft.ctx.records().works().values().forEach(w -> w.groups().forEach(g -> recorded.add(g.destination())));
        boolean inputsLoaded = !inputErrors;
        for (String name : recorded) {
            if (draft.hasCurrent(name)) {
                continue;
            }
            DestinationRecord record = draft.ctx.records().destinations().get(name);
            int files = ownedBy(draft, name).size();
            String where = "state store " + draft.name();
            if (record != null && record.cleanup() == DestinationCleanup.ALL && inputsLoaded) {
                draft.gone.put(name, Fate.CLEANED);
                notices.add("Destination " + name + " is gone from the platform and has cleanup: all: deleting the "
                        + files + " file(s) kbr wrote for it in " + where
                        + "; its resource workload groups are scheduled again");
            } else if (record != null && record.cleanup() == DestinationCleanup.ALL) {
                draft.gone.put(name, Fate.FROZEN);
                notices.add("Destination " + name + " is gone from the platform and has cleanup: all, but this pass"
                        + " has input errors (a Destination that fails to load looks gone), so its " + files
                        + " file(s) in " + where + " are kept until a pass without errors");
            } else {
                draft.gone.put(name, Fate.FROZEN);
                notices.add("Destination " + name + " is gone from the platform and has cleanup: none, so the "
                        + files + " file(s) kbr wrote for it stay in " + where
                        + " and its resource workload groups stay placed on it, as Kratix leaves them;"
                        + " add it back with cleanup: all and remove it again to delete them");
            }
        }
    }

    /** Every path the records of this store say was written for {@code destination}. */
    private static Set<String> ownedBy(Draft draft, String destination) {
        Set<String> paths = new TreeSet<>();
        DestinationRecord record = draft.ctx.records().destinations().get(destination);
        if (record != null) {
            paths.addAll(record.ownedFiles().keySet());
        }
        draft.ctx
                .records()
                .works()
                .values()
                .forEach(w -> w.groups().stream()
                        .filter(g -> g.destination().equals(destination))
                        .forEach(g -> paths.addAll(g.files().keySet())));
        return paths;
    }

    /** Carries over, unchanged, what was written for Destinations that are gone but not cleaned. */
    private void keepGone(Draft draft) {
        draft.gone.forEach((name, fate) -> {
            if (fate != Fate.FROZEN) {
                return;
            }
            DestinationRecord record = draft.ctx.records().destinations().get(name);
            if (record != null) {
                draft.destinationRecords.put(name, record);
                record.ownedFiles().forEach(draft::keep);
                draft.roots.put(StateLayout.destinationRoot(draft.storePath(), record.path()), name + " (removed)");
            }
        });
        for (WorkRecord record : draft.ctx.records().works().values()) {
            for (GroupRecord group : record.groups()) {
                if (draft.gone.get(group.destination()) == Fate.FROZEN) {
                    draft.record(record.id(), group);
                    group.files().forEach(draft::keep);
                }
            }
        }
        draft.gone.forEach((name, fate) -> {
            DestinationRecord record = draft.ctx.records().destinations().get(name);
            if (fate == Fate.CLEANED && record != null) {
                draft.roots.put(StateLayout.destinationRoot(draft.storePath(), record.path()), name + " (removed)");
            }
        });
    }

    // --- placing ------------------------------------------------------------------------------

    private void placeFresh(Map<String, Draft> drafts, Map<String, List<Pending>> pending) {
        List<Destination> current = List.copyOf(destinations.values());
        for (Work work : execution.fresh().values()) {
            Set<String> frozen = work.id().type().isDependency() ? Set.of() : frozenGroups(drafts, work.id());
            for (Placement placement : Scheduler.place(work, current, previousPlacements(work.id()))) {
                WorkloadGroup group = placement.group();
                if (frozen.contains(group.id())) {
                    // Kratix never moves a resource group whose WorkPlacement still exists, even
                    // when its Destination is gone.
                    notices.add(work.id() + ": workload group " + group.directory()
                            + " stays on its removed Destination (cleanup: none) and is not placed elsewhere");
                    continue;
                }
                if (placement.unscheduled()) {
                    unscheduled
                            .computeIfAbsent(work.id().object(), k -> new TreeSet<>())
                            .add(WorkPlacementNames.workName(work.id()));
                    notices.add(work.id() + ": workload group " + group.directory()
                            + " is unscheduled: no Destination matches "
                            + WorkloadGroups.resolve(group).matchLabels());
                }
                if (placement.misplaced()) {
                    misplaced
                            .computeIfAbsent(work.id().object(), k -> new TreeSet<>())
                            .add(WorkPlacementNames.workName(work.id()));
                    notices.add(work.id() + ": workload group " + group.directory() + " is misplaced on "
                            + placement.destinations() + " (its selector no longer matches); kept there");
                }
                List<Workload> workloads = new ArrayList<>();
                group.files().forEach((path, bytes) -> workloads.add(new Workload(path, new DesiredFile.Bytes(bytes))));
                for (String destination : placement.destinations()) {
                    pending.get(destination)
                            .add(new Pending(
                                    group.directory(),
                                    placement.misplaced(),
                                    new PlacedGroup(work.id(), group.id(), workloads)));
                }
            }
        }
    }

    /** Ids of this Work's groups recorded on a Destination that is gone everywhere and kept. */
    private Set<String> frozenGroups(Map<String, Draft> drafts, WorkId id) {
        Set<String> groups = new HashSet<>();
        for (Draft draft : drafts.values()) {
            WorkRecord record = draft.ctx.records().works().get(id);
            if (record == null) {
                continue;
            }
            record.groups().stream()
                    .filter(g -> draft.gone.get(g.destination()) == Fate.FROZEN
                            && !destinations.containsKey(g.destination()))
                    .forEach(g -> groups.add(g.groupId()));
        }
        return groups;
    }

    /** Kept Works (failed or held pipelines) are written again from their records. */
    private void placeKept(Draft draft, Map<String, List<Pending>> pending) {
        for (WorkId id : execution.kept()) {
            WorkRecord record = draft.ctx.records().works().get(id);
            if (record == null) {
                continue;
            }
            for (GroupRecord group : record.groups()) {
                if (!draft.hasCurrent(group.destination())) {
                    if (draft.gone.get(group.destination()) == Fate.CLEANED) {
                        notices.add(id + ": workload group " + group.directory() + " was on removed Destination "
                                + group.destination() + " (cleanup: all); it is placed again when its pipeline next"
                                + " succeeds");
                    }
                    continue;
                }
                if (group.workloads().isEmpty()) {
                    // A record from before kbr recorded workloads: its files can only be kept as they are.
                    draft.record(id, group);
                    group.files().forEach(draft::keep);
                    continue;
                }
                List<Workload> workloads = group.workloads().stream()
                        .map(w -> new Workload(
                                w.filepath(),
                                w.content()
                                        .<DesiredFile>map(DesiredFile.Bytes::new)
                                        .orElseGet(() -> new DesiredFile.Existing(w.contentId()))))
                        .toList();
                pending.get(group.destination())
                        .add(new Pending(
                                group.directory(), group.misplaced(), new PlacedGroup(id, group.groupId(), workloads)));
            }
        }
    }

    private Map<String, List<String>> previousPlacements(WorkId id) {
        Map<String, List<String>> placements = new HashMap<>();
        for (StoreContext ctx : stores.values()) {
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

    // --- rendering ----------------------------------------------------------------------------

    private void renderDestination(Draft draft, Destination destination, List<Pending> pending) {
        List<Pending> ordered = pending.stream()
                .sorted(Comparator.comparing((Pending p) -> p.group().work())
                        .thenComparing(p -> p.group().groupId()))
                .toList();
        String storePath = draft.storePath();
        DestinationFiles files = DestinationLayout.render(
                storePath, destination, ordered.stream().map(Pending::group).toList());
        draft.problems.addAll(files.problems());
        String owner = "Destination " + destination.name();
        files.all().forEach((path, file) -> draft.write(path, file, owner));
        boolean aggregated = destination.filepathMode() == FilepathMode.AGGREGATED_YAML;
        for (int i = 0; i < ordered.size(); i++) {
            Pending p = ordered.get(i);
            for (Workload w : p.group().workloads()) {
                String file = aggregated
                        ? StateLayout.aggregatedFilePath(storePath, destination) + ", workload " + w.filepath()
                        : StateLayout.filePath(
                                storePath,
                                destination,
                                p.group().work(),
                                p.group().shortId(),
                                w.filepath());
                draft.placed.add(new ObjectConflicts.Placed(
                        destination.name(),
                        p.group().work(),
                        file,
                        w.filepath(),
                        execution.fresh().containsKey(p.group().work()),
                        w.content()));
            }
            List<RecordedWorkload> workloads = p.group().workloads().stream()
                    .map(w -> recorded(draft, w, aggregated))
                    .toList();
            draft.record(
                    p.group().work(),
                    new GroupRecord(
                            p.group().groupId(),
                            p.directory(),
                            destination.name(),
                            p.misplaced(),
                            ids(draft, files.groupFiles().get(i)),
                            workloads));
        }
        draft.destinationRecords.put(
                destination.name(),
                new DestinationRecord(
                        destination.name(),
                        destination.path(),
                        destination.filepathMode(),
                        destination.aggregatedFilename(),
                        destination.cleanup(),
                        ids(draft, files.canaries()),
                        ids(draft, files.aggregate())));
        draft.roots.put(StateLayout.destinationRoot(storePath, destination), destination.name());
    }

    private static RecordedWorkload recorded(Draft draft, Workload workload, boolean withContent) {
        if (workload.content() instanceof DesiredFile.Bytes bytes) {
            return new RecordedWorkload(
                    workload.filepath(),
                    draft.ctx.store().contentId(bytes.content()),
                    withContent ? Optional.of(bytes.content()) : Optional.empty());
        }
        return new RecordedWorkload(
                workload.filepath(), ((DesiredFile.Existing) workload.content()).contentId(), Optional.empty());
    }

    private static SortedMap<String, String> ids(Draft draft, SortedMap<String, DesiredFile> files) {
        SortedMap<String, String> ids = new TreeMap<>();
        files.forEach((path, file) -> ids.put(
                path,
                file instanceof DesiredFile.Bytes bytes
                        ? draft.ctx.store().contentId(bytes.content())
                        : ((DesiredFile.Existing) file).contentId()));
        return ids;
    }

    /** kbr's own records: one per Work, object and Destination. */
    private void addRecords(Draft draft) {
        String storePath = draft.storePath();
        Records read = draft.ctx.records();
        draft.works.forEach((id, groups) -> {
            WorkRecord record = new WorkRecord(id, groups);
            putRecord(
                    draft,
                    RecordsFormat.path(storePath, id),
                    record,
                    read.works().get(id),
                    () -> RecordsFormat.write(record));
        });
        execution.allObjects().forEach((key, object) -> {
            ObjectRecord record = new ObjectRecord(
                    key, object, Optional.ofNullable(execution.lastRuns().get(key)));
            putRecord(
                    draft,
                    RecordsFormat.path(storePath, key),
                    record,
                    read.objects().get(key),
                    () -> RecordsFormat.write(record));
        });
        draft.destinationRecords.forEach((name, record) -> draft.desired.put(
                RecordsFormat.destinationPath(storePath, name), new DesiredFile.Bytes(RecordsFormat.write(record))));
    }

    /**
     * Puts a record into the desired tree: the file already at {@code path} when the record read
     * from it equals the one to write, else the record's bytes. Most records of a pass are
     * unchanged, and comparing them is far cheaper than writing and hashing each again
     * (RecordsFormat.read keeps the record read from the record's own path).
     */
    private static void putRecord(Draft draft, String path, Object record, Object read, Supplier<byte[]> bytes) {
        String currentId = draft.ctx.snapshot().files().get(path);
        draft.desired.put(
                path,
                currentId != null && record.equals(read)
                        ? new DesiredFile.Existing(currentId)
                        : new DesiredFile.Bytes(bytes.get()));
    }
}
