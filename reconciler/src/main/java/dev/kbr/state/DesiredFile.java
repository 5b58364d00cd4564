package dev.kbr.state;

import java.util.Objects;

/** The content a path should have after a pass. */
public sealed interface DesiredFile permits DesiredFile.Bytes, DesiredFile.Existing {

    /** The {@link ContentId} of this content (for bytes, hashed on each call). */
    String contentId();

    /**
     * Content produced in this pass.
     *
     * @param content the bytes
     */
    record Bytes(byte[] content) implements DesiredFile {
        public Bytes {
            Objects.requireNonNull(content, "content");
        }

        @Override
        public String contentId() {
            return ContentId.of(content);
        }
    }

    /**
     * Content the store already holds, kept from an earlier pass (a failed or skipped pipeline
     * keeps what it delivered before).
     *
     * @param contentId the {@link ContentId} recorded for it; the bytes are read from whichever
     *     file of the store's snapshot holds that content when the path itself does not
     */
    record Existing(String contentId) implements DesiredFile {
        public Existing {
            Objects.requireNonNull(contentId, "contentId");
        }
    }
}
