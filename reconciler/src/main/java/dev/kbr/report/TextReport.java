package dev.kbr.report;

import dev.kbr.model.Diagnostic;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.state.FileChange;
import dev.kbr.state.StoreLocation;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

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

    /** Writes the whole report to {@code out}, without colour. */
    public static void write(RunReport report, PrintWriter out, boolean showSecrets) {
        write(report, out, showSecrets, false);
    }

    /**
     * Writes the whole report to {@code out}.
     *
     * @param showSecrets true to print the values of {@code kind: Secret} {@code data} and {@code
     *     stringData} in diffs ({@code --show-secrets}); false shows each as its size and a short
     *     sha256
     * @param colour true to colour it with ANSI escape codes for a terminal: {@code +} and added
     *     diff lines green, {@code ~} yellow, {@code -} and removed lines red, hunk headers cyan,
     *     {@code FAILED} red; false writes plain text
     */
    public static void write(RunReport report, PrintWriter out, boolean showSecrets, boolean colour) {
        Style style = colour ? Style.ANSI : Style.PLAIN;
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
                    out.println("  " + style.green("ok") + "     " + run.description() + " (" + seconds + ", "
                            + run.why() + ")");
                } else {
                    out.println("  " + style.red("FAILED") + " " + run.description() + " (" + seconds + ", " + run.why()
                            + "): " + run.reason());
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
            report.noticeMessages().forEach(n -> out.println("  " + n));
            out.println();
        }
        for (String error : report.errorMessages()) {
            out.println(style.red("Error:") + " " + error);
        }
        for (StoreReport store : report.stores()) {
            out.println("State store " + store.name() + " (" + header(store.location(), store.baseVersion()) + "):");
            if (store.changes().isEmpty()) {
                out.println("  no changes");
            }
            store.changesByDestination()
                    .forEach((destination, changes) ->
                            printChanges("Destination " + destination, changes, store, true, showSecrets, style, out));
            List<FileChange> other = store.changesOutsideDestinations();
            if (!other.isEmpty()) {
                printChanges("kbr records and other files", other, store, false, showSecrets, style, out);
            }
            store.version().ifPresent(v -> out.println("  " + written(store.location(), v)));
            out.println();
        }
        out.println(ReportCounts.of(report).headline(report));
        out.flush();
    }

    /** One group of a store's changes; {@code withDiffs}: modified files show their diff. */
    private static void printChanges(
            String heading,
            List<FileChange> changes,
            StoreReport store,
            boolean withDiffs,
            boolean showSecrets,
            Style style,
            PrintWriter out) {
        out.println("  " + heading + ":");
        for (FileChange change : changes) {
            if (change instanceof FileChange.Added a) {
                out.println("    " + style.green("+ " + a.path()));
            } else if (change instanceof FileChange.Modified m) {
                out.println("    " + style.yellow("~ " + m.path()));
                if (withDiffs) {
                    printDiff(m, store.previousContent().get(m.path()), showSecrets, style, out);
                }
            } else {
                out.println("    " + style.red("- " + change.path()));
            }
        }
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

    private static void printDiff(
            FileChange.Modified change, byte[] before, boolean showSecrets, Style style, PrintWriter out) {
        List<String> lines = UnifiedDiff.of(change, before, showSecrets);
        boolean diff = UnifiedDiff.isDiff(lines);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            out.println("      " + (diff ? style.diffLine(line, i < 2) : line));
        }
    }

    /** Colours for a terminal, or none. */
    private enum Style {
        PLAIN(false),
        ANSI(true);

        private static final String RESET = "\u001b[0m";
        private final boolean on;

        Style(boolean on) {
            this.on = on;
        }

        String green(String text) {
            return paint("\u001b[32m", text);
        }

        String yellow(String text) {
            return paint("\u001b[33m", text);
        }

        String red(String text) {
            return paint("\u001b[31m", text);
        }

        /** One line of a unified diff; {@code header} for its first two lines. */
        String diffLine(String line, boolean header) {
            if (header && (line.startsWith("--- ") || line.startsWith("+++ "))) {
                return paint("\u001b[1m", line);
            }
            if (line.startsWith("@@")) {
                return paint("\u001b[36m", line);
            }
            if (line.startsWith("+")) {
                return green(line);
            }
            return line.startsWith("-") ? red(line) : line;
        }

        private String paint(String code, String text) {
            return on ? code + text + RESET : text;
        }
    }

    private static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    /**
     * {@code branch main, at 1a2b3c4d5e6f} for a Git store (its commit), {@code URL, at version V}
     * for a store without branches; {@code an empty branch} / {@code empty} when it holds nothing.
     */
    static String header(StoreLocation where, Optional<String> baseVersion) {
        if (where.branch().isPresent()) {
            return "branch " + where.branch().get() + ", at "
                    + baseVersion.map(TextReport::shortId).orElse("an empty branch");
        }
        return where.url() + ", at "
                + baseVersion.map(v -> "version " + shortId(v)).orElse("empty");
    }

    /** {@code committed C to NAME (BRANCH)} for a Git store, {@code wrote version V to NAME} otherwise. */
    static String written(StoreLocation where, String version) {
        return where.branch()
                .map(b -> "committed " + version + " to " + where.name() + " (" + b + ")")
                .orElse("wrote version " + version + " to " + where.name());
    }
}
