package dev.kbr.state.layout;

import dev.kbr.model.WorkId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A workload group of a Work placed on one Destination: Kratix's WorkPlacement.
 *
 * @param work the Work
 * @param groupId the workload group id (hex MD5 of its directory)
 * @param workloads its files, put in Kratix's Work order ({@link WorkloadOrder})
 */
public record PlacedGroup(WorkId work, String groupId, List<Workload> workloads) {
    public PlacedGroup {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(groupId, "groupId");
        workloads = workloads.stream()
                .sorted(Comparator.comparing(Workload::filepath, WorkloadOrder.PATHS))
                .toList();
    }

    /** The group id's first five characters: the {@code <id5>} of paths and names. */
    public String shortId() {
        return groupId.substring(0, Math.min(5, groupId.length()));
    }

    /** The WorkPlacement's name on {@code destination}. */
    public String workPlacementName(String destination) {
        return WorkPlacementNames.workPlacementName(work, destination, groupId);
    }
}
