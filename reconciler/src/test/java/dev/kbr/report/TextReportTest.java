package dev.kbr.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TextReportTest {
    private static final String ESC = "\u001b[";

    private static String text(boolean colour) {
        StringWriter out = new StringWriter();
        TextReport.write(SampleReports.sample(false), new PrintWriter(out), false, colour);
        return out.toString();
    }

    @Test
    void plainTextHasNoEscapeCodesAndTheLayoutTestsAndPeopleRead() {
        String plain = text(false);
        assertThat(plain).doesNotContain(ESC);
        // The exact text kbr printed before colour existed: tests and scripts parse it.
        assertThat(plain)
                .contains("""
                        Pipelines:
                          ok     redis/default/example-redis resource.configure instance-configure (1.5s, new)
                          FAILED Promise jenkins promise.configure promise-configure (0.3s, input changed): \
                        container install exited 3
                                 container install (exit 3):
                                 | line one
                                 | boom

                        """)
                .contains("""
                        State store default (branch main, at 0123456789ab):
                          Destination worker-1:
                            ~ worker-1/resources/config.yaml
                              --- a/worker-1/resources/config.yaml
                              +++ b/worker-1/resources/config.yaml
                              @@ -1,5 +1,5 @@
                               kind: ConfigMap
                               data:
                              -  size: small
                              -  replicas: 1
                              +  size: large
                              +  replicas: 3
                              \s
                            + worker-1/resources/new.yaml
                        """)
                .contains("  kbr records and other files:\n    - .kbr/works/old.json\n")
                .endsWith("Plan finished with errors: 1 to add, 2 to change, 1 to delete.\n");
    }

    @Test
    void colourMarksAddedChangedDeletedDiffLinesAndFailuresAndIsOtherwiseTheSameText() {
        String coloured = text(true);
        assertThat(coloured)
                .contains("    " + ESC + "32m+ worker-1/resources/new.yaml" + ESC + "0m\n")
                .contains("    " + ESC + "33m~ worker-1/resources/config.yaml" + ESC + "0m\n")
                .contains("    " + ESC + "31m- .kbr/works/old.json" + ESC + "0m\n")
                .contains("      " + ESC + "31m-  size: small" + ESC + "0m\n")
                .contains("      " + ESC + "32m+  size: large" + ESC + "0m\n")
                .contains("      " + ESC + "36m@@ -1,5 +1,5 @@" + ESC + "0m\n")
                .contains("      " + ESC + "1m--- a/worker-1/resources/config.yaml" + ESC + "0m\n")
                .contains("  " + ESC + "31mFAILED" + ESC + "0m Promise jenkins");
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(text(false));
    }

    @Test
    void secretValuesStayRedactedInColourToo() {
        assertThat(text(true))
                .doesNotContain("hunter2")
                .doesNotContain("swordfish")
                .contains("<redacted: ");
    }
}
