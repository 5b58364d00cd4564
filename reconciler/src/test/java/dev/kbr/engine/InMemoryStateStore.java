package dev.kbr.engine;

import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.FileChange;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A state store held in memory, for engine tests: Git blob ids, commits counted, and a commit
 * refused when the store moved, like the Git adapter. Not a mock: it keeps real state.
 */
final class InMemoryStateStore implements StateStore {
    private final Map<String, byte[]> blobs = new HashMap<>();
    private SortedMap<String, String> files = new TreeMap<>();
    private int commits;

    @Override
    public StateSnapshot read() {
        Optional<String> head = commits == 0 ? Optional.empty() : Optional.of("commit-" + commits);
        return new StateSnapshot(head, files, id -> {
            byte[] bytes = blobs.get(id);
            if (bytes == null) {
                throw new IOException("no blob " + id);
            }
            return bytes;
        });
    }

    @Override
    public String contentId(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CommitResult commit(StateSnapshot base, ChangeSet changes, String message) throws IOException {
        if (!base.head().equals(read().head())) {
            throw new IOException("store moved");
        }
        if (changes.isEmpty()) {
            return new CommitResult.Unchanged();
        }
        SortedMap<String, String> next = new TreeMap<>(files);
        for (FileChange change : changes.changes()) {
            if (change instanceof FileChange.Added a) {
                next.put(a.path(), store(a.content(), a.contentId()));
            } else if (change instanceof FileChange.Modified m) {
                next.put(m.path(), store(m.content(), m.contentId()));
            } else {
                next.remove(change.path());
            }
        }
        files = next;
        commits++;
        return new CommitResult.Committed("commit-" + commits, changes.changes().size());
    }

    private String store(byte[] content, String id) throws IOException {
        if (content.length == 0 && !id.equals(contentId(content))) {
            if (!blobs.containsKey(id)) {
                throw new IOException("cannot reuse missing blob " + id);
            }
            return id;
        }
        blobs.put(id, content);
        return id;
    }

    int commits() {
        return commits;
    }

    /** The text of a file, or null. */
    String text(String path) {
        String id = files.get(path);
        return id == null ? null : new String(blobs.get(id), StandardCharsets.UTF_8);
    }

    SortedMap<String, String> files() {
        return files;
    }

    @Override
    public void close() {}
}
