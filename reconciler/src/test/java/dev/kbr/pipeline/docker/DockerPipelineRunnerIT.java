package dev.kbr.pipeline.docker;

import static dev.kbr.pipeline.docker.PipelineFixtures.mounting;
import static dev.kbr.pipeline.docker.PipelineFixtures.succeeded;
import static dev.kbr.pipeline.docker.PipelineFixtures.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.kbr.model.Container;
import dev.kbr.model.EnvVar;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeMount;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PlatformAccess;
import dev.kbr.pipeline.TarTrees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Runs pipelines on the local Docker engine with the {@code FROM scratch} busybox fixture image.
 * Fails (never skips) when the engine or the image is missing.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DockerPipelineRunnerIT {
    private static final String IMAGE = "kbr.local/busybox-base:v0.1.0";
    private static final String SETUP = "run ci/setup-docker, then ci/build-fixture-images";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String OBJECT_YAML = "apiVersion: example.kbr.dev/v1\nkind: Thing\nmetadata:\n  name: one\n";

    private static DockerPipelineRunner runner;
    private static DockerClient docker;

    private String pipelineName;

    @BeforeAll
    static void requireEngineAndImage() throws IOException {
        try {
            runner = DockerPipelineRunner.connect(DockerRunnerSettings.defaults());
        } catch (IOException e) {
            fail("No Docker engine reachable (" + e.getMessage() + "); " + SETUP, e);
        }
        DockerClientConfig config =
                DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        docker = DockerClientImpl.getInstance(
                config,
                new ApacheDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .sslConfig(config.getSSLConfig())
                        .build());
        try {
            docker.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            fail("The fixture image " + IMAGE + " is missing from the Docker engine; " + SETUP, e);
        }
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (runner != null) {
            runner.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    @BeforeEach
    void namePipeline(TestInfo test) {
        pipelineName = "it-" + test.getTestMethod().orElseThrow().getName() + "-"
                + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void noContainersLeftBehind() {
        assertThat(docker.listContainersCmd()
                        .withShowAll(true)
                        .withLabelFilter(Map.of(
                                DockerPipelineRunner.MANAGED_LABEL,
                                "true",
                                DockerPipelineRunner.PIPELINE_LABEL,
                                pipelineName))
                        .exec())
                .as("containers labelled %s=true for pipeline %s", DockerPipelineRunner.MANAGED_LABEL, pipelineName)
                .isEmpty();
    }

    @Test
    void runsContainersInOrderSharingOutputAndMetadata() throws Exception {
        PipelineResult result = runner.run(invocation(sh("first", """
                        echo first > /kratix/output/order.txt
                        mkdir -p /kratix/output/sub
                        echo 'kind: A' > /kratix/output/a.yaml
                        echo 'kind: B' > /kratix/output/sub/b.yaml
                        echo 'message: from first' > /kratix/metadata/status.yaml
                        echo scratch > /kratix/metadata/scratch.txt
                        """), sh("second", """
                        set -e
                        test -f /kratix/output/sub/b.yaml
                        test -f /kratix/metadata/scratch.txt
                        echo second >> /kratix/output/order.txt
                        echo 'changed: true' >> /kratix/output/a.yaml
                        rm -r /kratix/output/sub /kratix/metadata/scratch.txt
                        echo 'kind: C' > /kratix/output/c.yaml
                        echo done
                        """)));

        assertThat(result).isInstanceOf(PipelineResult.Succeeded.class);
        PipelineResult.Succeeded succeeded = (PipelineResult.Succeeded) result;
        assertThat(succeeded.output()).containsOnlyKeys("a.yaml", "c.yaml", "order.txt");
        assertThat(text(succeeded.output().get("order.txt"))).isEqualTo("first\nsecond\n");
        assertThat(text(succeeded.output().get("a.yaml"))).isEqualTo("kind: A\nchanged: true\n");
        assertThat(succeeded.metadata()).containsOnlyKeys("status.yaml");
        assertThat(text(succeeded.metadata().get("status.yaml"))).isEqualTo("message: from first\n");
        assertThat(succeeded.logs()).extracting(ContainerLog::container).containsExactly("first", "second");
        assertThat(succeeded.logs()).extracting(ContainerLog::exitCode).containsExactly(0, 0);
        assertThat(succeeded.logs().get(1).text()).isEqualTo("done\n");
    }

    @Test
    void givesEveryContainerTheOriginalObject() throws Exception {
        PipelineResult result = runner.run(invocation(
                sh("first", """
                        cp /kratix/input/object.yaml /kratix/output/seen-by-first.yaml
                        echo 'kind: Tampered' > /kratix/input/object.yaml
                        """), sh("second", "cp /kratix/input/object.yaml /kratix/output/seen-by-second.yaml")));

        PipelineResult.Succeeded succeeded = succeeded(result);
        assertThat(text(succeeded.output().get("seen-by-first.yaml"))).isEqualTo(OBJECT_YAML);
        assertThat(text(succeeded.output().get("seen-by-second.yaml"))).isEqualTo(OBJECT_YAML);
    }

    @Test
    void setsKratixEnvironmentThenTheContainersOwnWhichWins() throws Exception {
        Container container = new Container(
                "env",
                IMAGE,
                List.of("sh", "-c", "env | grep -E '^(KRATIX_|GREETING=)' | sort > /kratix/output/env.txt"),
                List.of(),
                List.of(new EnvVar("GREETING", "hello world"), new EnvVar("KRATIX_PROMISE_NAME", "overridden")),
                Optional.empty());

        PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(container)));

        assertThat(text(succeeded.output().get("env.txt"))).isEqualTo("""
                        GREETING=hello world
                        KRATIX_OBJECT_NAME=one
                        KRATIX_PROMISE_NAME=overridden
                        KRATIX_WORKFLOW_ACTION=configure
                        KRATIX_WORKFLOW_TYPE=resource
                        """);
    }

    @Test
    void givesEveryContainerThePlatformApiWhereInClusterClientsLookAndTheHostsNetwork() throws Exception {
        PlatformAccess access = new PlatformAccess("127.0.0.1", 6443, "tok-" + System.nanoTime(), "PEM\n", "team-a");
        String script = """
                set -e
                d=/var/run/secrets/kubernetes.io/serviceaccount
                echo "$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT:$KUBERNETES_SERVICE_PORT_HTTPS" > /kratix/output/env
                cat $d/namespace > /kratix/output/namespace
                cat $d/ca.crt > /kratix/output/ca.crt
                test "$(cat $d/token)" = "$EXPECTED" && echo same > /kratix/output/token
                ls -ln $d/token | awk '{print $1, $3}' > /kratix/output/mode
                echo overwritten > $d/token 2>/dev/null || true
                # Only the host's network has the host's interfaces (the engine's bridge among them).
                ls /sys/class/net | tr '\n' ' ' > /kratix/output/interfaces
                """;
        Container first = new Container(
                "first",
                IMAGE,
                List.of("sh", "-c", script),
                List.of(),
                List.of(new EnvVar("EXPECTED", access.token())),
                Optional.empty());
        Container second = new Container(
                "second",
                IMAGE,
                List.of(
                        "sh",
                        "-c",
                        "cd /var/run/secrets/kubernetes.io/serviceaccount"
                                + " && cat namespace > /kratix/output/second && test \"$(cat token)\" = \"$EXPECTED\""),
                List.of(),
                List.of(new EnvVar("EXPECTED", access.token())),
                Optional.empty());

        PipelineResult.Succeeded succeeded =
                succeeded(runner.run(invocation(first, second).withPlatformAccess(access)));

        assertThat(text(succeeded.output().get("env"))).isEqualTo("127.0.0.1:6443:6443\n");
        assertThat(text(succeeded.output().get("namespace"))).isEqualTo("team-a");
        assertThat(text(succeeded.output().get("second"))).isEqualTo("team-a");
        assertThat(text(succeeded.output().get("ca.crt"))).isEqualTo("PEM\n");
        assertThat(text(succeeded.output().get("token"))).isEqualTo("same\n");
        assertThat(text(succeeded.output().get("mode"))).isEqualTo("-rw-r--r-- 0\n");
        assertThat(text(succeeded.output().get("interfaces"))).contains("docker0");
        assertThat(succeeded.logs().toString()).doesNotContain(access.token());
    }

    @Test
    void expandsVariableReferencesInCommandArgsAndEnvAsKubernetesDoes() throws Exception {
        Container container = new Container(
                "expand",
                IMAGE,
                List.of(
                        "sh",
                        "-c",
                        "printf '%s\\n' \"$@\" \"$LABEL\" > /kratix/output/$(KRATIX_OBJECT_NAME).txt",
                        "sh"),
                List.of("$(KRATIX_OBJECT_NAME)", "$$(KRATIX_OBJECT_NAME)", "$(UNKNOWN)", "$(LABEL)"),
                List.of(new EnvVar("LABEL", "$(KRATIX_PROMISE_NAME)/$(KRATIX_OBJECT_NAME)")),
                Optional.empty());

        PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(container)));

        assertThat(succeeded.output()).containsOnlyKeys("one.txt");
        assertThat(text(succeeded.output().get("one.txt"))).isEqualTo("""
                        one
                        $(KRATIX_OBJECT_NAME)
                        $(UNKNOWN)
                        thing/one
                        thing/one
                        """);
    }

    @Test
    void sharesAnEmptyDirBetweenContainersMountedAtDifferentPaths() throws Exception {
        PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(
                List.of(new Volume("scratch")),
                mounting(sh("writer", """
                                set -e
                                test -d /work/scratch && test -z "$(ls -A /work/scratch)"
                                echo 'from the writer' > /work/scratch/note.txt
                                mkdir -p /work/scratch/empty/deeper
                                """), new VolumeMount("scratch", "/work/scratch", false)),
                mounting(sh("reader", """
                                set -e
                                test -d /data/in/empty/deeper
                                cat /data/in/note.txt > /kratix/output/seen.txt
                                """), new VolumeMount("scratch", "/data/in", false)))));

        assertThat(succeeded.output()).containsOnlyKeys("seen.txt");
        assertThat(text(succeeded.output().get("seen.txt"))).isEqualTo("from the writer\n");
        assertThat(succeeded.metadata()).isEmpty();
    }

    @Test
    void keepsWritesToAReadOnlyMountFromLaterContainers() throws Exception {
        PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(
                List.of(new Volume("shared")),
                mounting(sh("writer", "echo v1 > /rw/file.txt"), new VolumeMount("shared", "/rw", false)),
                mounting(sh("read-only", """
                                cat /ro/file.txt > /kratix/output/read-only-saw.txt
                                echo v2 > /ro/file.txt
                                touch /ro/new.txt
                                cat /ro/file.txt > /kratix/output/read-only-wrote.txt
                                """), new VolumeMount("shared", "/ro", true)),
                mounting(
                        sh(
                                "third",
                                "ls /rw > /kratix/output/third-ls.txt; cat /rw/file.txt > /kratix/output/third.txt"),
                        new VolumeMount("shared", "/rw", false)))));

        assertThat(text(succeeded.output().get("read-only-saw.txt"))).isEqualTo("v1\n");
        // A root container can write to its copy (kbr cannot stop that), but nobody later sees it.
        assertThat(text(succeeded.output().get("read-only-wrote.txt"))).isEqualTo("v2\n");
        assertThat(text(succeeded.output().get("third.txt"))).isEqualTo("v1\n");
        assertThat(text(succeeded.output().get("third-ls.txt"))).isEqualTo("file.txt\n");
    }

    @Test
    void hidesAVolumeFromContainersThatDoNotMountItAndKeepsItForLaterOnes() throws Exception {
        PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(
                List.of(new Volume("cache")),
                mounting(sh("writer", "echo kept > /cache/file.txt"), new VolumeMount("cache", "/cache", false)),
                sh("bystander", """
                        if test -e /cache; then echo present; else echo absent; fi > /kratix/output/bystander.txt
                        find / -xdev -name file.txt >> /kratix/output/bystander.txt
                        """),
                mounting(
                        sh("later", "cat /cache/file.txt > /kratix/output/later.txt"),
                        new VolumeMount("cache", "/cache", false)))));

        assertThat(text(succeeded.output().get("bystander.txt"))).isEqualTo("absent\n");
        assertThat(text(succeeded.output().get("later.txt"))).isEqualTo("kept\n");
    }

    @Test
    void createsMissingParentsOfAMountPathAndLeavesExistingOnesAlone() throws Exception {
        PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(
                List.of(new Volume("a"), new Volume("b")),
                mounting(
                        sh("check", """
                                ls -ld /tmp | cut -c1-10 > /kratix/output/tmp-mode.txt
                                ls -ld /new/deep | cut -c1-10 > /kratix/output/parent-mode.txt
                                """),
                        new VolumeMount("a", "/tmp/work", false),
                        new VolumeMount("b", "/new/deep/mount", false)))));

        assertThat(text(succeeded.output().get("tmp-mode.txt"))).isEqualTo("drwxrwxrwt\n");
        assertThat(text(succeeded.output().get("parent-mode.txt"))).isEqualTo("drwxr-xr-x\n");
    }

    @Test
    void refusesToMountWhereTheImageHasContentItCouldNotHide() throws Exception {
        PipelineResult result = runner.run(invocation(
                List.of(new Volume("tools")),
                mounting(sh("shadowing", "true"), new VolumeMount("tools", "/bin", false)),
                sh("after", "true")));

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("shadowing");
        assertThat(failed.reason())
                .contains("volume `tools` at /bin")
                .contains(IMAGE + " already has `/bin/")
                .contains("path the image leaves empty or absent");
        assertThat(failed.logs()).isEmpty();

        PipelineResult throughAFile = runner.run(invocation(
                List.of(new Volume("tools")),
                mounting(sh("through-a-file", "true"), new VolumeMount("tools", "/bin/busybox/x", false))));

        assertThat(throughAFile).isInstanceOf(PipelineResult.Failed.class);
        assertThat(((PipelineResult.Failed) throughAFile).reason())
                .contains("volume `tools` at /bin/busybox/x")
                .contains("already has a file on the way to it");
    }

    @Test
    void rejectsNestedMountsBeforeRunningAnything() throws Exception {
        PipelineResult result = runner.run(invocation(
                List.of(new Volume("a"), new Volume("b")),
                sh("first", "true"),
                mounting(
                        sh("nested", "true"), new VolumeMount("a", "/x", false), new VolumeMount("b", "/x/y", false))));

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("nested");
        assertThat(failed.reason()).contains("cannot nest them");
        assertThat(failed.logs()).isEmpty();
    }

    @Test
    void rejectsASymbolicLinkInAVolume() throws Exception {
        PipelineResult result = runner.run(invocation(
                List.of(new Volume("v")),
                mounting(sh("links", "ln -s /etc/passwd /v/link"), new VolumeMount("v", "/v", false)),
                sh("after", "true")));

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("links");
        assertThat(failed.reason()).contains("volume `v`").contains("v/link").contains("symbolic link");
        assertThat(failed.logs()).extracting(ContainerLog::container).containsExactly("links");
    }

    @Test
    void countsVolumesTowardsThePipelineSizeLimit() throws Exception {
        try (DockerPipelineRunner strict = DockerPipelineRunner.connect(
                DockerRunnerSettings.defaults().withOutputLimits(new TarTrees.Limits(100, 150)))) {
            PipelineResult result = strict.run(invocation(
                    List.of(new Volume("v")),
                    mounting(
                            sh(
                                    "fill",
                                    "head -c 100 /dev/zero > /v/a.bin; head -c 100 /dev/zero > /kratix/output/b.bin"),
                            new VolumeMount("v", "/v", false))));

            assertThat(result).isInstanceOf(PipelineResult.Failed.class);
            assertThat(((PipelineResult.Failed) result).reason())
                    .contains("volumes")
                    .contains("200 bytes")
                    .contains("150 bytes");
        }
    }

    @Test
    void failsOnNonZeroExitNamingTheContainerAndSkipsTheRest() throws Exception {
        PipelineResult result = runner.run(invocation(
                sh("prepare", "echo ready > /kratix/output/ready.txt"),
                sh("breaks", "echo boom; echo to stderr >&2; exit 3"),
                sh("after", "echo marker > /kratix/output/marker.txt")));

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("breaks");
        assertThat(failed.reason()).isEqualTo("exited with code 3");
        assertThat(failed.logs()).extracting(ContainerLog::container).containsExactly("prepare", "breaks");
        ContainerLog log = failed.logs().get(1);
        assertThat(log.exitCode()).isEqualTo(3);
        assertThat(log.text()).contains("boom\n").contains("to stderr\n");
    }

    @Test
    void killsAContainerThatOutlivesThePipelineTimeout() throws Exception {
        PipelineInvocation invocation = invocation(
                Duration.ofSeconds(3),
                sh("slow", "echo sleeping; sleep 60"),
                sh("after", "echo marker > /kratix/output/marker.txt"));

        PipelineResult result = runner.run(invocation);

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("slow");
        assertThat(failed.reason()).startsWith("timed out after 3s");
        assertThat(failed.logs()).extracting(ContainerLog::container).containsExactly("slow");
        assertThat(failed.logs().get(0).text()).contains("sleeping");
    }

    @Test
    void rejectsASymbolicLinkInTheOutput() throws Exception {
        PipelineResult result = runner.run(invocation(sh("links", """
                echo 'kind: A' > /kratix/output/a.yaml
                ln -s /etc/passwd /kratix/output/link
                """)));

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("links");
        assertThat(failed.reason()).contains("output/link").contains("symbolic link");
    }

    @Test
    void rejectsAnOutputDirectoryReplacedByAFile() throws Exception {
        PipelineResult result = runner.run(invocation(sh("flat", "rmdir /kratix/output && echo x > /kratix/output")));

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        assertThat(((PipelineResult.Failed) result).reason())
                .isEqualTo("produced unsafe output: /kratix/output is a file, not a directory");
    }

    @Test
    void ignoresWhatAContainerLeavesInItsInput() throws Exception {
        PipelineResult result = runner.run(invocation(sh("input", """
                ln -s /etc/passwd /kratix/input/link
                echo 'kind: A' > /kratix/output/a.yaml
                """)));

        assertThat(succeeded(result).output()).containsOnlyKeys("a.yaml");
    }

    @Test
    void failsNamingTheImageWhenItIsMissingAndMayNotBePulled() throws Exception {
        String image = "kbr.local/does-not-exist-" + ProcessHandle.current().pid() + ":v0";
        Container container =
                new Container("missing", image, List.of("true"), List.of(), List.of(), Optional.of("Never"));

        PipelineResult result = runner.run(invocation(container));

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("missing");
        assertThat(failed.reason()).contains(image).contains("Never").contains("build or load it locally");
        assertThat(failed.logs()).isEmpty();
    }

    @Test
    void runsContainersWithoutNetwork() throws Exception {
        PipelineResult.Succeeded succeeded =
                succeeded(runner.run(invocation(sh("net", "ls /sys/class/net > /kratix/output/interfaces.txt"))));

        assertThat(text(succeeded.output().get("interfaces.txt"))).isEqualTo("lo\n");
    }

    @Test
    void keepsEmptyDirectoriesBetweenContainers() throws Exception {
        PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(
                sh("first", "mkdir -p /kratix/output/empty/deeper /kratix/metadata/scratch"),
                sh("second", "test -d /kratix/output/empty/deeper && test -d /kratix/metadata/scratch"))));

        assertThat(succeeded.output()).isEmpty();
        assertThat(succeeded.metadata()).isEmpty();
    }

    @Test
    void usesArgsAsTheCommandWhenNoEntrypointIsGiven() throws Exception {
        Container container = new Container(
                "args",
                IMAGE,
                List.of(),
                List.of("sh", "-c", "echo from-args > /kratix/output/args.txt"),
                List.of(),
                Optional.of("IfNotPresent"));

        PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(container)));

        assertThat(text(succeeded.output().get("args.txt"))).isEqualTo("from-args\n");
    }

    @Test
    void letsANonRootImageModifyTheSharedTrees() throws Exception {
        String image = buildNonRootImage();
        try {
            PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(
                    imageSh("first", image, "id -u > /kratix/output/uid; echo one > /kratix/output/file"),
                    imageSh("second", image, "echo two >> /kratix/output/file && echo ok > /kratix/metadata/m"))));

            assertThat(text(succeeded.output().get("uid"))).isEqualTo("1000\n");
            assertThat(text(succeeded.output().get("file"))).isEqualTo("one\ntwo\n");
            assertThat(succeeded.metadata()).containsOnlyKeys("m");
        } finally {
            docker.removeImageCmd(image).withForce(true).exec();
        }
    }

    @Test
    void letsANonRootImageWriteToAVolumeButNotToAReadOnlyMount() throws Exception {
        String image = buildNonRootImage();
        try {
            PipelineResult.Succeeded succeeded = succeeded(runner.run(invocation(
                    List.of(new Volume("v")),
                    mounting(
                            imageSh("writer", image, "echo one > /tmp/v/file && mkdir /tmp/v/sub"),
                            new VolumeMount("v", "/tmp/v", false)),
                    mounting(
                            imageSh("appender", image, "echo two >> /v/file && echo three > /v/sub/more"),
                            new VolumeMount("v", "/v", false)),
                    mounting(imageSh("reader", image, """
                                    cat /ro/file /ro/sub/more > /kratix/output/seen.txt
                                    if echo four >> /ro/file; then echo wrote; else echo refused; fi > /kratix/output/write.txt
                                    """), new VolumeMount("v", "/ro", true)))));

            assertThat(text(succeeded.output().get("seen.txt"))).isEqualTo("one\ntwo\nthree\n");
            assertThat(text(succeeded.output().get("write.txt"))).isEqualTo("refused\n");
        } finally {
            docker.removeImageCmd(image).withForce(true).exec();
        }
    }

    @Test
    void keepsTheTailOfLongLogs() throws Exception {
        try (DockerPipelineRunner small =
                DockerPipelineRunner.connect(DockerRunnerSettings.defaults().withMaxLogBytes(64))) {
            PipelineResult.Succeeded succeeded =
                    succeeded(small.run(invocation(sh("chatty", "seq 1 5000; echo THE-END"))));

            String text = succeeded.logs().get(0).text();
            assertThat(text).startsWith("[kbr: ").contains("earlier bytes of this log were dropped");
            assertThat(text).endsWith("4999\n5000\nTHE-END\n");
        }
    }

    @Test
    void failsWhenOutputExceedsTheLimits() throws Exception {
        try (DockerPipelineRunner strict = DockerPipelineRunner.connect(
                DockerRunnerSettings.defaults().withOutputLimits(new TarTrees.Limits(100, 150)))) {
            PipelineResult perFile =
                    strict.run(invocation(sh("big", "head -c 101 /dev/zero > /kratix/output/big.bin")));
            PipelineResult together = strict.run(invocation(sh(
                    "spread",
                    "head -c 100 /dev/zero > /kratix/output/a.bin; head -c 100 /dev/zero > /kratix/metadata/b.bin")));

            assertThat(perFile).isInstanceOf(PipelineResult.Failed.class);
            assertThat(((PipelineResult.Failed) perFile).reason())
                    .contains("output/big.bin")
                    .contains("101 bytes");
            assertThat(together).isInstanceOf(PipelineResult.Failed.class);
            assertThat(((PipelineResult.Failed) together).reason())
                    .contains("200 bytes")
                    .contains("150 bytes");
        }
    }

    @Test
    void reportsEngineErrorsNamingWhatWasAttempted() throws Exception {
        try (DockerPipelineRunner misconfigured =
                DockerPipelineRunner.connect(DockerRunnerSettings.defaults().withNetworkMode("kbr-no-such-network"))) {
            PipelineInvocation invocation = invocation(sh("step", "true"));

            assertThatThrownBy(() -> misconfigured.run(invocation))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Tried to start container `step` of pipeline " + pipelineName + " (image "
                            + IMAGE + ") but the Docker engine answered: ")
                    .hasMessageContaining("kbr-no-such-network");
        }
    }

    @Test
    void removesTheContainerWhenInterrupted() throws Exception {
        PipelineInvocation invocation = invocation(sh("sleeper", "sleep 60"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                runner.run(invocation);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (docker.listContainersCmd()
                        .withLabelFilter(Map.of(DockerPipelineRunner.PIPELINE_LABEL, pipelineName))
                        .exec()
                        .isEmpty()
                && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }

        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    private PipelineInvocation invocation(Container... containers) {
        return invocation(TIMEOUT, List.of(), containers);
    }

    private PipelineInvocation invocation(List<Volume> volumes, Container... containers) {
        return invocation(TIMEOUT, volumes, containers);
    }

    private PipelineInvocation invocation(Duration timeout, Container... containers) {
        return invocation(timeout, List.of(), containers);
    }

    private PipelineInvocation invocation(Duration timeout, List<Volume> volumes, Container... containers) {
        Pipeline pipeline = new Pipeline(
                pipelineName,
                Map.of(),
                List.of(containers),
                volumes,
                JsonNodeFactory.instance.objectNode(),
                SourceLocation.of("test"));
        return new PipelineInvocation(
                "test " + pipelineName,
                pipeline,
                OBJECT_YAML.getBytes(UTF_8),
                new TreeMap<>(Map.of(
                        "KRATIX_WORKFLOW_ACTION", "configure",
                        "KRATIX_WORKFLOW_TYPE", "resource",
                        "KRATIX_PROMISE_NAME", "thing",
                        "KRATIX_OBJECT_NAME", "one")),
                timeout);
    }

    private static Container sh(String name, String script) {
        return imageSh(name, IMAGE, script);
    }

    private static Container imageSh(String name, String image, String script) {
        return new Container(name, image, List.of("sh", "-c", script), List.of(), List.of(), Optional.empty());
    }

    /** The fixture image running as user 1000; remove it when done. */
    private static String buildNonRootImage() {
        String image = "kbr.local/busybox-nonroot-it:" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        byte[] context = TarTrees.write(
                new TreeMap<>(Map.of("Dockerfile", ("FROM " + IMAGE + "\nUSER 1000:1000\n").getBytes(UTF_8))),
                Set.of());
        docker.buildImageCmd(new ByteArrayInputStream(context))
                .withTags(Set.of(image))
                .withNetworkMode("none")
                .withPull(false)
                .exec(new BuildImageResultCallback())
                .awaitImageId();
        return image;
    }
}
