package dev.kbr.state;

import java.util.Objects;

/** What {@link StateStore#commit} did. */
public sealed interface CommitResult permits CommitResult.Committed, CommitResult.Unchanged {

    /**
     * The change set was written and the store moved to a new version.
     *
     * @param version the store's new version (a Git store's commit id, hex)
     * @param filesChanged how many paths it touched
     */
    record Committed(String version, int filesChanged) implements CommitResult {
        public Committed {
            Objects.requireNonNull(version, "version");
        }
    }

    /** Nothing to write; the store was left alone. */
    record Unchanged() implements CommitResult {}
}
