package dev.kbr.report;

import dev.kbr.model.Diagnostic;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.state.FileChange;
import java.util.List;

/**
 * Renders a {@link RunReport} as GitHub-flavoured Markdown for a job summary
 * ({@code $GITHUB_STEP_SUMMARY}) or a pull request comment: a title with the counts, a table per
 * state store and Destination of the files added ({@code +}), changed ({@code ~}) and deleted
 * ({@code -}), the diffs in collapsed {@code <details>} blocks, failed pipelines with the tail of
 * their logs, and the problems found in the platform.
 *
 * <p>Secret values in diffs are always redacted (a summary is read by everyone with access to
 * the repository), whatever {@code --show-secrets} says. Diffs stop after {@link #DIFF_BUDGET}
 * characters, so the text fits a pull request comment (GitHub takes at most 65,536).
 */
public final class MarkdownReport {
    /** Characters of diff text shown in all; the diffs of later files are left out. */
    static final int DIFF_BUDGET = 40_000;

    private MarkdownReport() {}

    /** The whole summary, ending in a newline. */
    public static String render(RunReport report) {
        StringBuilder md = new StringBuilder();
        ReportCounts counts = ReportCounts.of(report);
        String command = report.applied() ? "apply" : "plan";
        md.append("## kbr ").append(command).append(": ");
        md.append(counts.headline(report)).append("\n\n");
        report.platform().ifPresent(platform -> {
            md.append("Platform ").append(code(platform.location()));
            platform.commit().ifPresent(c -> md.append(" at ").append(code(shortId(c))));
            platform.ref().ifPresent(r -> md.append(" (").append(code(r)).append(")"));
        });
        md.append(" · ")
                .append(counts.pipelinesRun())
                .append(" pipeline(s) ran, ")
                .append(counts.pipelinesFailed())
                .append(" failed, ")
                .append(report.cached().size())
                .append(" cached\n\n");

        if (!report.errors().isEmpty()) {
            md.append("### Errors\n\n");
            report.errorMessages()
                    .forEach(e -> md.append("- ").append(escape(e)).append('\n'));
            md.append('\n');
        }
        if (!report.diagnostics().isEmpty()) {
            md.append("### Problems in the platform\n\n");
            for (Diagnostic d : report.diagnostics()) {
                md.append("- ")
                        .append(d.isError() ? "**error** " : "warning ")
                        .append(code(d.location().toString()))
                        .append(d.field().isEmpty() ? "" : " " + code(d.field()))
                        .append(": ")
                        .append(escape(d.message()))
                        .append('\n');
            }
            md.append('\n');
        }
        List<PipelineRun> failed =
                report.pipelineRuns().stream().filter(r -> !r.succeeded()).toList();
        if (!failed.isEmpty()) {
            md.append("### Failed pipelines\n\n");
            for (PipelineRun run : failed) {
                md.append("- ")
                        .append(code(run.description()))
                        .append(" (")
                        .append(escape(run.why()))
                        .append("): ")
                        .append(escape(run.reason()))
                        .append('\n');
                for (ContainerLog log : run.logs()) {
                    md.append("\n  <details><summary>container ")
                            .append(html(log.container()))
                            .append(" (exit ")
                            .append(log.exitCode())
                            .append(")</summary>\n\n");
                    fenced(md, "", tail(log.text()), "  ");
                    md.append("\n  </details>\n");
                }
            }
            md.append('\n');
        }

        int[] budget = {DIFF_BUDGET};
        for (StoreReport store : report.stores()) {
            md.append("### State store ")
                    .append(code(store.name()))
                    .append(" (")
                    .append(header(store))
                    .append(")\n\n");
            store.version()
                    .ifPresent(v -> md.append(store.location().branch().isPresent() ? "Committed " : "Wrote version ")
                            .append(code(v))
                            .append(".\n\n"));
            if (store.changes().isEmpty()) {
                md.append("No changes.\n\n");
                continue;
            }
            List<FileChange> other = store.changesOutsideDestinations();
            for (var entry : store.changesByDestination().entrySet()) {
                md.append("#### Destination ").append(code(entry.getKey())).append("\n\n");
                table(md, entry.getValue());
                diffs(md, store, entry.getValue(), budget);
            }
            if (!other.isEmpty()) {
                md.append("<details><summary>kbr records and other files (")
                        .append(other.size())
                        .append(")</summary>\n\n");
                table(md, other);
                md.append("</details>\n\n");
            }
        }
        if (!report.notices().isEmpty()) {
            md.append("<details><summary>Notices (")
                    .append(report.notices().size())
                    .append(")</summary>\n\n");
            report.noticeMessages()
                    .forEach(n -> md.append("- ").append(escape(n)).append('\n'));
            md.append("\n</details>\n\n");
        }
        return md.toString();
    }

    private static void table(StringBuilder md, List<FileChange> changes) {
        md.append("| | File |\n|---|---|\n");
        for (FileChange change : changes) {
            String sign = change instanceof FileChange.Added ? "+" : change instanceof FileChange.Modified ? "~" : "-";
            md.append("| ")
                    .append(sign)
                    .append(" | ")
                    .append(code(change.path()).replace("|", "\\|"))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void diffs(StringBuilder md, StoreReport store, List<FileChange> changes, int[] budget) {
        List<FileChange.Modified> modified = changes.stream()
                .filter(c -> c instanceof FileChange.Modified)
                .map(c -> (FileChange.Modified) c)
                .toList();
        if (modified.isEmpty()) {
            return;
        }
        md.append("<details><summary>Diffs (").append(modified.size()).append(")</summary>\n\n");
        int left = 0;
        for (FileChange.Modified change : modified) {
            List<String> lines = UnifiedDiff.of(change, store.previousContent().get(change.path()), false);
            if (lines.isEmpty()) {
                continue;
            }
            String text = String.join("\n", lines);
            if (text.length() > budget[0]) {
                left++;
                continue;
            }
            budget[0] -= text.length();
            fenced(md, UnifiedDiff.isDiff(lines) ? "diff" : "", text, "");
            md.append('\n');
        }
        if (left > 0) {
            md.append("The diffs of ")
                    .append(left)
                    .append(" more file(s) are left out to keep this short;")
                    .append(" the job log has them all.\n\n");
        }
        md.append("</details>\n\n");
    }

    /** A fenced code block longer than any backtick run in {@code text}, each line indented. */
    private static void fenced(StringBuilder md, String language, String text, String indent) {
        int longest = 0;
        int run = 0;
        for (char c : text.toCharArray()) {
            run = c == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        md.append(indent).append(fence).append(language).append('\n');
        for (String line : text.split("\n", -1)) {
            md.append(indent).append(line).append('\n');
        }
        md.append(indent).append(fence).append('\n');
    }

    /** The last {@link TextReport#LOG_TAIL_LINES} lines of a log. */
    private static String tail(String text) {
        String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        String[] lines = trimmed.split("\n", -1);
        int from = Math.max(0, lines.length - TextReport.LOG_TAIL_LINES);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    /** Inline code that survives backticks in the text. */
    private static String code(String text) {
        String fence = text.contains("`") ? "``" : "`";
        String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
        return fence + pad + text + pad + fence;
    }

    /** Text with the characters that would start Markdown or HTML escaped. */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\`*_[]<>|#".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c == '\n' ? ' ' : c);
        }
        return out.toString();
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    /** The store's heading qualifier: branch and base commit for Git, URL and base version otherwise. */
    private static String header(StoreReport store) {
        var where = store.location();
        if (where.branch().isPresent()) {
            return "branch " + code(where.branch().get()) + ", at "
                    + store.baseVersion().map(c -> code(shortId(c))).orElse("an empty branch");
        }
        return code(where.url()) + ", at "
                + store.baseVersion().map(v -> "version " + code(shortId(v))).orElse("empty");
    }
}
