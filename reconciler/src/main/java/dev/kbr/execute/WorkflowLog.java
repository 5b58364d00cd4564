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
 */
public record WorkflowLog(List<PipelineRun> runs, List<Notice> notices, Map<String, PipelineAttempt> attempted) {
    public WorkflowLog {
        runs = List.copyOf(runs);
        notices = List.copyOf(notices);
        attempted = Map.copyOf(attempted);
    }
}
