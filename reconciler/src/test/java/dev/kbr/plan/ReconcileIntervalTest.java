package dev.kbr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.load.PlatformLoader;
import dev.kbr.load.YamlReader;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a Promise's reconciliation interval comes from, in Kratix's order. */
class ReconcileIntervalTest {
    private static final Duration FALLBACK = Duration.ofHours(10);

    @Test
    void theAnnotationWinsOverTheWorkflowConfig() {
        ReconcileInterval interval = ReconcileInterval.of(promise("5m", "1h"), FALLBACK, ReconcileIntervalTest::parse);
        assertThat(interval.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(interval.warnings()).isEmpty();
    }

    @Test
    void theWorkflowConfigIsUsedWithoutAnAnnotation() {
        assertThat(ReconcileInterval.of(promise(null, "1h"), FALLBACK, ReconcileIntervalTest::parse)
                        .interval())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void withNeitherTheFallbackIsUsed() {
        assertThat(ReconcileInterval.of(promise(null, null), FALLBACK, ReconcileIntervalTest::parse)
                        .interval())
                .isEqualTo(FALLBACK);
    }

    @Test
    void anInvalidValueWarnsAndTheNextSourceIsUsed() {
        ReconcileInterval interval =
                ReconcileInterval.of(promise("soon", "1h"), FALLBACK, ReconcileIntervalTest::parse);
        assertThat(interval.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(interval.warnings())
                .singleElement()
                .extracting(Diagnostic::message)
                .isEqualTo("reconciliation interval \"soon\" is not a duration; using --reconcile-interval");
        assertThat(ReconcileInterval.of(promise("soon", "later"), FALLBACK, ReconcileIntervalTest::parse)
                        .warnings())
                .hasSize(2);
    }

    /** Enough of Go's durations for these tests: a number and h or m. */
    private static Duration parse(String text) {
        if (text.matches("\\d+h")) {
            return Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.matches("\\d+m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        throw new IllegalArgumentException(text);
    }

    private static Promise promise(String annotation, String config) {
        String yaml = "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: redis\n"
                + (annotation == null
                        ? ""
                        : "  annotations:\n    kratix.io/reconciliation-interval: " + annotation + "\n")
                + "spec:\n"
                + (config == null
                        ? "  dependencies: []\n"
                        : "  workflows:\n    config:\n      reconciliationInterval: " + config + "\n");
        List<Diagnostic> diagnostics = new ArrayList<>();
        YamlReader.Result read = YamlReader.read("promise.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        return PlatformLoader.promise(
                        "promise.yaml",
                        (com.fasterxml.jackson.databind.node.ObjectNode)
                                read.documents().get(0).body(),
                        diagnostics)
                .orElseThrow(() -> new AssertionError(diagnostics));
    }
}
