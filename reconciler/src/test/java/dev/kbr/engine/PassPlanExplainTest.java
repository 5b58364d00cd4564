package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.plan.ObjectDecision;
import dev.kbr.plan.PassPlan;
import dev.kbr.report.PipelineRun;
import dev.kbr.report.RunReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan a pass prints ({@code kbr plan --explain}) is the plan it carries out: real passes
 * without a container engine, each plan compared with the runs, cached objects and deletions the
 * pass then reported.
 */
class PassPlanExplainTest {
    @TempDir
    Path platform;

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void thePrintedPlanMatchesWhatEachPassDid() throws Exception {
        MemoryPasses.writeDestination(platform);
        Files.writeString(platform.resolve("promise.yaml"), PROMISE);
        Files.writeString(platform.resolve("one.yaml"), request("one", "small"));
        Files.writeString(platform.resolve("two.yaml"), request("two", "small"));
        Files.writeString(platform.resolve("three.yaml"), request("three", "small"));

        Planned first = pass();
        assertThat(first.plan().lines())
                .startsWith(
                        "Promise app: run (new)",
                        "App default/one: run (new)",
                        "App default/three: run (new)",
                        "App default/two: run (new)");
        assertMatches(first);

        Files.writeString(platform.resolve("one.yaml"), request("one", "large"));
        Files.delete(platform.resolve("two.yaml"));
        Planned second = pass();
        assertThat(second.plan().lines())
                .startsWith(
                        "Promise app: cached",
                        "App default/one: run (input changed)",
                        "App default/three: cached",
                        "App default/two: delete (no delete workflow; its outputs are pruned)");
        assertMatches(second);
        assertThat(second.report().notices())
                .contains("app/default/two is gone from the platform; what it delivered is pruned");
    }

    private record Planned(PassPlan plan, RunReport report) {}

    private Planned pass() throws Exception {
        AtomicReference<PassPlan> plan = new AtomicReference<>();
        PassListener listener = new PassListener() {
            @Override
            public void planned(PassPlan planned) {
                plan.set(planned);
            }
        };
        RunReport report = MemoryPasses.apply(platform, store, new OneConfigMap(), clock, 2, listener);
        assertThat(report.errors()).isEmpty();
        return new Planned(plan.get(), report);
    }

    /** Every planned request run ran for the planned reason, and exactly the planned objects were cached. */
    private static void assertMatches(Planned planned) {
        List<PipelineRun> runs = planned.report().pipelineRuns();
        for (PassPlan.Entry entry : planned.plan().entries()) {
            String prefix = entry.key() + " ";
            if (entry.decision() instanceof ObjectDecision.Run run
                    && !entry.key().isPromise()) {
                assertThat(runs)
                        .as(entry.line())
                        .anyMatch(r -> r.description().startsWith(prefix)
                                && r.why().equals(run.reason().text()));
            } else {
                assertThat(runs).as(entry.line()).noneMatch(r -> r.description().startsWith(prefix));
            }
        }
        assertThat(planned.report().cached())
                .containsExactlyInAnyOrderElementsOf(planned.plan().entries().stream()
                        .filter(e -> e.decision() instanceof ObjectDecision.Cached)
                        .map(e -> e.key().toString())
                        .toList());
    }

    private static String request(String name, String size) {
        return """
                apiVersion: example.com/v1
                kind: App
                metadata:
                  name: %s
                  namespace: default
                spec:
                  size: %s
                """.formatted(name, size);
    }

    private static final String PROMISE = """
            apiVersion: platform.kratix.io/v1alpha1
            kind: Promise
            metadata:
              name: app
            spec:
              api:
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: apps.example.com
                spec:
                  group: example.com
                  names:
                    kind: App
                    plural: apps
                    singular: app
                  scope: Namespaced
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec:
                              type: object
                              properties:
                                size:
                                  type: string
              workflows:
                resource:
                  configure:
                    - apiVersion: platform.kratix.io/v1alpha1
                      kind: Pipeline
                      metadata:
                        name: make
                      spec:
                        containers:
                          - name: make
                            image: kbr.local/app-pipeline:v0.1.0
            """;

    /** Answers every pipeline with one ConfigMap named after the run. */
    private static final class OneConfigMap implements PipelineRunner {
        @Override
        public PipelineResult run(PipelineInvocation invocation) {
            SortedMap<String, byte[]> output = new TreeMap<>();
            String name = invocation.description().replaceAll("[^a-z0-9]+", "-");
            output.put(
                    "configmap.yaml",
                    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: default\n")
                            .getBytes(StandardCharsets.UTF_8));
            return new PipelineResult.Succeeded(output, new TreeMap<>(), List.of(), Duration.ZERO);
        }

        @Override
        public void close() {}
    }
}
