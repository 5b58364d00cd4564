package dev.kbr.validate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating one resource request.
 *
 * @param object the request as the API server would store it: unknown fields pruned and defaults
 *     applied (a fresh copy, also when there are errors); do not mutate
 * @param diagnostics every problem found, sorted with {@link Diagnostic#ORDER}
 */
public record ValidationResult(ObjectNode object, List<Diagnostic> diagnostics) {
    public ValidationResult {
        Objects.requireNonNull(object, "object");
        diagnostics = List.copyOf(diagnostics);
    }

    /** True when at least one diagnostic is an error: the request must not run. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
