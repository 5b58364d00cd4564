package dev.kbr.state.git;

import dev.kbr.model.PlatformOrigin;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.FileChange;
import java.nio.file.Path;

/**
 * The message of a state commit: how many files it adds, changes and deletes, then Git trailers
 * naming the platform it was computed from, so every state commit traces back to its input.
 */
final class CommitMessage {
    private CommitMessage() {}

    /**
     * @param changes the commit's change set
     * @param platform where the platform was read: a folder (its name is given, not its path on
     *     this machine) or a Git remote (URL without password, ref and commit)
     * @return {@code kbr apply: A added, M changed, D deleted}, a blank line, the trailers
     */
    static String of(ChangeSet changes, PlatformOrigin platform) {
        long added = count(changes, FileChange.Added.class);
        long modified = count(changes, FileChange.Modified.class);
        long deleted = count(changes, FileChange.Deleted.class);
        return "kbr apply: " + added + " added, " + modified + " changed, " + deleted + " deleted\n\n"
                + trailers(platform);
    }

    private static long count(ChangeSet changes, Class<? extends FileChange> kind) {
        return changes.changes().stream().filter(kind::isInstance).count();
    }

    private static String trailers(PlatformOrigin origin) {
        if (!origin.isGit()) {
            Path name = Path.of(origin.location()).getFileName();
            return "Platform: " + (name == null ? origin.location() : name) + "\n";
        }
        return "Platform-Url: " + origin.location() + "\nPlatform-Ref: "
                + origin.ref().orElseThrow() + "\nPlatform-Commit: "
                + origin.commit().orElseThrow() + "\n";
    }
}
