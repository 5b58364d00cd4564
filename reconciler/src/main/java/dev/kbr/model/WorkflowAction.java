package dev.kbr.model;

import java.util.Locale;

/** Which workflow of a type runs ({@code KRATIX_WORKFLOW_ACTION}). */
public enum WorkflowAction {
    CONFIGURE,
    DELETE;

    /** {@code configure} or {@code delete}, as in Kratix labels and environment variables. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
