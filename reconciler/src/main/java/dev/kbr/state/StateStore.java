package dev.kbr.state;

import java.io.IOException;

/**
 * One state store (a branch of a Git repo): read its tree, and commit a change set on top of the
 * tree that was read, atomically, or not at all.
 *
 * <p>Paths are repo-relative, {@code /}-separated, without leading {@code /}. Implementations
 * never check out a work tree and never force-push.
 */
public interface StateStore extends AutoCloseable {

    /**
     * Reads the branch head: its commit id (empty when the branch or the repo is empty) and the
     * blob id of every file in its tree.
     *
     * @throws IOException when the store cannot be reached or read; the message names the store
     */
    StateSnapshot read() throws IOException;

    /**
     * The id this store gives to content (for Git: the blob id, hex), so callers can compare
     * desired bytes with files in a snapshot without reading them.
     */
    String contentId(byte[] content);

    /**
     * Commits {@code changes} on top of {@code base} and updates the branch only if it still
     * points at {@code base.head()} (compare-and-swap). Does nothing and returns {@link
     * CommitResult.Unchanged} when {@code changes} is empty.
     *
     * @param base the snapshot the change set was computed against
     * @param changes files to add, modify or delete
     * @param message the commit message
     * @return the new commit, or why none was made
     * @throws IOException when the store cannot be written; the message names the store
     */
    CommitResult commit(StateSnapshot base, ChangeSet changes, String message) throws IOException;

    /** Releases local resources (temporary repositories, connections); idempotent. */
    @Override
    void close() throws IOException;
}
