package dev.kbr.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.PlatformOrigin;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {
    private static final PlatformOrigin PLATFORM = PlatformOrigin.git(
            "https://git.example.com/platform.git", "main", "abcdef0123456789abcdef0123456789abcdef01");

    @Test
    void titleCountsTablesDiffsFailuresAndProblems() {
        String md = MarkdownReport.render(SampleReports.sample(false).withPlatform(PLATFORM));
        assertThat(md)
                .startsWith("## kbr plan: Plan finished with errors: 1 to add, 2 to change, 1 to delete.\n")
                .contains("Platform `https://git.example.com/platform.git` at `abcdef012345` (`main`)")
                .contains("2 pipeline(s) ran, 1 failed, 1 cached")
                .contains("#### Destination `worker-1`\n\n| | File |\n|---|---|\n"
                        + "| ~ | `worker-1/resources/config.yaml` |\n"
                        + "| + | `worker-1/resources/new.yaml` |\n"
                        + "| ~ | `worker-1/resources/secret.yaml` |\n")
                .contains("<details><summary>Diffs (2)</summary>")
                .contains("```diff\n--- a/worker-1/resources/config.yaml\n")
                .contains("\n-  size: small\n")
                .contains("<details><summary>kbr records and other files (1)</summary>")
                .contains("| - | `.kbr/works/old.json` |")
                .contains("### Failed pipelines")
                .contains("- `Promise jenkins promise.configure promise-configure` (input changed):"
                        + " container install exited 3")
                .contains("container install (exit 3)</summary>")
                .contains("  line one\n  boom\n")
                .contains("### Problems in the platform\n\n- **error** `requests/redis.yaml:7` `spec.size`:"
                        + " must be one of \\[small, large\\]");
    }

    @Test
    void secretValuesAreRedactedEvenWhereTheTextReportWouldShowThem() {
        String md = MarkdownReport.render(SampleReports.sample(true).withPlatform(PLATFORM));
        assertThat(md).doesNotContain("hunter2").doesNotContain("swordfish").contains("<redacted: 7 bytes");
        assertThat(md)
                .startsWith("## kbr apply: Apply finished with errors:")
                .contains("Committed `" + SampleReports.NEW + "`.");
    }
}
