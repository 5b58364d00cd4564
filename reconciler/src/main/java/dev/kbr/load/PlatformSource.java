package dev.kbr.load;

import dev.kbr.model.PlatformOrigin;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The platform repo a pass reads: where it came from and its files. A folder is read as it is on
 * disk; a Git remote was fetched at one commit before the pass (by the CLI's Git adapter) and is
 * read from that commit's tree, never from a checkout. Close it when the pass is done.
 *
 * @param origin the folder, or the remote, ref and commit, for reports and commit messages
 * @param files the repo's files
 */
public record PlatformSource(PlatformOrigin origin, PlatformFiles files) implements AutoCloseable {
    public PlatformSource {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(files, "files");
    }

    /** The platform folder {@code root}. */
    public static PlatformSource folder(Path root) {
        return new PlatformSource(PlatformOrigin.folder(root.toString()), PlatformFiles.folder(root));
    }

    /**
     * Loads the platform ({@link PlatformLoader#load(PlatformFiles)}).
     *
     * @throws IOException when the files cannot be listed or read
     */
    public PlatformLoader.Result load() throws IOException {
        return PlatformLoader.load(files);
    }

    /** Releases the files (a Git tree's local repository). */
    @Override
    public void close() throws IOException {
        files.close();
    }
}
