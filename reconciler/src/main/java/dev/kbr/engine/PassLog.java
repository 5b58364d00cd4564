package dev.kbr.engine;

import dev.kbr.model.Diagnostic;
import dev.kbr.report.Notice;
import dev.kbr.report.PassError;
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
    final List<Notice> notices = new ArrayList<>();
    final List<Diagnostic> diagnostics = new ArrayList<>();
    final List<String> cached = new ArrayList<>();
    final List<PassError> errors = new ArrayList<>();

    /**
     * Adds a notice.
     *
     * @param subject what it is about (an object key, a Work, a Destination); its {@code
     *     toString} names it
     */
    void notice(Notice.Topic topic, Object subject, String message) {
        notices.add(new Notice(topic, String.valueOf(subject), message));
    }

    /** Adds a pass error about {@code subject} (a store's name, an object key). */
    void error(PassError.Area area, Object subject, String message) {
        errors.add(new PassError(area, String.valueOf(subject), message));
    }

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
