package dev.kbr.state;

import dev.kbr.model.WorkId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * kbr's record of one Work in one state store (the equivalent of a Kratix Work and its
 * WorkPlacements): which files it owns there, so later passes prune only what kbr wrote.
 *
 * @param id the Work
 * @param groups one entry per (group, Destination) in this store, sorted
 */
public record WorkRecord(WorkId id, List<GroupRecord> groups) {
    public WorkRecord {
        Objects.requireNonNull(id, "id");
        groups = groups.stream()
                .sorted(Comparator.comparing(GroupRecord::groupId).thenComparing(GroupRecord::destination))
                .toList();
    }
}
