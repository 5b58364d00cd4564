package dev.kbr.state;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What kbr wrote for one workload group on one Destination (Kratix's WorkPlacement).
 *
 * @param groupId the workload group id (hex MD5 of its directory)
 * @param directory the group's output directory, {@code "."} for the default group
 * @param destination the Destination name
 * @param misplaced whether the Destination no longer matches the group's selector
 * @param files repo-relative path to content id of every file this placement owns
 * @param workloads the group's workloads in Kratix's order; empty in records written before kbr
 *     recorded them
 */
public record GroupRecord(
        String groupId,
        String directory,
        String destination,
        boolean misplaced,
        SortedMap<String, String> files,
        List<RecordedWorkload> workloads) {
    public GroupRecord {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(destination, "destination");
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        workloads = List.copyOf(workloads);
    }

    /** A record without workloads. */
    public GroupRecord(
            String groupId, String directory, String destination, boolean misplaced, SortedMap<String, String> files) {
        this(groupId, directory, destination, misplaced, files, List.of());
    }
}
