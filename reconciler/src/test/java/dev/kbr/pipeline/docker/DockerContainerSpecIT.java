package dev.kbr.pipeline.docker;

import static dev.kbr.pipeline.docker.PipelineFixtures.mounting;
import static dev.kbr.pipeline.docker.PipelineFixtures.succeeded;
import static dev.kbr.pipeline.docker.PipelineFixtures.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kbr.model.Container;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeMount;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.UnhonouredFieldFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * A pipeline container's {@code resources} and {@code securityContext} as the Docker runner
 * applies them, seen from inside the container (the busybox fixture image prints its ids, cgroup
 * limits and process status). Fails (never skips) when the engine or the image is missing.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DockerContainerSpecIT {
    private static final String IMAGE = "kbr.local/busybox-base:v0.1.0";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static DockerPipelineRunner runner;

    private String pipelineName;

    @BeforeAll
    static void connect() {
        try {
            runner = DockerPipelineRunner.connect(DockerRunnerSettings.defaults());
        } catch (IOException e) {
            fail(
                    "No Docker engine reachable (" + e.getMessage() + "); run ci/setup-docker, then"
                            + " ci/build-fixture-images",
                    e);
        }
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (runner != null) {
            runner.close();
        }
    }

    @BeforeEach
    void namePipeline(TestInfo test) {
        pipelineName = "it-" + test.getTestMethod().orElseThrow().getName() + "-"
                + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void appliesResourcesAndSecurityContextToTheContainer() throws Exception {
        PipelineResult result = runner.run(invocation("""
                - name: probe
                  resources:
                    requests: {cpu: 250m, memory: 32Mi}
                    limits: {cpu: 500m, memory: 64Mi}
                  securityContext:
                    runAsUser: 1234
                    runAsGroup: 2345
                    runAsNonRoot: true
                    readOnlyRootFilesystem: true
                    allowPrivilegeEscalation: false
                    capabilities: {drop: [ALL], add: [CHOWN]}
                """, List.of(), sh("probe", """
                        out=/kratix/output/probe.txt
                        echo "uid $(id -u) gid $(id -g)" > $out
                        cg=/sys/fs/cgroup
                        echo "memory $(cat $cg/memory.max 2>/dev/null || cat $cg/memory/memory.limit_in_bytes)" >> $out
                        echo "reservation $(cat $cg/memory/memory.soft_limit_in_bytes 2>/dev/null || cat $cg/memory.low)" >> $out
                        echo "cpu $(cat $cg/cpu.max 2>/dev/null || cat $cg/cpu/cpu.cfs_quota_us)" >> $out
                        echo "shares $(cat $cg/cpu/cpu.shares 2>/dev/null || cat $cg/cpu.weight)" >> $out
                        grep -E '^(NoNewPrivs|CapBnd):' /proc/self/status | tr -s '\\t ' ' ' >> $out
                        if touch /probe 2>/dev/null; then echo "root writable" >> $out; else echo "root read-only" >> $out; fi
                        """)));

        String probe = text(succeeded(result).output().get("probe.txt"));
        assertThat(probe)
                .contains("uid 1234 gid 2345\n")
                .contains("memory 67108864\n")
                .containsPattern("cpu (50000|50000 100000)\n")
                .contains("NoNewPrivs: 1\n")
                .contains("CapBnd: 0000000000000001\n")
                .contains("root read-only\n");
        // cgroup v1 reports the reservation and the shares as given; v2 converts them.
        if (probe.contains("shares 256")) {
            assertThat(probe).contains("reservation 33554432\n");
        }
    }

    @Test
    void aReadOnlyRootStillPassesKratixDirectoriesAndVolumesOn() throws Exception {
        String readOnly = "  securityContext: {readOnlyRootFilesystem: true}\n";
        VolumeMount scratch = new VolumeMount("scratch", "/scratch", false);
        PipelineResult result = runner.run(invocation(
                "- name: write\n" + readOnly + "- name: read\n" + readOnly,
                List.of(new Volume("scratch")),
                mounting(sh("write", "echo kept > /scratch/note; echo one > /kratix/output/a.yaml"), scratch),
                mounting(
                        sh("read", "cat /scratch/note > /kratix/output/note; cat /kratix/input/object.yaml"),
                        scratch)));

        PipelineResult.Succeeded succeeded = succeeded(result);
        assertThat(succeeded.output()).containsOnlyKeys("a.yaml", "note");
        assertThat(text(succeeded.output().get("note"))).isEqualTo("kept\n");
        assertThat(succeeded.logs().get(1).text()).contains("name: one");
    }

    @Test
    void refusesToRunAsRootUnderRunAsNonRootAsTheKubeletDoes() throws Exception {
        PipelineResult result = runner.run(
                invocation("- name: root\n  securityContext: {runAsNonRoot: true}\n", List.of(), sh("root", "true")));

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("root");
        assertThat(failed.reason())
                .isEqualTo("container has runAsNonRoot and image will run as root; set securityContext.runAsUser to a"
                        + " non-zero user id");
        assertThat(failed.logs()).isEmpty();
    }

    @Test
    void rejectsAFieldNeitherRunnerHonoursBeforeAnyContainerRuns() throws Exception {
        Pipeline pipeline = UnhonouredFieldFixture.privilegedPipeline(pipelineName, IMAGE);

        PipelineResult result = runner.run(invocation(pipeline));

        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("privileged");
        assertThat(failed.reason()).isEqualTo(UnhonouredFieldFixture.PRIVILEGED_REJECTED);
        assertThat(failed.logs()).isEmpty();
    }

    private PipelineInvocation invocation(String containersYaml, List<Volume> volumes, Container... containers)
            throws IOException {
        ObjectNode document = (ObjectNode) YAML.readTree("apiVersion: platform.kratix.io/v1alpha1\nkind: Pipeline\n"
                + "metadata: {name: " + pipelineName + "}\nspec:\n  containers:\n"
                + containersYaml.indent(4));
        return invocation(new Pipeline(
                pipelineName,
                Map.of(),
                List.of(containers),
                volumes,
                document,
                new SourceLocation("pipelines/test.yaml", 0, 7)));
    }

    private PipelineInvocation invocation(Pipeline pipeline) {
        return new PipelineInvocation(
                "test " + pipelineName,
                pipeline,
                "apiVersion: example.kbr.dev/v1\nkind: Thing\nmetadata:\n  name: one\n".getBytes(UTF_8),
                new TreeMap<>(Map.of("KRATIX_WORKFLOW_TYPE", "resource", "KRATIX_PROMISE_NAME", "thing")),
                Duration.ofSeconds(60));
    }

    private static Container sh(String name, String script) {
        return new Container(name, IMAGE, List.of("sh", "-c", script), List.of(), List.of(), Optional.empty());
    }
}
