package dev.kbr.execute;

import dev.kbr.report.Notice;
import dev.kbr.report.PipelineRun;
import java.util.List;
import java.util.Map;

/**
 * What running one workflow reports besides its outcome.
 *
 * @param runs the pipeline runs to report, in order (a result reused from an earlier attempt of
 *     the pass is not reported again)
 * @param notices what the report says about the workflow
 * @param attempted the pipelines this workflow asked the runtime to run, by {@link
 *     WorkflowExecutor#attemptKey}, for later attempts of the pass
 * @param apiChanges the resource requests its pipelines created, updated or deleted through the
 *     platform API, in order (those of attempts reused from an earlier try included)
 */
public record WorkflowLog(
        List<PipelineRun> runs,
        List<Notice> notices,
        Map<String, PipelineAttempt> attempted,
        List<dev.kbr.platformapi.ApiChange> apiChanges) {
    public WorkflowLog {
        runs = List.copyOf(runs);
        notices = List.copyOf(notices);
        attempted = Map.copyOf(attempted);
        apiChanges = List.copyOf(apiChanges);
    }

    /** A log without platform API changes. */
    public WorkflowLog(List<PipelineRun> runs, List<Notice> notices, Map<String, PipelineAttempt> attempted) {
        this(runs, notices, attempted, List.of());
    }
}
