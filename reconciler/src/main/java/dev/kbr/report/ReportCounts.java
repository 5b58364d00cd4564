package dev.kbr.report;

import dev.kbr.state.FileChange;

/**
 * How many files a pass adds, modifies and deletes across every state store, and how its
 * pipelines went; the numbers every report format's summary shows.
 *
 * @param added files added
 * @param modified files modified
 * @param deleted files deleted
 * @param pipelinesRun pipelines run
 * @param pipelinesFailed of those, how many failed
 */
record ReportCounts(int added, int modified, int deleted, int pipelinesRun, int pipelinesFailed) {
    static ReportCounts of(RunReport report) {
        int added = 0;
        int modified = 0;
        int deleted = 0;
        for (StoreReport store : report.stores()) {
            for (FileChange change : store.changes().changes()) {
                if (change instanceof FileChange.Added) {
                    added++;
                } else if (change instanceof FileChange.Modified) {
                    modified++;
                } else {
                    deleted++;
                }
            }
        }
        int failed =
                (int) report.pipelineRuns().stream().filter(r -> !r.succeeded()).count();
        return new ReportCounts(added, modified, deleted, report.pipelineRuns().size(), failed);
    }

    /** The summary line of the text report and the Markdown title, e.g. {@code Plan: 3 to add, ...}. */
    String headline(RunReport report) {
        String counts = added + " to add, " + modified + " to change, " + deleted + " to delete";
        if (report.hasErrors()) {
            return (report.applied() ? "Apply finished with errors: " : "Plan finished with errors: ") + counts + ".";
        }
        if (added + modified + deleted == 0) {
            return "No changes. The state stores match the platform.";
        }
        if (report.applied()) {
            return "Apply complete: " + added + " added, " + modified + " changed, " + deleted + " deleted.";
        }
        return "Plan: " + counts + ".";
    }
}
