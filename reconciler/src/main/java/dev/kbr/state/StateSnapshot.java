package dev.kbr.state;

import java.io.IOException;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A state store's tree at one commit.
 *
 * @param head the commit id (hex), empty when the branch does not exist yet
 * @param files every file of the tree: path to content id (see {@link StateStore#contentId})
 * @param reader reads the bytes of a file of this snapshot
 */
public record StateSnapshot(Optional<String> head, SortedMap<String, String> files, ContentReader reader) {
    public StateSnapshot {
        Objects.requireNonNull(head, "head");
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        Objects.requireNonNull(reader, "reader");
    }

    /** An empty store (no branch yet). */
    public static StateSnapshot empty() {
        return new StateSnapshot(Optional.empty(), new TreeMap<>(), id -> {
            throw new IOException("empty state store has no content " + id);
        });
    }

    /**
     * Reads a file of this snapshot.
     *
     * @throws IOException when the path is not in the snapshot or cannot be read
     */
    public byte[] read(String path) throws IOException {
        String id = files.get(path);
        if (id == null) {
            throw new IOException("no file " + path + " in state store snapshot " + head.orElse("(empty)"));
        }
        return reader.read(id);
    }

    /** Reads content by id. */
    @FunctionalInterface
    public interface ContentReader {
        /**
         * @param contentId an id from {@link StateSnapshot#files()}
         * @throws IOException when it cannot be read
         */
        byte[] read(String contentId) throws IOException;
    }
}
