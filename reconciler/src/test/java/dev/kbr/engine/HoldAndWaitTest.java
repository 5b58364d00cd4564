package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.report.PipelineRun;
import dev.kbr.report.RunReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pass's cache, hold and wait rules, driven without a container engine: a pipeline runtime
 * that answers every pipeline with one ConfigMap, and a state store held in memory. Each test
 * runs real passes over a platform folder and checks what the pass decided (its runs, cached
 * objects and notices) and what the store holds afterwards.
 */
class HoldAndWaitTest {
    @TempDir
    Path platform;

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final List<String> ran = new ArrayList<>();

    @BeforeEach
    void writePlatform() throws Exception {
        MemoryPasses.writeDestination(platform);
        write("app-promise.yaml", MemoryPasses.appPromise("app", ""));
        write("request.yaml", """
                apiVersion: example.com/v1
                kind: App
                metadata:
                  name: one
                  namespace: default
                spec:
                  size: small
                """);
    }

    @Test
    void aRequestRunsOnceThenIsCachedUntilItsInputsChange() throws Exception {
        RunReport first = pass();
        assertThat(first.errorMessages()).isEmpty();
        assertThat(ran).containsExactly("app/default/one resource.configure make");
        assertThat(first.pipelineRuns()).extracting(PipelineRun::why).containsExactly("new");

        RunReport second = pass();
        assertThat(ran).hasSize(1);
        assertThat(second.cached()).contains("app/default/one");
        assertThat(second.hasChanges()).isFalse();

        write("request.yaml", Files.readString(platform.resolve("request.yaml")).replace("small", "large"));
        RunReport third = pass();
        assertThat(ran).hasSize(2);
        assertThat(third.pipelineRuns()).extracting(PipelineRun::why).containsExactly("input changed");
    }

    @Test
    void aDeliveredFileEditedInTheStoreRunsItsObjectAgainAndIsWrittenBack() throws Exception {
        pass();
        String path = store.files().keySet().stream()
                .filter(p -> p.startsWith("worker/resources/") && p.endsWith("configmap.yaml"))
                .findFirst()
                .orElseThrow();
        String original = store.text(path);
        byte[] edited = (original + "# edited by hand\n").getBytes(StandardCharsets.UTF_8);
        store.editByHand(path, edited);

        RunReport report = pass();

        assertThat(report.errorMessages()).isEmpty();
        assertThat(report.pipelineRuns())
                .extracting(PipelineRun::why)
                .containsExactly("an output it delivered was changed in the state store");
        assertThat(store.text(path)).isEqualTo(original);
        RunReport after = pass();
        assertThat(after.pipelineRuns()).isEmpty();
        assertThat(after.hasChanges()).isFalse();
    }

    @Test
    void aPromiseWhoseRequiredPromiseIsMissingIsUnavailableAndItsRequestsWait() throws Exception {
        write("app-promise.yaml", MemoryPasses.appPromise("app", """
                  requiredPromises:
                    - name: database
                """));

        RunReport report = pass();

        assertThat(ran).isEmpty();
        assertThat(report.noticeMessages())
                .contains("Promise app is unavailable: required Promise database is not installed; its requests"
                        + " wait and previous outputs are kept")
                .contains("request app/default/one waits: Promise app is not available");
        String record = store.files().keySet().stream()
                .filter(p -> p.contains(".kbr/objects/") && p.contains("one"))
                .findFirst()
                .map(store::text)
                .orElseThrow();
        assertThat(record).contains("PromiseAvailable").contains("\"False\"");
    }

    @Test
    void anInvalidPromiseKeepsWhatItsRequestsDelivered() throws Exception {
        pass();
        SortedMap<String, String> before = new TreeMap<>(store.files());
        assertThat(before.keySet()).anyMatch(p -> p.startsWith("worker/resources/"));

        write("app-promise.yaml", MemoryPasses.appPromise("app", "").replace("type: object\n", "type: objekt\n"));
        RunReport report = pass();

        assertThat(report.noticeMessages()).contains("Promise app has errors; its previous outputs are kept");
        assertThat(ran).hasSize(1);
        assertThat(store.files().keySet())
                .containsAll(before.keySet().stream()
                        .filter(p -> p.startsWith("worker/resources/"))
                        .toList());
    }

    @Test
    void deletionsAreHeldWhileAPlatformFileFailsToParse() throws Exception {
        // A second request, so deleting the first stays within the mass-delete guard's half.
        write(
                "request-two.yaml",
                Files.readString(platform.resolve("request.yaml")).replace("one", "two"));
        pass();
        SortedMap<String, String> before = new TreeMap<>(store.files());
        Files.delete(platform.resolve("request.yaml"));
        write("broken.yaml", "kind: [unclosed\n");

        RunReport held = pass();

        assertThat(held.noticeMessages())
                .anyMatch(n -> n.startsWith(
                        "1 object(s) no longer in the platform were not deleted because files" + " failed to parse"));
        assertThat(store.files()).isEqualTo(before);

        Files.delete(platform.resolve("broken.yaml"));
        RunReport clean = pass();
        assertThat(clean.noticeMessages())
                .contains("app/default/one is gone from the platform; what it delivered is pruned");
        assertThat(store.files().keySet())
                .anyMatch(p -> p.startsWith("worker/resources/") && p.contains("two"))
                .noneMatch(p -> p.startsWith("worker/resources/") && p.contains("/one/"));
    }

    private RunReport pass() throws Exception {
        return MemoryPasses.apply(
                platform, store, new MemoryPasses.OneConfigMap(ran, invocation -> Map.of()), clock, 4);
    }

    private void write(String name, String yaml) throws Exception {
        Files.writeString(platform.resolve(name), yaml);
    }
}
