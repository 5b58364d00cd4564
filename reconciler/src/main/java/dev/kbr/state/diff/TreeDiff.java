package dev.kbr.state.diff;

import dev.kbr.state.ChangeSet;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.FileChange;
import dev.kbr.state.StateSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * Compares a desired tree with a state store's current tree. Like Flux's pruning by inventory,
 * a path is deleted only when kbr owns it: it is listed in kbr's records, or lies under the
 * records folder. Files kbr does not own are never touched, even when nothing produces them.
 */
public final class TreeDiff {
    private TreeDiff() {}

    /**
     * The changes that turn {@code current} into {@code desired}.
     *
     * @param current the store's tree as read
     * @param desired every path kbr wants, with its content
     * @param owned paths kbr wrote in earlier passes (from the records)
     * @param ownedPrefix a folder kbr owns entirely (its records), ending in {@code /}
     * @param contentId the store's content id function
     * @return the sorted change set; empty when the trees already agree
     */
    public static ChangeSet diff(
            StateSnapshot current,
            SortedMap<String, DesiredFile> desired,
            Set<String> owned,
            String ownedPrefix,
            Function<byte[], String> contentId) {
        Map<String, String> files = current.files();
        List<FileChange> changes = new ArrayList<>();
        for (Map.Entry<String, DesiredFile> entry : desired.entrySet()) {
            String path = entry.getKey();
            byte[] content;
            String id;
            if (entry.getValue() instanceof DesiredFile.Bytes bytes) {
                content = bytes.content();
                id = contentId.apply(content);
            } else {
                content = new byte[0];
                id = ((DesiredFile.Existing) entry.getValue()).contentId();
            }
            String currentId = files.get(path);
            if (currentId == null) {
                changes.add(new FileChange.Added(path, content, id));
            } else if (!currentId.equals(id)) {
                changes.add(new FileChange.Modified(path, currentId, content, id));
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            String path = file.getKey();
            if (!desired.containsKey(path) && (owned.contains(path) || path.startsWith(ownedPrefix))) {
                changes.add(new FileChange.Deleted(path, file.getValue()));
            }
        }
        return new ChangeSet(changes);
    }
}
