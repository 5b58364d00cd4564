package dev.kbr.engine;

import dev.kbr.model.Destination;
import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import dev.kbr.plan.DeleteGuard;
import dev.kbr.report.Notice;
import dev.kbr.report.PassError;
import dev.kbr.schedule.Placement;
import dev.kbr.schedule.Scheduler;
import dev.kbr.schedule.Work;
import dev.kbr.schedule.WorkloadGroup;
import dev.kbr.schedule.WorkloadGroups;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.DestinationRecord;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.RecordedWorkload;
import dev.kbr.state.WorkRecord;
import dev.kbr.state.layout.DestinationFiles;
import dev.kbr.state.layout.DestinationLayout;
import dev.kbr.state.layout.PlacedGroup;
import dev.kbr.state.layout.StateLayout;
import dev.kbr.state.layout.WorkPlacementNames;
import dev.kbr.state.layout.Workload;
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

    private final List<Notice> notices = new ArrayList<>();
    private final List<PassError> errors = new ArrayList<>();
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
            List<Notice> notices,
            List<PassError> errors) {
        Rendered {
            stores = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(stores));
            notices = List.copyOf(notices);
            errors = List.copyOf(errors);
        }
    }

    /** A group waiting to be rendered on a current Destination, with what its record needs. */
    private record Pending(String directory, boolean misplaced, PlacedGroup group) {}

    private final java.util.Set<dev.kbr.model.ObjectKey> createdThroughApi;

    /**
     * @param options the pass's options (the delete guard's limits)
     * @param read the stores and current Destinations of the pass
     * @param execution what the execute phase decided
     * @param inputErrors true when the pass has input errors: a Destination that failed to load
     *     only looks gone, so nothing of a gone Destination is deleted
     * @param now the instant changed conditions are stamped with
     * @param createdThroughApi the requests that exist because a pipeline created them through the
     *     platform API, recorded as such
     */
    StateRenderer(
            PassOptions options,
            StoresRead read,
            Execution execution,
            boolean inputErrors,
            Instant now,
            java.util.Set<dev.kbr.model.ObjectKey> createdThroughApi) {
        this.createdThroughApi = java.util.Set.copyOf(createdThroughApi);
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
        Map<String, StoreDraft> drafts = layOut();
        // A Work failed for a conflicting object is laid out again from its records; each round
        // fails at least one more Work that ran, so this ends.
        for (ObjectConflicts.Result conflicts = checkConflicts(drafts);
                !conflicts.failed().isEmpty();
                conflicts = checkConflicts(drafts)) {
            conflicts.messages().forEach(m -> errors.add(new PassError(PassError.Area.CONFLICT, "", m)));
            execution = execution.withFailedWorks(conflicts.failed());
            notices.clear();
            unscheduled.clear();
            misplaced.clear();
            drafts = layOut();
        }
        execution = execution.withWorkStatus(unscheduled, misplaced, now);
        drafts.values().forEach(d -> d.addRecords(execution, createdThroughApi));
        Optional<String> refusal = massDelete(drafts);
        refusal.ifPresent(r -> errors.add(new PassError(PassError.Area.DELETE_GUARD, "", r)));
        SortedMap<String, DesiredState> desired = new TreeMap<>();
        drafts.forEach((name, draft) -> desired.put(
                name, new DesiredState(draft.ctx, draft.desired, draft.roots, draft.problems, draft.replacedFolders)));
        return new Rendered(desired, refusal, notices, errors);
    }

    /** Schedules and renders every store's desired files (without records). */
    private Map<String, StoreDraft> layOut() {
        Map<String, StoreDraft> drafts = new TreeMap<>();
        stores.values().forEach(ctx -> drafts.put(ctx.model().name(), new StoreDraft(ctx, destinations)));
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
    private Optional<String> massDelete(Map<String, StoreDraft> drafts) {
        Set<WorkId> recorded = new TreeSet<>();
        Set<WorkId> rendered = new TreeSet<>();
        for (StoreDraft draft : drafts.values()) {
            recorded.addAll(draft.ctx.records().works().keySet());
            rendered.addAll(draft.works.keySet());
        }
        Set<WorkId> deleted = new TreeSet<>(recorded);
        deleted.removeAll(rendered);
        return DeleteGuard.refusal(options.deleteLimits(), recorded, deleted);
    }

    /** Conflicting Kubernetes objects on each Destination (see {@link ObjectConflicts}). */
    private ObjectConflicts.Result checkConflicts(Map<String, StoreDraft> drafts) {
        List<ObjectConflicts.Placed> placed = new ArrayList<>();
        drafts.values().forEach(d -> placed.addAll(d.placed));
        return ObjectConflicts.check(placed, new RecordedContents(stores, destinations));
    }

    // --- Destinations gone from a store ------------------------------------------------------

    /** Decides, per Destination this store has records of but no longer serves, what happens. */
    private void decideGone(StoreDraft draft) {
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
                draft.gone.put(name, StoreDraft.Fate.CLEANED);
                notice(
                        Notice.Topic.DESTINATION_REMOVED,
                        name,
                        "Destination " + name + " is gone from the platform and has cleanup: all: deleting the "
                                + files + " file(s) kbr wrote for it in " + where
                                + "; its resource workload groups are scheduled again");
            } else if (record != null && record.cleanup() == DestinationCleanup.ALL) {
                draft.gone.put(name, StoreDraft.Fate.FROZEN);
                notice(
                        Notice.Topic.DESTINATION_REMOVED,
                        name,
                        "Destination " + name + " is gone from the platform and has cleanup: all, but this pass"
                                + " has input errors (a Destination that fails to load looks gone), so its " + files
                                + " file(s) in " + where + " are kept until a pass without errors");
            } else {
                draft.gone.put(name, StoreDraft.Fate.FROZEN);
                notice(
                        Notice.Topic.DESTINATION_REMOVED,
                        name,
                        "Destination " + name + " is gone from the platform and has cleanup: none, so the "
                                + files + " file(s) kbr wrote for it stay in " + where
                                + " and its resource workload groups stay placed on it, as Kratix leaves them;"
                                + " add it back with cleanup: all and remove it again to delete them");
            }
        }
    }

    /** Every path the records of this store say was written for {@code destination}. */
    private static Set<String> ownedBy(StoreDraft draft, String destination) {
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
    private void keepGone(StoreDraft draft) {
        draft.gone.forEach((name, fate) -> {
            if (fate != StoreDraft.Fate.FROZEN) {
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
                if (draft.gone.get(group.destination()) == StoreDraft.Fate.FROZEN) {
                    draft.record(record.id(), group);
                    group.files().forEach(draft::keep);
                }
            }
        }
        draft.gone.forEach((name, fate) -> {
            DestinationRecord record = draft.ctx.records().destinations().get(name);
            if (fate == StoreDraft.Fate.CLEANED && record != null) {
                draft.roots.put(StateLayout.destinationRoot(draft.storePath(), record.path()), name + " (removed)");
            }
        });
    }

    // --- placing ------------------------------------------------------------------------------

    private void placeFresh(Map<String, StoreDraft> drafts, Map<String, List<Pending>> pending) {
        List<Destination> current = List.copyOf(destinations.values());
        for (Work work : execution.fresh().values()) {
            Set<String> frozen = work.id().type().isDependency() ? Set.of() : frozenGroups(drafts, work.id());
            for (Placement placement : Scheduler.place(work, current, previousPlacements(work.id()))) {
                WorkloadGroup group = placement.group();
                if (frozen.contains(group.id())) {
                    // Kratix never moves a resource group whose WorkPlacement still exists, even
                    // when its Destination is gone.
                    notice(
                            Notice.Topic.PLACEMENT,
                            work.id(),
                            work.id() + ": workload group " + group.directory()
                                    + " stays on its removed Destination (cleanup: none) and is not placed elsewhere");
                    continue;
                }
                if (placement.unscheduled()) {
                    unscheduled
                            .computeIfAbsent(work.id().object(), k -> new TreeSet<>())
                            .add(WorkPlacementNames.workName(work.id()));
                    notice(
                            Notice.Topic.PLACEMENT,
                            work.id(),
                            work.id() + ": workload group " + group.directory()
                                    + " is unscheduled: no Destination matches "
                                    + WorkloadGroups.resolve(group).matchLabels());
                }
                if (placement.misplaced()) {
                    misplaced
                            .computeIfAbsent(work.id().object(), k -> new TreeSet<>())
                            .add(WorkPlacementNames.workName(work.id()));
                    notice(
                            Notice.Topic.PLACEMENT,
                            work.id(),
                            work.id() + ": workload group " + group.directory() + " is misplaced on "
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
    private Set<String> frozenGroups(Map<String, StoreDraft> drafts, WorkId id) {
        Set<String> groups = new HashSet<>();
        for (StoreDraft draft : drafts.values()) {
            WorkRecord record = draft.ctx.records().works().get(id);
            if (record == null) {
                continue;
            }
            record.groups().stream()
                    .filter(g -> draft.gone.get(g.destination()) == StoreDraft.Fate.FROZEN
                            && !destinations.containsKey(g.destination()))
                    .forEach(g -> groups.add(g.groupId()));
        }
        return groups;
    }

    /** Kept Works (failed or held pipelines) are written again from their records. */
    private void placeKept(StoreDraft draft, Map<String, List<Pending>> pending) {
        for (WorkId id : execution.kept()) {
            WorkRecord record = draft.ctx.records().works().get(id);
            if (record == null) {
                continue;
            }
            for (GroupRecord group : record.groups()) {
                if (!draft.hasCurrent(group.destination())) {
                    if (draft.gone.get(group.destination()) == StoreDraft.Fate.CLEANED) {
                        notice(
                                Notice.Topic.PLACEMENT,
                                id,
                                id + ": workload group " + group.directory() + " was on removed Destination "
                                        + group.destination()
                                        + " (cleanup: all); it is placed again when its pipeline next"
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

    /**
     * Whether a Work's output on a Destination is new in this pass: its pipeline ran, or it was
     * not on that Destination before. A cached Work re-placed where it was is not new, so the
     * conflict check does not read every kept file on every pass (a GET each on a bucket).
     */
    private boolean isNewHere(WorkId work, String destination) {
        if (!execution.fresh().containsKey(work)) {
            return false;
        }
        return execution.outcomes().containsKey(work.object())
                || previousPlacements(work).values().stream().noneMatch(on -> on.contains(destination));
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

    private void renderDestination(StoreDraft draft, Destination destination, List<Pending> pending) {
        List<Pending> ordered = pending.stream()
                .sorted(Comparator.comparing((Pending p) -> p.group().work())
                        .thenComparing(p -> p.group().groupId()))
                .map(p -> new Pending(
                        p.directory(), p.misplaced(), EquivalentBytes.keepStored(p.group(), destination, draft.ctx)))
                .toList();
        String storePath = draft.storePath();
        ordered.stream()
                .map(Pending::group)
                .filter(g -> execution.fresh().containsKey(g.work()))
                .forEach(g -> StateLayout.workFolder(storePath, destination, g.work(), g.shortId())
                        .ifPresent(draft.replacedFolders::add));
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
                        isNewHere(p.group().work(), destination.name()),
                        w.content()));
            }
            List<RecordedWorkload> workloads = p.group().workloads().stream()
                    .map(w -> recorded(w, aggregated))
                    .toList();
            draft.record(
                    p.group().work(),
                    new GroupRecord(
                            p.group().groupId(),
                            p.directory(),
                            destination.name(),
                            p.misplaced(),
                            ids(files.groupFiles().get(i)),
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
                        ids(files.canaries()),
                        ids(files.aggregate())));
        draft.roots.put(StateLayout.destinationRoot(storePath, destination), destination.name());
    }

    private static RecordedWorkload recorded(Workload workload, boolean withContent) {
        return new RecordedWorkload(
                workload.filepath(),
                workload.content().contentId(),
                withContent && workload.content() instanceof DesiredFile.Bytes bytes
                        ? Optional.of(bytes.content())
                        : Optional.empty());
    }

    private static SortedMap<String, String> ids(SortedMap<String, DesiredFile> files) {
        SortedMap<String, String> ids = new TreeMap<>();
        files.forEach((path, file) -> ids.put(path, file.contentId()));
        return ids;
    }

    private void notice(Notice.Topic topic, Object subject, String message) {
        notices.add(new Notice(topic, String.valueOf(subject), message));
    }
}
