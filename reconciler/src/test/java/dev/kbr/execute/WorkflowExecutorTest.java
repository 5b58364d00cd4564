package dev.kbr.execute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kbr.load.PlatformLoader;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Promise;
import dev.kbr.model.WorkId;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.report.PipelineRun;
import dev.kbr.schedule.Work;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * How one configure workflow ends, for each way a pipeline can end, driven through a pipeline
 * runtime that answers from a table (no container engine): which Works are delivered, which
 * stay as recorded, what is reported, and that an earlier attempt's result is reused.
 */
class WorkflowExecutorTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectKey REQUEST = ObjectKey.request("app", "default", "one");

    private final List<String> ran = new ArrayList<>();

    @Test
    void everyPipelineSucceedsAndEachDeliversItsWork() throws Exception {
        ConfigureRun run = executor(p -> ok(Map.of()), Map.of()).configure(job(), step -> {});

        assertThat(run.outcome()).isInstanceOf(WorkflowOutcome.Completed.class);
        assertThat(run.works()).extracting(Work::id).containsExactly(work("first"), work("second"));
        assertThat(run.keptWorks()).isEmpty();
        assertThat(run.log().runs()).extracting(PipelineRun::succeeded).containsExactly(true, true);
    }

    @Test
    void aFailingPipelineKeepsItsWorkAndTheLaterOnesAsRecorded() throws Exception {
        ConfigureRun run = executor(
                        p -> p.equals("first")
                                ? ok(Map.of())
                                : new PipelineResult.Failed("main", "exited 3", List.of(), Duration.ZERO),
                        Map.of())
                .configure(job(), step -> {});

        assertThat(run.outcome()).isEqualTo(new WorkflowOutcome.Failed(List.of("first", "second"), 1, "second"));
        assertThat(run.works()).extracting(Work::id).containsExactly(work("first"));
        assertThat(run.keptWorks()).containsExactly(work("second"));
        assertThat(run.log().runs()).extracting(PipelineRun::reason).containsExactly("", "container main exited 3");
    }

    @Test
    void aSuspendingPipelineDeliversNothingOfItsOwnAndStopsTheWorkflow() throws Exception {
        ConfigureRun run = executor(
                        p -> ok(Map.of("workflow-control.yaml", "suspend: true\nmessage: waiting for approval\n")),
                        Map.of())
                .configure(job(), step -> {});

        assertThat(run.outcome()).isInstanceOf(WorkflowOutcome.Suspended.class);
        assertThat(run.works()).isEmpty();
        assertThat(run.keptWorks()).containsExactly(work("first"), work("second"));
        assertThat(ran).containsExactly("app/default/one resource.configure first");
        assertThat(run.log().notices()).singleElement().asString().contains("waiting for approval");
    }

    @Test
    void badMetadataFailsThePipelineAsKratixWorkWriterDoes() throws Exception {
        ConfigureRun run = executor(p -> ok(Map.of("status.yaml", "[not: a map")), Map.of())
                .configure(job(), step -> {});

        assertThat(run.outcome()).isInstanceOf(WorkflowOutcome.Failed.class);
        assertThat(run.works()).isEmpty();
        assertThat(run.log().runs())
                .singleElement()
                .satisfies(r -> assertThat(r.succeeded()).isFalse());
    }

    @Test
    void anEarlierAttemptsResultIsReusedAndNotReportedAgain() throws Exception {
        ConfigureRun first = executor(p -> ok(Map.of()), Map.of()).configure(job(), step -> {});
        ran.clear();

        ConfigureRun again =
                executor(p -> ok(Map.of()), first.log().attempted()).configure(job(), step -> {});

        assertThat(ran).isEmpty();
        assertThat(again.log().runs()).isEmpty();
        assertThat(again.works()).extracting(Work::id).containsExactly(work("first"), work("second"));
    }

    private WorkflowExecutor executor(Function<String, PipelineResult> results, Map<String, PipelineAttempt> prior) {
        PipelineRunner runner = new PipelineRunner() {
            @Override
            public PipelineResult run(PipelineInvocation invocation) {
                ran.add(invocation.description());
                return results.apply(invocation.pipeline().name());
            }

            @Override
            public void close() {}
        };
        return new WorkflowExecutor(
                new dev.kbr.execute.PipelineServices(
                        runner, Secrets.none(), Duration.ofMinutes(1), dev.kbr.pipeline.PipelineMode.LIVE),
                PipelineListener.NONE,
                Instant.EPOCH,
                prior);
    }

    private static WorkflowJob job() throws Exception {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Promise promise = PlatformLoader.promise("test", (ObjectNode) YAML.readTree("""
                        apiVersion: platform.kratix.io/v1alpha1
                        kind: Promise
                        metadata:
                          name: app
                        spec:
                          workflows:
                            resource:
                              configure:
                                - apiVersion: platform.kratix.io/v1alpha1
                                  kind: Pipeline
                                  metadata: {name: first}
                                  spec:
                                    containers: [{name: main, image: kbr.local/app-pipeline:v0.1.0}]
                                - apiVersion: platform.kratix.io/v1alpha1
                                  kind: Pipeline
                                  metadata: {name: second}
                                  spec:
                                    containers: [{name: main, image: kbr.local/app-pipeline:v0.1.0}]
                        """), diagnostics)
                .orElseThrow(() -> new AssertionError(diagnostics));
        ObjectNode request = (ObjectNode) YAML.readTree("""
                apiVersion: example.com/v1
                kind: App
                metadata: {name: one, namespace: default}
                spec: {size: small}
                """);
        return new WorkflowJob(promise, REQUEST, request, "new");
    }

    private static PipelineResult ok(Map<String, String> metadata) {
        SortedMap<String, byte[]> output = new TreeMap<>();
        output.put("a.yaml", "kind: ConfigMap\n".getBytes(StandardCharsets.UTF_8));
        SortedMap<String, byte[]> meta = new TreeMap<>();
        metadata.forEach((k, v) -> meta.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return new PipelineResult.Succeeded(output, meta, List.of(), Duration.ZERO);
    }

    private static WorkId work(String pipeline) {
        return WorkId.resource("app", "default", "one", pipeline);
    }
}
