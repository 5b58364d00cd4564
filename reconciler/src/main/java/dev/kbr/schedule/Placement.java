package dev.kbr.schedule;

import java.util.List;
import java.util.Objects;

/**
 * Where one workload group goes.
 *
 * @param group the group
 * @param destinations Destination names, sorted; empty when unscheduled
 * @param misplaced true when a sticky placement no longer matches the group's selector (it is
 *     kept and still written, as Kratix does)
 */
public record Placement(WorkloadGroup group, List<String> destinations, boolean misplaced) {
    public Placement {
        Objects.requireNonNull(group, "group");
        destinations = destinations.stream().sorted().toList();
    }

    public boolean unscheduled() {
        return destinations.isEmpty();
    }
}
