package dev.kbr.report;

import dev.kbr.model.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * Everything one pass did, for rendering and exit codes.
 *
 * @param applied true for {@code apply} (commits were pushed), false for {@code plan}
 * @param diagnostics problems in the inputs, sorted by file and line
 * @param pipelineRuns pipelines that ran, in order
 * @param cached objects whose workflows did not run because their inputs did not change (their
 *     recorded outputs stand), in order
 * @param notices things a person should know that are not errors (unscheduled groups,
 *     unavailable Promises, outputs kept from an earlier pass)
 * @param stores one entry per state store written
 * @param errors failures of the pass itself (a store that could not be read or written)
 */
public record RunReport(
        boolean applied,
        List<Diagnostic> diagnostics,
        List<PipelineRun> pipelineRuns,
        List<String> cached,
        List<String> notices,
        List<StoreReport> stores,
        List<String> errors) {
    public RunReport {
        diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
        pipelineRuns = List.copyOf(pipelineRuns);
        cached = List.copyOf(cached);
        notices = List.copyOf(notices);
        stores = List.copyOf(stores);
        errors = List.copyOf(errors);
        Objects.requireNonNull(diagnostics, "diagnostics");
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
}
