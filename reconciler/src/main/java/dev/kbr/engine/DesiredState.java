package dev.kbr.engine;

import dev.kbr.state.DesiredFile;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tree a state store should hold after the pass, with kbr's records: the output of
 * rendering, the input of diff and commit.
 *
 * @param store the store, as read at the start of the pass
 * @param files every file of the store's tree below its path, by path
 * @param roots each Destination's folder in the store, by Destination name (for reports)
 * @param problems why the tree cannot be written (two Destinations write one path); empty
 *     when it can
 */
record DesiredState(
        StoreContext store,
        SortedMap<String, DesiredFile> files,
        SortedMap<String, String> roots,
        List<String> problems) {
    DesiredState {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        roots = Collections.unmodifiableSortedMap(new TreeMap<>(roots));
        problems = List.copyOf(problems);
    }

    String name() {
        return store.name();
    }
}
