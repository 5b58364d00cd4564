package dev.kbr.engine;

import dev.kbr.model.Diagnostic;
import dev.kbr.report.PipelineRun;
import java.util.ArrayList;
import java.util.List;

/**
 * What one task of the pass reports: its pipeline runs, notices, diagnostics, the objects it
 * found cached, and errors. Each task writes only its own log; the pass appends the tasks' logs
 * to its own in task order, so reports do not depend on which task finished first.
 */
final class PassLog {
    final List<PipelineRun> runs = new ArrayList<>();
    final List<String> notices = new ArrayList<>();
    final List<Diagnostic> diagnostics = new ArrayList<>();
    final List<String> cached = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    /** Appends everything {@code other} holds, in its order. */
    void append(PassLog other) {
        runs.addAll(other.runs);
        notices.addAll(other.notices);
        diagnostics.addAll(other.diagnostics);
        cached.addAll(other.cached);
        errors.addAll(other.errors);
    }

    boolean hasInputErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
