package dev.kbr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.execute.KratixStatus;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
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
     */
    static Recorded of(
            Collection<StoreContext> stores,
            Map<ObjectKey, ObjectNode> objects,
            Map<ObjectKey, ObjectRecord.LastRun> lastRuns,
            Set<WorkId> works) {
        SortedMap<ObjectKey, Recorded.LastRun> runs = new TreeMap<>();
        lastRuns.forEach((k, r) -> runs.put(k, new Recorded.LastRun(r.inputHash(), r.at(), r.manualReconciliation())));
        Set<ObjectKey> reconciled = new HashSet<>();
        objects.forEach((k, object) -> {
            if (endedReconciled(object)) {
                reconciled.add(k);
            }
        });
        SortedMap<ObjectKey, List<Recorded.Placement>> placements = new TreeMap<>();
        for (StoreContext ctx : stores) {
            Map<String, DestinationRecord> destinations = ctx.records().destinations();
            for (Map.Entry<WorkId, WorkRecord> work : ctx.records().works().entrySet()) {
                List<Recorded.Placement> list =
                        placements.computeIfAbsent(work.getKey().object(), k -> new ArrayList<>());
                for (GroupRecord group : work.getValue().groups()) {
                    list.add(new Recorded.Placement(
                            group.destination(),
                            Optional.ofNullable(destinations.get(group.destination()))
                                    .map(DestinationRecord::cleanup)));
                }
            }
        }
        return new Recorded(runs, reconciled, new TreeSet<>(objects.keySet()), new TreeSet<>(works), placements);
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
