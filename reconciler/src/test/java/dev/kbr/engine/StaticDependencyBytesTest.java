package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.report.RunReport;
import dev.kbr.state.FileChange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Promise's static dependencies, which kbr serialises itself: a store already holding kbr's
 * bytes is not read for them (on a bucket, a GET each per pass), other bytes holding the same
 * objects are kept, and bytes holding other objects are written again.
 */
class StaticDependencyBytesTest {
    private static final String DEPENDENCIES = """
              dependencies:
                - apiVersion: v1
                  kind: Namespace
                  metadata:
                    name: app-system
                - apiVersion: v1
                  kind: ConfigMap
                  metadata:
                    name: app-settings
                    namespace: app-system
                  data:
                    greeting: "hello: world"
                    sizes: [small, large]
            """;

    /** The same two objects as an earlier writer might have put them: other indentation and quoting. */
    private static final String SAME_OBJECTS_OTHER_BYTES = """
            apiVersion: "v1"
            kind: "Namespace"
            metadata:
              name: "app-system"
            ---
            apiVersion: "v1"
            kind: "ConfigMap"
            metadata:
              name: "app-settings"
              namespace: "app-system"
            data:
              greeting: "hello: world"
              sizes:
                - "small"
                - "large"
            """;

    @TempDir
    Path platform;

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private RunReport apply() throws Exception {
        RunReport report = MemoryPasses.apply(
                platform, store, new MemoryPasses.OneConfigMap(new java.util.ArrayList<>(), i -> Map.of()), clock, 1);
        assertThat(report.errors()).isEmpty();
        return report;
    }

    private String dependenciesFile() {
        return store.files().keySet().stream()
                .filter(p -> p.endsWith("/app-dependencies.yaml"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no static dependencies in " + store.files().keySet()));
    }

    @Test
    void kbrsOwnBytesAreNotReadEquivalentBytesAreKeptAndOtherObjectsAreWrittenAgain() throws Exception {
        MemoryPasses.writeDestination(platform);
        Files.writeString(platform.resolve("promise.yaml"), MemoryPasses.appPromise("app", DEPENDENCIES));
        apply();
        String file = dependenciesFile();
        String written = store.text(file);
        assertThat(written).contains("name: app-system").contains("greeting: 'hello: world'");
        int commits = store.commits();
        store.takeOutputReads();

        apply();
        assertThat(store.commits()).as("nothing to write").isEqualTo(commits);
        assertThat(store.takeOutputReads())
                .as("the store holds kbr's bytes: nothing read")
                .isZero();

        store.editByHand(file, utf8(SAME_OBJECTS_OTHER_BYTES));
        store.takeOutputReads();
        RunReport kept = apply();
        assertThat(kept.stores().get(0).changes().changes())
                .extracting(FileChange::path)
                .as("the same objects in other bytes are kept; only kbr's record of them changes")
                .allMatch(p -> p.startsWith(".kbr/"));
        assertThat(store.text(file)).isEqualTo(SAME_OBJECTS_OTHER_BYTES);
        assertThat(store.takeOutputReads()).as("read once, to compare").isEqualTo(1);
        commits = store.commits();
        apply();
        assertThat(store.commits()).as("and then nothing to write").isEqualTo(commits);

        store.editByHand(file, utf8(SAME_OBJECTS_OTHER_BYTES.replace("hello: world", "goodbye")));
        apply();
        assertThat(store.text(file))
                .as("other objects are replaced by the Promise's")
                .isEqualTo(written);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
