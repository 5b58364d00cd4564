package dev.kbr.model;

/** How bad a {@link Diagnostic} is: errors stop the object they concern, warnings do not. */
public enum Severity {
    ERROR,
    WARNING
}
