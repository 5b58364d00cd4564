package dev.kbr.model;

import java.util.Locale;

/** Whose workflow runs: the Promise's own, or a resource request's ({@code KRATIX_WORKFLOW_TYPE}). */
public enum WorkflowType {
    PROMISE,
    RESOURCE;

    /** The value Kratix uses in labels and environment variables: {@code promise} or {@code resource}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
