package dev.kbr.state;

import dev.kbr.model.PlatformOrigin;
import java.io.IOException;

/**
 * One state store: read its files at its current version, and write a change set on top of the
 * version that was read, as one step, or not at all. Implementations: {@code
 * dev.kbr.state.git.GitRepoStateStore} (one branch of a Git repository, one commit per pass) and
 * {@code dev.kbr.state.bucket.S3StateStore} (the objects under a prefix of an S3 bucket, written
 * in an order every reader can build, under a lease).
 *
 * <p>Paths are relative to the store's root, {@code /}-separated, without leading {@code /}.
 * Content is identified by {@link ContentId}, the same for every kind of store, so kbr's records
 * stay valid whatever store holds them.
 */
public interface StateStore extends AutoCloseable {

    /** Where the store lives, for reports and messages. */
    StoreLocation location();

    /**
     * Reads the store's current version: its id (empty when the store holds nothing yet) and the
     * content id of every file.
     *
     * @throws IOException when the store cannot be reached or read; the message names the store
     */
    StateSnapshot read() throws IOException;

    /**
     * Writes {@code changes} on top of {@code base}, only if the store is still at {@code
     * base.version()} (compare-and-swap). A store whose version also covers files it never writes
     * (a bucket prefix shared with another store) may instead require only that its records and
     * the paths {@code changes} touches are as {@code base} had them, keeping the other files as
     * they are. Does nothing and returns {@link CommitResult.Unchanged} when {@code changes} is
     * empty.
     *
     * @param base the snapshot the change set was computed against
     * @param changes files to add, modify or delete, each with its bytes
     * @param platform where the platform the changes were computed from was read, which the store
     *     records with the change as it can (a Git store: in the commit message)
     * @return the new version, or why none was made
     * @throws StaleStateException when the store moved since {@code base} was read; nothing was
     *     written
     * @throws IOException when the store cannot be written; the message names the store
     */
    CommitResult commit(StateSnapshot base, ChangeSet changes, PlatformOrigin platform) throws IOException;

    /** Releases local resources (temporary repositories, connections); idempotent. */
    @Override
    void close() throws IOException;
}
