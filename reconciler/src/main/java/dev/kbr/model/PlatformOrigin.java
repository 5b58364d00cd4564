package dev.kbr.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one pass read its platform repo from, so the report and every state commit trace back to
 * their input: a folder, or a Git remote at one commit.
 *
 * @param location the folder as given to {@code --platform}, or the Git URL with any password
 *     replaced by {@code ***} (see {@link GitStateStore#displayUrl(String)})
 * @param ref for a Git remote, the ref that was read as the person asked for it ({@code
 *     --platform-ref}: a branch, tag or commit id), or the branch the remote's {@code HEAD}
 *     pointed at (or {@code HEAD}) when none was asked for; empty for a folder
 * @param commit for a Git remote, the full commit id (40 hex digits) that was read; empty for a
 *     folder
 */
public record PlatformOrigin(String location, Optional<String> ref, Optional<String> commit) {
    public PlatformOrigin {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(commit, "commit");
        location = GitStateStore.displayUrl(location);
        if (ref.isPresent() != commit.isPresent()) {
            throw new IllegalArgumentException(
                    "a platform read from Git has both a ref and a commit, a folder neither");
        }
    }

    /** A platform folder, named as the person gave it. */
    public static PlatformOrigin folder(String path) {
        return new PlatformOrigin(path, Optional.empty(), Optional.empty());
    }

    /** A platform read from the Git remote {@code url} at {@code commit}, found through {@code ref}. */
    public static PlatformOrigin git(String url, String ref, String commit) {
        return new PlatformOrigin(url, Optional.of(ref), Optional.of(commit));
    }

    /** True when the platform was read from a Git remote. */
    public boolean isGit() {
        return commit.isPresent();
    }

    /**
     * One line for reports and messages: {@code folder fixtures/platforms/seeds}, or {@code
     * https://host/org/platform.git at 0123…cdef (main)}.
     */
    public String describe() {
        return isGit() ? location + " at " + commit.get() + " (" + ref.get() + ")" : "folder " + location;
    }

    @Override
    public String toString() {
        return describe();
    }
}
