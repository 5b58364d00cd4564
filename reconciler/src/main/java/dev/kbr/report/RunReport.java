package dev.kbr.report;

import dev.kbr.model.Diagnostic;
import dev.kbr.model.PlatformOrigin;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one pass did, for rendering and exit codes.
 *
 * @param applied true for {@code apply} (commits were pushed), false for {@code plan}
 * @param diagnostics problems in the inputs, sorted by file and line
 * @param pipelineRuns pipelines that ran, in order
 * @param cached objects whose workflows did not run because their inputs did not change (their
 *     recorded outputs stand), in order
 * @param notices things a person should know that are not errors (unscheduled groups,
 *     unavailable Promises, outputs kept from an earlier pass), each with its topic and subject
 * @param stores one entry per state store written
 * @param errors failures of the pass itself (a store that could not be read or written), each
 *     with where it arose and what it is about
 * @param platform where the platform was read from (a folder, or a Git remote at a commit); empty
 *     only in reports made outside a pass
 */
public record RunReport(
        boolean applied,
        List<Diagnostic> diagnostics,
        List<PipelineRun> pipelineRuns,
        List<String> cached,
        List<Notice> notices,
        List<StoreReport> stores,
        List<PassError> errors,
        Optional<PlatformOrigin> platform) {
    public RunReport {
        diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
        pipelineRuns = List.copyOf(pipelineRuns);
        cached = List.copyOf(cached);
        notices = List.copyOf(notices);
        stores = List.copyOf(stores);
        errors = List.copyOf(errors);
        Objects.requireNonNull(diagnostics, "diagnostics");
        Objects.requireNonNull(platform, "platform");
    }

    /** A report that does not say where its platform came from. */
    public RunReport(
            boolean applied,
            List<Diagnostic> diagnostics,
            List<PipelineRun> pipelineRuns,
            List<String> cached,
            List<Notice> notices,
            List<StoreReport> stores,
            List<PassError> errors) {
        this(applied, diagnostics, pipelineRuns, cached, notices, stores, errors, Optional.empty());
    }

    /** The same report, naming the platform it was made from. */
    public RunReport withPlatform(PlatformOrigin origin) {
        return new RunReport(applied, diagnostics, pipelineRuns, cached, notices, stores, errors, Optional.of(origin));
    }

    /** True when anything failed: an input error, a pipeline, or a store. */
    public boolean hasErrors() {
        return !errors.isEmpty()
                || diagnostics.stream().anyMatch(Diagnostic::isError)
                || pipelineRuns.stream().anyMatch(r -> !r.succeeded());
    }

    /** True when some state store has changes (planned or committed). */
    public boolean hasChanges() {
        return stores.stream().anyMatch(s -> !s.changes().isEmpty());
    }

    /** The notices' sentences, in order, as the text report prints them. */
    public List<String> noticeMessages() {
        return notices.stream().map(Notice::message).toList();
    }

    /** The pass errors' sentences, in order, as the text report prints them. */
    public List<String> errorMessages() {
        return errors.stream().map(PassError::message).toList();
    }
}
