package dev.kbr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.execute.KratixStatus;
import dev.kbr.model.Destination;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkType;
import dev.kbr.plan.Recorded;
import dev.kbr.state.DestinationRecord;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.ObjectRecord;
import dev.kbr.state.WorkRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds the plan's view of the records ({@link Recorded}) from the stores a pass read. */
final class RecordedView {
    private RecordedView() {}

    /**
     * @param stores the stores of the pass, in name order, each with its records
     * @param objects every recorded object, the first store's where two record it
     * @param lastRuns every recorded last run, likewise
     * @param works every recorded Work of any store
     * @param destinations the Destinations this pass writes, by name
     */
    static Recorded of(
            Collection<StoreContext> stores,
            Map<ObjectKey, ObjectNode> objects,
            Map<ObjectKey, ObjectRecord.LastRun> lastRuns,
            Set<WorkId> works,
            Map<String, Destination> destinations) {
        SortedMap<ObjectKey, Recorded.LastRun> runs = new TreeMap<>();
        lastRuns.forEach((k, r) -> runs.put(
                k,
                new Recorded.LastRun(
                        r.inputHash(),
                        r.at(),
                        r.manualReconciliation(),
                        Optional.ofNullable(objects.get(k)).flatMap(KratixStatus::nextRetryAt))));
        Set<ObjectKey> reconciled = new HashSet<>();
        objects.forEach((k, object) -> {
            if (endedReconciled(object)) {
                reconciled.add(k);
            }
        });
        SortedMap<ObjectKey, List<Recorded.Placement>> placements = new TreeMap<>();
        for (StoreContext ctx : stores) {
            Map<String, DestinationRecord> recordedDestinations = ctx.records().destinations();
            for (Map.Entry<WorkId, WorkRecord> work : ctx.records().works().entrySet()) {
                List<Recorded.Placement> list =
                        placements.computeIfAbsent(work.getKey().object(), k -> new ArrayList<>());
                for (GroupRecord group : work.getValue().groups()) {
                    list.add(new Recorded.Placement(
                            group.destination(),
                            Optional.ofNullable(recordedDestinations.get(group.destination()))
                                    .map(DestinationRecord::cleanup)));
                }
            }
        }
        return new Recorded(
                runs,
                reconciled,
                new TreeSet<>(objects.keySet()),
                new TreeSet<>(works),
                placements,
                outputsChanged(stores, destinations));
    }

    /**
     * The objects with a recorded workload on a current Destination whose content is no longer
     * anywhere in its store's tree: a file edited or removed by hand. Their recorded outputs would
     * be written back by content id, which a store that holds only its latest tree cannot read, and
     * they would never be restored while cached. Workloads recorded with their bytes, static
     * dependencies (made from the Promise file each pass), gone Destinations (their files are kept
     * as they are) and aggregated-YAML Destinations (one file of many workloads) are not checked.
     */
    private static Set<ObjectKey> outputsChanged(
            Collection<StoreContext> stores, Map<String, Destination> destinations) {
        Set<ObjectKey> changed = new HashSet<>();
        for (StoreContext ctx : stores) {
            for (Map.Entry<WorkId, WorkRecord> work : ctx.records().works().entrySet()) {
                if (work.getKey().type() == WorkType.STATIC_DEPENDENCY) {
                    continue;
                }
                for (GroupRecord group : work.getValue().groups()) {
                    Destination destination = destinations.get(group.destination());
                    if (destination == null
                            || destination.filepathMode() == FilepathMode.AGGREGATED_YAML
                            || !destination.stateStoreRef().name().equals(ctx.name())) {
                        continue;
                    }
                    boolean missing = group.workloads().stream()
                            .anyMatch(w ->
                                    w.content().isEmpty() && !ctx.snapshot().holds(w.contentId()));
                    if (missing) {
                        changed.add(work.getKey().object());
                    }
                }
            }
        }
        return changed;
    }

    private static boolean endedReconciled(ObjectNode object) {
        JsonNode status = object.get("status");
        if (!(status instanceof ObjectNode node)) {
            return false;
        }
        return KratixStatus.condition(node, KratixStatus.RECONCILED)
                .map(c -> "True".equals(c.path("status").asText()))
                .orElse(false);
    }
}
