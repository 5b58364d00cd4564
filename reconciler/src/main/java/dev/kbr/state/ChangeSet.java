package dev.kbr.state;

import java.util.Comparator;
import java.util.List;

/**
 * The files one pass changes in one state store, sorted by path.
 *
 * @param changes the changes, one per path
 */
public record ChangeSet(List<FileChange> changes) {
    public ChangeSet {
        changes =
                changes.stream().sorted(Comparator.comparing(FileChange::path)).toList();
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
