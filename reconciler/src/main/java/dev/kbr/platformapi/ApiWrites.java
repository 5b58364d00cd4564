package dev.kbr.platformapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one pipeline run did through the API, handed to the pass when its session finishes.
 *
 * @param status the reconciled object's {@code status} after every write the run made to it
 *     (merge patch, JSON patch or update of the {@code status} subresource); empty when it wrote
 *     none. Do not mutate.
 * @param changes the resource requests it created, updated or deleted, in the order it did so
 * @param refused one line per call refused for want of permission or as outside what kbr serves,
 *     e.g. {@code 403 create secrets in namespace default}; never holds a token or a Secret value
 */
public record ApiWrites(Optional<ObjectNode> status, List<ApiChange> changes, List<String> refused) {
    public ApiWrites {
        Objects.requireNonNull(status, "status");
        changes = List.copyOf(changes);
        refused = List.copyOf(refused);
    }

    /** Nothing written, nothing refused. */
    public static ApiWrites none() {
        return new ApiWrites(Optional.empty(), List.of(), List.of());
    }
}
