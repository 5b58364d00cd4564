package dev.kbr.schedule;

import dev.kbr.model.WorkId;
import java.util.List;
import java.util.Objects;

/**
 * One Work: what one pipeline (or a Promise's static dependencies) produced, split into groups.
 *
 * @param id whose output this is
 * @param groups directory groups first, then the default group, as Kratix orders them
 */
public record Work(WorkId id, List<WorkloadGroup> groups) {
    public Work {
        Objects.requireNonNull(id, "id");
        groups = List.copyOf(groups);
    }
}
