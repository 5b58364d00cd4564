package dev.kbr.report;

import java.util.Objects;
import java.util.Optional;

/**
 * Which platform a pass read, as machine-readable reports name it.
 *
 * @param source the {@code --platform} value (a folder, or a Git URL)
 * @param commit the platform repo commit that was read; empty when not known (e.g. a plain folder)
 */
public record PlatformSource(String source, Optional<String> commit) {
    public PlatformSource {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(commit, "commit");
    }
}
