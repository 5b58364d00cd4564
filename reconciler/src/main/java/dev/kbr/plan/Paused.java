package dev.kbr.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Kratix's {@code kratix.io/paused} label ({@code internal/controller/promise_controller.go}
 * {@code pauseReconciliationLabel}): {@code "true"} on a Promise or a resource request pauses its
 * reconciliation, and a paused Promise pauses its requests too. Any other value does nothing.
 */
public final class Paused {
    /** The label. */
    public static final String LABEL = "kratix.io/paused";

    private Paused() {}

    /** Whether {@code labels} pause their object. */
    public static boolean isPaused(Map<String, String> labels) {
        return "true".equals(labels.get(LABEL));
    }

    /**
     * Whether the object's {@code metadata.labels} pause it.
     *
     * @param object a Promise or request document; null is not paused
     */
    public static boolean isPaused(JsonNode object) {
        return object != null
                && "true"
                        .equals(object.path("metadata")
                                .path("labels")
                                .path(LABEL)
                                .asText(""));
    }
}
