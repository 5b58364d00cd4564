package dev.kbr.state;

import java.util.Objects;

/** One file changed by a pass. Paths are repo-relative and {@code /}-separated. */
public sealed interface FileChange permits FileChange.Added, FileChange.Modified, FileChange.Deleted {

    String path();

    /**
     * A file that does not exist yet.
     *
     * @param path where
     * @param content the new bytes
     * @param contentId the {@link ContentId} of {@code content}
     */
    record Added(String path, byte[] content, String contentId) implements FileChange {
        public Added {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(contentId, "contentId");
        }
    }

    /**
     * A file whose content changes.
     *
     * @param path where
     * @param oldContentId id of the content being replaced
     * @param content the new bytes
     * @param contentId the {@link ContentId} of {@code content}
     */
    record Modified(String path, String oldContentId, byte[] content, String contentId) implements FileChange {
        public Modified {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(oldContentId, "oldContentId");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(contentId, "contentId");
        }
    }

    /**
     * A file to remove.
     *
     * @param path where
     * @param oldContentId id of the content being removed
     */
    record Deleted(String path, String oldContentId) implements FileChange {
        public Deleted {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(oldContentId, "oldContentId");
        }
    }
}
