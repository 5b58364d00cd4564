package dev.kbr.state;

import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A state store's files at one version, as one read saw them. Immutable; safe to share between
 * threads as long as its reader is.
 *
 * <p>Content kbr kept from an earlier pass is found by its {@link ContentId} wherever it is in the
 * snapshot ({@link #readContent}), and read through the path that holds it: a store need not be
 * able to fetch content by id.
 */
public final class StateSnapshot {
    private final Optional<String> version;
    private final SortedMap<String, String> files;
    private final ContentReader reader;
    private final Map<String, String> pathOfContent;

    /**
     * @param version the store's version of this content (a Git store's commit id), empty when
     *     the store holds nothing yet
     * @param files every file: path (store-relative, {@code /}-separated) to {@link ContentId}
     * @param reader reads a file of this snapshot
     */
    public StateSnapshot(Optional<String> version, SortedMap<String, String> files, ContentReader reader) {
        this.version = Objects.requireNonNull(version, "version");
        this.files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        this.reader = Objects.requireNonNull(reader, "reader");
        Map<String, String> index = new HashMap<>();
        for (var file : this.files.entrySet()) {
            index.putIfAbsent(file.getValue(), file.getKey());
        }
        this.pathOfContent = index;
    }

    /** An empty store (no version yet). */
    public static StateSnapshot empty() {
        return new StateSnapshot(Optional.empty(), new TreeMap<>(), (path, id) -> {
            throw new IOException("an empty state store has no file " + path);
        });
    }

    /** The store's version this snapshot was read at; empty for an empty store. */
    public Optional<String> version() {
        return version;
    }

    /** Every file: path to content id, sorted by path. */
    public SortedMap<String, String> files() {
        return files;
    }

    /**
     * Reads a file of this snapshot.
     *
     * @throws IOException when the path is not in the snapshot or cannot be read
     */
    public byte[] read(String path) throws IOException {
        String id = files.get(path);
        if (id == null) {
            throw new IOException("no file " + path + " in the state store at version " + version.orElse("(empty)"));
        }
        return reader.read(path, id);
    }

    /** True when some file of this snapshot has the content {@code contentId}. */
    public boolean holds(String contentId) {
        return pathOfContent.containsKey(contentId);
    }

    /**
     * Reads content by id, through a path of this snapshot that holds it.
     *
     * @throws IOException when no file has that content, or it cannot be read
     */
    public byte[] readContent(String contentId) throws IOException {
        String path = pathOfContent.get(contentId);
        if (path == null) {
            throw new IOException(
                    "no file in the state store at version " + version.orElse("(empty)") + " has content " + contentId);
        }
        return reader.read(path, contentId);
    }

    /** Reads the content of one file of a snapshot. */
    @FunctionalInterface
    public interface ContentReader {
        /**
         * @param path a path of {@link StateSnapshot#files()}
         * @param contentId the content id listed for it, for stores that read by id
         * @throws IOException when it cannot be read
         */
        byte[] read(String path, String contentId) throws IOException;
    }
}
