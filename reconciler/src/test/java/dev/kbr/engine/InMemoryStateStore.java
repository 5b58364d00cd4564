package dev.kbr.engine;

import dev.kbr.model.PlatformOrigin;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.ContentId;
import dev.kbr.state.FileChange;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import dev.kbr.state.StoreLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A state store held in memory, for engine tests: a store without branches or blob ids (the way
 * a bucket is), its files held by path, versions counted, and a change set refused when the
 * store moved, like every adapter. Not a mock: it keeps real state.
 */
final class InMemoryStateStore implements StateStore {
    private final String name;
    private SortedMap<String, byte[]> files = new TreeMap<>();
    private int commits;
    private final java.util.concurrent.atomic.AtomicInteger outputReads =
            new java.util.concurrent.atomic.AtomicInteger();

    InMemoryStateStore() {
        this("default");
    }

    InMemoryStateStore(String name) {
        this.name = name;
    }

    @Override
    public StoreLocation location() {
        return new StoreLocation(name, "InMemoryStateStore", "memory://" + name, Optional.empty());
    }

    @Override
    public StateSnapshot read() {
        Optional<String> version = commits == 0 ? Optional.empty() : Optional.of("v" + commits);
        SortedMap<String, byte[]> held = files;
        SortedMap<String, String> ids = new TreeMap<>();
        held.forEach((path, bytes) -> ids.put(path, ContentId.of(bytes)));
        return new StateSnapshot(version, ids, (path, id) -> {
            if (!path.startsWith(".kbr/")) {
                outputReads.incrementAndGet();
            }
            byte[] bytes = held.get(path);
            if (bytes == null) {
                throw new IOException("no file " + path);
            }
            return bytes.clone();
        });
    }

    @Override
    public CommitResult commit(StateSnapshot base, ChangeSet changes, PlatformOrigin platform) throws IOException {
        if (!base.version().equals(read().version())) {
            throw new StaleStateException("store moved", base.version(), read().version());
        }
        if (changes.isEmpty()) {
            return new CommitResult.Unchanged();
        }
        SortedMap<String, byte[]> next = new TreeMap<>(files);
        for (FileChange change : changes.changes()) {
            if (change instanceof FileChange.Added a) {
                next.put(a.path(), checked(a.content(), a.contentId()));
            } else if (change instanceof FileChange.Modified m) {
                next.put(m.path(), checked(m.content(), m.contentId()));
            } else {
                next.remove(change.path());
            }
        }
        files = next;
        commits++;
        return new CommitResult.Committed("v" + commits, changes.changes().size());
    }

    private static byte[] checked(byte[] content, String id) {
        if (!ContentId.of(content).equals(id)) {
            throw new IllegalArgumentException("content does not match its id " + id);
        }
        return content.clone();
    }

    int commits() {
        return commits;
    }

    /** The text of a file, or null. */
    String text(String path) {
        byte[] bytes = files.get(path);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Replaces a file's content as a person editing the store would: one commit of its own.
     *
     * @throws IOException when the path is not in the store
     */
    void editByHand(String path, byte[] content) throws IOException {
        StateSnapshot before = read();
        String old = before.files().get(path);
        if (old == null) {
            throw new IOException("no file " + path);
        }
        commit(
                before,
                new ChangeSet(java.util.List.of(new FileChange.Modified(path, old, content, ContentId.of(content)))),
                PlatformOrigin.folder("hand-edit"));
    }

    /** Every file: path to content id. */
    SortedMap<String, String> files() {
        return read().files();
    }

    /**
     * How many times a delivered file (not a record) was read since the last call, the way a bucket
     * counts GETs.
     */
    int takeOutputReads() {
        return outputReads.getAndSet(0);
    }

    @Override
    public void close() {}
}
