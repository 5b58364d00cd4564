package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.plan.ObjectDecision;
import dev.kbr.plan.PassPlan;
import dev.kbr.report.PipelineRun;
import dev.kbr.report.RunReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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
    private final List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final MemoryPasses.OneConfigMap runner =
            new MemoryPasses.OneConfigMap(ran, PassPlanExplainTest::subRequestOfAStack);

    @Test
    void thePrintedPlanMatchesWhatEachPassDid() throws Exception {
        MemoryPasses.writeDestination(platform);
        Files.writeString(platform.resolve("promise.yaml"), MemoryPasses.appPromise("app", ""));
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
                        "App default/two: delete unless a pipeline writes it again (no delete workflow; its outputs"
                                + " are pruned)");
        assertMatches(second);
        assertThat(second.report().noticeMessages())
                .contains("app/default/two is gone from the platform; what it delivered is pruned");
    }

    @Test
    void subRequestsAreDecidedWhenTheyAppearAndGoneRequestsRunTheDeleteWorkflowThePlanNamed() throws Exception {
        MemoryPasses.writeDestination(platform);
        Files.writeString(
                platform.resolve("promise.yaml"),
                MemoryPasses.appPromise("app", "").replace("""
                              image: kbr.local/app-pipeline:v0.1.0
                """, """
                              image: kbr.local/app-pipeline:v0.1.0
                      delete:
                        - apiVersion: platform.kratix.io/v1alpha1
                          kind: Pipeline
                          metadata:
                            name: remove
                          spec:
                            containers:
                              - name: remove
                                image: kbr.local/app-pipeline:v0.1.0
                """));
        Files.writeString(
                platform.resolve("stack-promise.yaml"),
                MemoryPasses.appPromise("app", "")
                        .replace("app", "stack")
                        .replace("App", "Stack")
                        .replace("name: make", "name: compose"));
        Files.writeString(platform.resolve("one.yaml"), request("one", "small"));
        Files.writeString(platform.resolve("two.yaml"), request("two", "small"));
        Files.writeString(platform.resolve("three.yaml"), request("three", "small"));
        Files.writeString(platform.resolve("s1.yaml"), request("s1", "small").replace("App", "Stack"));

        Planned first = pass();
        assertThat(first.plan().lines())
                .startsWith(
                        "Promise app: run (new)",
                        "Promise stack: run (new)",
                        "App default/one: run (new)",
                        "Stack default/s1: run (new)",
                        "App default/three: run (new)",
                        "App default/two: run (new)")
                .noneMatch(line -> line.contains("sub-s1"));
        assertMatches(first);
        assertThat(first.report().pipelineRuns())
                .anyMatch(r -> r.description().startsWith("app/default/sub-s1 ")
                        && r.why().equals("new"));

        Files.delete(platform.resolve("two.yaml"));
        Planned second = pass();
        assertThat(second.plan().lines())
                .contains(
                        "App default/sub-s1: delete unless a pipeline writes it again (its delete workflow runs)",
                        "App default/two: delete unless a pipeline writes it again (its delete workflow runs)");
        assertMatches(second);
        assertThat(second.report().cached()).contains("app/default/sub-s1");
        assertThat(ran).anyMatch(d -> d.startsWith("app/default/two ") && d.contains("delete"));
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
        RunReport report = MemoryPasses.apply(platform, store, runner, clock, 2, listener);
        assertThat(report.errors()).isEmpty();
        return new Planned(plan.get(), report);
    }

    /**
     * Every planned request run ran for the planned reason, exactly the planned objects were cached
     * (plus the sub-requests decided when they appeared), and each planned deletion happened the
     * planned way unless a pipeline wrote the request again.
     */
    private static void assertMatches(Planned planned) {
        RunReport report = planned.report();
        List<PipelineRun> runs = report.pipelineRuns();
        List<String> cachedNotPlanned = new java.util.ArrayList<>(report.cached());
        for (PassPlan.Entry entry : planned.plan().entries()) {
            String prefix = entry.key() + " ";
            if (entry.decision() instanceof ObjectDecision.Run run
                    && !entry.key().isPromise()) {
                assertThat(runs)
                        .as(entry.line())
                        .anyMatch(r -> r.description().startsWith(prefix)
                                && r.why().equals(run.reason().text()));
            } else if (entry.decision() instanceof ObjectDecision.Cached) {
                assertThat(report.cached())
                        .as(entry.line())
                        .contains(entry.key().toString());
                cachedNotPlanned.remove(entry.key().toString());
                assertThat(runs).as(entry.line()).noneMatch(r -> r.description().startsWith(prefix));
            } else if (entry.decision() instanceof ObjectDecision.Delete delete) {
                boolean producedAgain = report.cached().contains(entry.key().toString())
                        || runs.stream().anyMatch(r -> r.description().startsWith(prefix + "resource.configure"));
                if (producedAgain) {
                    assertThat(delete.unlessProduced()).as(entry.line()).isTrue();
                    cachedNotPlanned.remove(entry.key().toString());
                } else if (delete.deleteWorkflow()) {
                    assertThat(runs)
                            .as(entry.line())
                            .anyMatch(r -> r.description().startsWith(prefix)
                                    && r.description().contains("delete"));
                } else {
                    assertThat(runs)
                            .as(entry.line())
                            .noneMatch(r -> r.description().startsWith(prefix));
                    assertThat(report.noticeMessages())
                            .contains(entry.key() + " is gone from the platform; what it delivered is pruned");
                }
            } else {
                assertThat(runs).as(entry.line()).noneMatch(r -> r.description().startsWith(prefix));
            }
        }
        // What was cached without being planned can only be a sub-request decided when it appeared.
        assertThat(cachedNotPlanned).allMatch(name -> name.contains("/sub-"));
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

    /** A Stack's pipeline (a compound Promise) also writes a request {@code App default/sub-<name>}. */
    private static Map<String, byte[]> subRequestOfAStack(PipelineInvocation invocation) {
        if (!invocation.description().startsWith("stack/")) {
            return Map.of();
        }
        String parent = invocation.description().split("[/ ]")[2];
        return Map.of("sub.yaml", request("sub-" + parent, "small").getBytes(StandardCharsets.UTF_8));
    }
}
