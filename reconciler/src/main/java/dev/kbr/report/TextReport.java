package dev.kbr.report;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.kbr.model.Diagnostic;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.state.FileChange;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link RunReport} for a person: pipelines run, problems, then per state store and
 * Destination each added ({@code +}), changed ({@code ~}) and deleted ({@code -}) file with a
 * unified diff of changed files, and a summary line.
 */
public final class TextReport {
    /** Lines of a failed container's log shown in the report. */
    static final int LOG_TAIL_LINES = 40;

    private TextReport() {}

    /** Writes the whole report to {@code out}, with Secret values in diffs redacted. */
    public static void write(RunReport report, PrintWriter out) {
        write(report, out, false);
    }

    /**
     * Writes the whole report to {@code out}.
     *
     * @param showSecrets true to print the values of {@code kind: Secret} {@code data} and {@code
     *     stringData} in diffs ({@code --show-secrets}); false shows each as its size and a short
     *     sha256
     */
    public static void write(RunReport report, PrintWriter out, boolean showSecrets) {
        report.platform().ifPresent(origin -> {
            out.println("Platform: " + origin.describe());
            out.println();
        });
        if (!report.pipelineRuns().isEmpty()) {
            out.println("Pipelines:");
            for (PipelineRun run : report.pipelineRuns()) {
                String seconds = String.format(
                        java.util.Locale.ROOT, "%.1fs", run.duration().toMillis() / 1000.0);
                if (run.succeeded()) {
                    out.println("  ok     " + run.description() + " (" + seconds + ", " + run.why() + ")");
                } else {
                    out.println(
                            "  FAILED " + run.description() + " (" + seconds + ", " + run.why() + "): " + run.reason());
                    for (ContainerLog log : run.logs()) {
                        printLog(log, out);
                    }
                }
            }
            out.println();
        }
        if (!report.cached().isEmpty()) {
            out.println("Cached (inputs unchanged, recorded outputs kept): "
                    + report.cached().size());
            report.cached().forEach(c -> out.println("  cached " + c));
            out.println();
        }
        if (!report.diagnostics().isEmpty()) {
            out.println("Problems in the platform:");
            for (Diagnostic d : report.diagnostics()) {
                out.println("  " + d);
            }
            out.println();
        }
        if (!report.notices().isEmpty()) {
            out.println("Notices:");
            report.notices().forEach(n -> out.println("  " + n));
            out.println();
        }
        for (String error : report.errors()) {
            out.println("Error: " + error);
        }
        int added = 0;
        int changed = 0;
        int deleted = 0;
        for (StoreReport store : report.stores()) {
            out.println("State store " + store.name() + " (branch " + store.branch() + ", at "
                    + store.baseCommit().map(TextReport::shortId).orElse("an empty branch") + "):");
            if (store.changes().isEmpty()) {
                out.println("  no changes");
            }
            Map<String, List<FileChange>> byDestination = new TreeMap<>();
            for (FileChange change : store.changes().changes()) {
                String group = store.destinationOf(change.path())
                        .map(d -> "Destination " + d)
                        .orElse("kbr records and other files");
                byDestination.computeIfAbsent(group, k -> new ArrayList<>()).add(change);
            }
            for (var entry : byDestination.entrySet()) {
                out.println("  " + entry.getKey() + ":");
                for (FileChange change : entry.getValue()) {
                    if (change instanceof FileChange.Added a) {
                        added++;
                        out.println("    + " + a.path());
                    } else if (change instanceof FileChange.Modified m) {
                        changed++;
                        out.println("    ~ " + m.path());
                        if (store.destinationOf(m.path()).isPresent()) {
                            printDiff(m, store.previousContent().get(m.path()), showSecrets, out);
                        }
                    } else {
                        deleted++;
                        out.println("    - " + change.path());
                    }
                }
            }
            store.commit()
                    .ifPresent(
                            c -> out.println("  committed " + c + " to " + store.name() + " (" + store.branch() + ")"));
            out.println();
        }
        String counts = added + " to add, " + changed + " to change, " + deleted + " to delete";
        if (report.hasErrors()) {
            out.println(
                    (report.applied() ? "Apply finished with errors: " : "Plan finished with errors: ") + counts + ".");
        } else if (added + changed + deleted == 0) {
            out.println("No changes. The state stores match the platform.");
        } else if (report.applied()) {
            out.println("Apply complete: " + added + " added, " + changed + " changed, " + deleted + " deleted.");
        } else {
            out.println("Plan: " + counts + ".");
        }
        out.flush();
    }

    private static void printLog(ContainerLog log, PrintWriter out) {
        out.println("         container " + log.container() + " (exit " + log.exitCode() + "):");
        String[] lines = log.text().split("\n", -1);
        int from = Math.max(0, lines.length - LOG_TAIL_LINES);
        for (int i = from; i < lines.length; i++) {
            if (i == lines.length - 1 && lines[i].isEmpty()) {
                break;
            }
            out.println("         | " + lines[i]);
        }
    }

    private static void printDiff(FileChange.Modified change, byte[] before, boolean showSecrets, PrintWriter out) {
        if (before == null || change.content().length == 0) {
            return;
        }
        DiffText.Shown original = DiffText.of(before, showSecrets);
        DiffText.Shown revised = DiffText.of(change.content(), showSecrets);
        if (original instanceof DiffText.Binary || revised instanceof DiffText.Binary) {
            out.println("      binary file: " + before.length + " bytes -> " + change.content().length + " bytes");
            return;
        }
        if (original instanceof DiffText.Hidden || revised instanceof DiffText.Hidden) {
            out.println("      diff hidden: the file mentions a Secret but is not YAML kbr can redact;"
                    + " pass --show-secrets to see it");
            return;
        }
        List<String> originalLines = lines(((DiffText.Text) original).text());
        List<String> revisedLines = lines(((DiffText.Text) revised).text());
        Patch<String> patch = DiffUtils.diff(originalLines, revisedLines);
        for (String line : UnifiedDiffUtils.generateUnifiedDiff(
                "a/" + change.path(), "b/" + change.path(), originalLines, patch, 3)) {
            out.println("      " + line);
        }
    }

    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\n", -1));
    }

    private static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
