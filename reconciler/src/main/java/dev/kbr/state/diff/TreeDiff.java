package dev.kbr.state.diff;

import dev.kbr.state.ChangeSet;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.FileChange;
import dev.kbr.state.StateSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Compares a desired tree with a state store's current tree. Like Flux's pruning by inventory,
 * a path is deleted only when kbr owns it: it is listed in kbr's records, or lies under a folder
 * kbr owns as a whole (its records folder, and the folder of each WorkPlacement it writes from
 * this pass's output, which Kratix too replaces as a whole). Files kbr does not own are never
 * touched, even when nothing produces them.
 */
public final class TreeDiff {
    private TreeDiff() {}

    /**
     * The changes that turn {@code current} into {@code desired}. Every added or modified file
     * carries its bytes: content kept from an earlier pass ({@link DesiredFile.Existing}) that is
     * not already at its path is read from the file of {@code current} that holds it.
     *
     * @param current the store's files as read
     * @param desired every path kbr wants, with its content
     * @param owned paths kbr wrote in earlier passes (from the records)
     * @param ownedFolders folders kbr owns entirely, each ending in {@code /}
     * @return the sorted change set; empty when the trees already agree
     * @throws IOException when kept content must be read and no file of {@code current} holds it,
     *     or it cannot be read
     */
    public static ChangeSet diff(
            StateSnapshot current, SortedMap<String, DesiredFile> desired, Set<String> owned, Set<String> ownedFolders)
            throws IOException {
        Map<String, String> files = current.files();
        // Hashing is the diff's main cost (a pass over 10,000 requests rewrites 20,000 records
        // just to find them unchanged); each content hashes on its own.
        List<Map.Entry<String, DesiredFile>> entries = List.copyOf(desired.entrySet());
        List<String> ids =
                entries.parallelStream().map(e -> e.getValue().contentId()).toList();
        List<FileChange> changes = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = entries.get(i).getKey();
            String id = ids.get(i);
            String currentId = files.get(path);
            if (id.equals(currentId)) {
                continue;
            }
            byte[] content = entries.get(i).getValue() instanceof DesiredFile.Bytes bytes
                    ? bytes.content()
                    : current.readContent(id);
            changes.add(
                    currentId == null
                            ? new FileChange.Added(path, content, id)
                            : new FileChange.Modified(path, currentId, content, id));
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            String path = file.getKey();
            if (!desired.containsKey(path) && (owned.contains(path) || inFolder(path, ownedFolders))) {
                changes.add(new FileChange.Deleted(path, file.getValue()));
            }
        }
        return new ChangeSet(changes);
    }

    private static boolean inFolder(String path, Set<String> folders) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            if (folders.contains(path.substring(0, slash + 1))) {
                return true;
            }
        }
        return false;
    }
}
