package dev.kbr.engine;

import dev.kbr.state.DesiredFile;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tree a state store should hold after the pass, with kbr's records: the output of
 * rendering, the input of diff and commit.
 *
 * @param store the store, as read at the start of the pass
 * @param files every file of the store's tree below its path, by path
 * @param roots each Destination's folder in the store, by Destination name (for reports)
 * @param problems why the tree cannot be written (two Destinations write one path); empty
 *     when it can
 * @param replacedFolders folders of WorkPlacements written from this pass's output, each ending
 *     in {@code /}: any other file under them goes, as when Kratix writes a WorkPlacement
 */
record DesiredState(
        StoreContext store,
        SortedMap<String, DesiredFile> files,
        SortedMap<String, String> roots,
        List<String> problems,
        SortedSet<String> replacedFolders) {
    DesiredState {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        roots = Collections.unmodifiableSortedMap(new TreeMap<>(roots));
        problems = List.copyOf(problems);
        replacedFolders = Collections.unmodifiableSortedSet(new TreeSet<>(replacedFolders));
    }

    String name() {
        return store.name();
    }
}
