package dev.kbr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.load.PlatformLoader;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromiseOrderTest {
    private static String promise(String name, String requires) {
        return """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata:
                  name: %s
                spec:
                  destinationSelectors: []
                  requiredPromises:
                  - name: %s
                """.formatted(name, requires);
    }

    @Test
    void aCycleOfRequiredPromisesIsReportedAtTheRequiredPromisesLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), promise("a", "b"));
        Files.writeString(dir.resolve("b.yaml"), "# b needs a\n" + promise("b", "a"));
        Platform platform = PlatformLoader.load(dir).platform();

        PromiseOrder order = PromiseOrder.of(platform.promises(), platform::promise);

        assertThat(order.inCycles()).containsExactly("a");
        assertThat(order.cycles())
                .extracting(Diagnostic::toString)
                .singleElement()
                .asString()
                .startsWith("a.yaml:7: error: spec.requiredPromises: Promise a requires itself through a cycle");
    }
}
