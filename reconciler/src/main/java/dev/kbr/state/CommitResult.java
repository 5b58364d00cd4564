package dev.kbr.state;

import java.util.Objects;

/** What {@link StateStore#commit} did. */
public sealed interface CommitResult permits CommitResult.Committed, CommitResult.Unchanged {

    /**
     * A new commit was pushed.
     *
     * @param commitId the new commit (hex)
     * @param filesChanged how many paths it touched
     */
    record Committed(String commitId, int filesChanged) implements CommitResult {
        public Committed {
            Objects.requireNonNull(commitId, "commitId");
        }
    }

    /** Nothing to commit; the branch was left alone. */
    record Unchanged() implements CommitResult {}
}
