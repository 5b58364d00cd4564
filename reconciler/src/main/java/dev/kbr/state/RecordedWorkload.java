package dev.kbr.state;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One workload of a placed group as kbr recorded it (Kratix keeps these in {@code
 * WorkPlacement.spec.workloads}): enough to write the group again without re-running its
 * pipeline.
 *
 * @param filepath the path relative to {@code /kratix/output}
 * @param contentId the {@link ContentId} of the content
 * @param content the bytes themselves, present only where the store holds no file with that
 *     content to copy (an {@code aggregatedYAML} Destination folds every workload into one file)
 */
public record RecordedWorkload(String filepath, String contentId, Optional<byte[]> content) {
    public RecordedWorkload {
        Objects.requireNonNull(filepath, "filepath");
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(content, "content");
    }

    // Arrays compare by identity in records; records of workloads compare by value.
    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedWorkload w
                && filepath.equals(w.filepath)
                && contentId.equals(w.contentId)
                && content.isPresent() == w.content.isPresent()
                && (content.isEmpty() || Arrays.equals(content.get(), w.content.get()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(filepath, contentId, content.map(Arrays::hashCode).orElse(0));
    }

    @Override
    public String toString() {
        return "RecordedWorkload[" + filepath + " " + contentId + (content.isPresent() ? " with content" : "") + "]";
    }
}
