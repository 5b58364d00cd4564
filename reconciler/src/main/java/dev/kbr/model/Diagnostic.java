package dev.kbr.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found in the user's files, worded for the person who wrote them.
 *
 * @param severity error or warning
 * @param location file, document and line
 * @param field the YAML path of the offending field, e.g. {@code spec.size}; empty for the whole
 *     document
 * @param message what is wrong and what to do about it
 */
public record Diagnostic(Severity severity, SourceLocation location, String field, String message) {
    /** Orders diagnostics by file, line, field, then message, so reports are deterministic. */
    public static final Comparator<Diagnostic> ORDER = Comparator.comparing(
                    (Diagnostic d) -> d.location().file())
            .thenComparingInt(d -> d.location().documentIndex())
            .thenComparingInt(d -> d.location().line())
            .thenComparing(Diagnostic::field)
            .thenComparing(Diagnostic::message);

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    public static Diagnostic error(SourceLocation location, String field, String message) {
        return new Diagnostic(Severity.ERROR, location, field, message);
    }

    public static Diagnostic warning(SourceLocation location, String field, String message) {
        return new Diagnostic(Severity.WARNING, location, field, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line: error: field: message}, the form every report prints. */
    @Override
    public String toString() {
        String where = field.isEmpty() ? "" : field + ": ";
        return location + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + where + message;
    }
}
