package dev.kbr.pipeline.kubernetes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kbr.model.ConfigMapKeyRef;
import dev.kbr.model.Container;
import dev.kbr.model.EnvVar;
import dev.kbr.model.GroupVersionKind;
import dev.kbr.model.Pipeline;
import dev.kbr.model.PipelineSpec;
import dev.kbr.model.SecretKeyRef;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeFile;
import dev.kbr.model.VolumeMount;
import dev.kbr.model.VolumeSource;
import dev.kbr.model.WorkflowAction;
import dev.kbr.model.WorkflowType;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.pipeline.KratixEnvironment;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PlatformAccess;
import dev.kbr.pipeline.TarTrees;
import dev.kbr.pipeline.UnhonouredFieldFixture;
import dev.kbr.run.RunOwner;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.StatusMessage;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes runner against fabric8's mock API server in CRUD mode: Pods are stored but never
 * run, so each test plays the kubelet, setting the Pod's status itself, and answers the log and
 * exec requests with expectations.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPipelineRunnerTest {
    private static final String NAMESPACE = "kbr-pipelines";
    private static final String POD = "kratix-redis-example-default-instance-configure-abcde";
    private static final String OBJECT_YAML = "apiVersion: marketplace.kratix.io/v1alpha1\nkind: Redis\n";
    private static final String PIPELINE_YAML = """
            apiVersion: platform.kratix.io/v1alpha1
            kind: Pipeline
            metadata:
              name: instance-configure
              labels:
                team: data
              annotations:
                example.com/owner: data-team
            spec:
              rbac:
                serviceAccount: redis-pipelines
              imagePullSecrets:
                - name: registry-credentials
              nodeSelector:
                pool: pipelines
              tolerations:
                - key: dedicated
                  operator: Equal
                  value: pipelines
                  effect: NoSchedule
              volumes:
                - name: scratch
                  emptyDir:
                    sizeLimit: 10Mi
              containers:
                - name: generate
                  image: ghcr.io/example/generate:1.0
                  command: [/bin/generate]
                  args: ["--name=$(KRATIX_OBJECT_NAME)"]
                  imagePullPolicy: Always
                  resources:
                    requests: {cpu: 250m, memory: 64Mi}
                    limits: {memory: 128Mi}
                  securityContext:
                    runAsUser: 1000
                    readOnlyRootFilesystem: true
                  env:
                    - name: MODE
                      value: fast
                    - name: TOKEN
                      valueFrom:
                        secretKeyRef: {name: redis-token, key: token}
                  volumeMounts:
                    - name: scratch
                      mountPath: /scratch
                - name: publish
                  image: ghcr.io/example/publish:1.0
            """;

    static KubernetesMockServer server;
    static KubernetesClient client;

    private KubernetesPipelineRunner runner;

    @BeforeEach
    void startRunner() {
        KubernetesRunnerSettings settings = KubernetesRunnerSettings.defaults(NAMESPACE)
                .withOwnerPod(NAMESPACE + "/kbr-cron-123")
                .withPollInterval(Duration.ofMillis(20))
                .withOutputLimits(new TarTrees.Limits(1024, 4096));
        runner = new KubernetesPipelineRunner(client, settings, () -> "abcde");
    }

    @AfterEach
    void resetServer() {
        server.reset();
    }

    @Test
    void createsThePodKratixWouldWithUserContainersAsInitContainers() throws Exception {
        Kubelet kubelet = Kubelet.start(pod -> succeededStatus());
        expectLogs("generate", "generated\n");
        expectLogs("publish", "published\n");
        expectOutputs(tar(Map.of("output/app.yaml", "kind: App\n"), Map.of()), 0);

        PipelineResult result = runner.run(invocation(Duration.ofMinutes(10)));

        assertThat(result).isInstanceOf(PipelineResult.Succeeded.class);
        Pod pod = kubelet.pod.get(5, TimeUnit.SECONDS);
        assertThat(pod.getMetadata().getName()).isEqualTo(POD);
        assertThat(pod.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(pod.getMetadata().getLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "kratix.io/promise-name", "redis",
                        "kratix.io/workflow-type", "resource",
                        "kratix.io/workflow-action", "configure",
                        "kratix.io/pipeline-name", "instance-configure",
                        "kratix.io/resource-name", "example",
                        "kratix.io/resource-namespace", "default",
                        "app.kubernetes.io/managed-by", "kbr",
                        "team", "data",
                        "dev.kbr.managed", "true",
                        "dev.kbr.pipeline", "instance-configure"));
        assertThat(pod.getMetadata().getAnnotations())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "example.com/owner",
                        "data-team",
                        "dev.kbr.run",
                        RunOwner.current().label(),
                        "dev.kbr.owner-pod",
                        NAMESPACE + "/kbr-cron-123"));

        var spec = pod.getSpec();
        assertThat(spec.getRestartPolicy()).isEqualTo("Never");
        assertThat(spec.getActiveDeadlineSeconds()).isEqualTo(600 + 120);
        assertThat(spec.getServiceAccountName()).isEqualTo("redis-pipelines");
        assertThat(spec.getAutomountServiceAccountToken()).isNull();
        assertThat(spec.getEnableServiceLinks()).isFalse();
        assertThat(spec.getImagePullSecrets()).extracting("name").containsExactly("registry-credentials");
        assertThat(spec.getNodeSelector()).containsExactlyEntriesOf(Map.of("pool", "pipelines"));
        assertThat(spec.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("dedicated");
            assertThat(t.getValue()).isEqualTo("pipelines");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(spec.getVolumes())
                .extracting("name")
                .containsExactly("shared-input", "shared-output", "shared-metadata", "kbr-object", "scratch");
        assertThat(spec.getVolumes().get(0).getEmptyDir()).isNotNull();
        assertThat(spec.getVolumes().get(3).getConfigMap().getName()).isEqualTo(POD);
        assertThat(spec.getVolumes().get(4).getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("10Mi"));

        assertThat(spec.getInitContainers()).extracting("name").containsExactly("reader", "generate", "publish");
        var reader = spec.getInitContainers().get(0);
        assertThat(reader.getImage()).isEqualTo(KubernetesRunnerSettings.DEFAULT_HELPER_IMAGE);
        assertThat(reader.getCommand()).containsExactly("cp");
        assertThat(reader.getArgs()).containsExactly("/kbr/object/object.yaml", "/kratix/input/object.yaml");
        assertThat(reader.getVolumeMounts())
                .extracting("name", "mountPath", "readOnly")
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("kbr-object", "/kbr/object", true),
                        org.assertj.core.groups.Tuple.tuple("shared-input", "/kratix/input", null));
        assertThat(reader.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(reader.getSecurityContext().getRunAsUser()).isEqualTo(65534L);
        assertThat(reader.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");

        var generate = spec.getInitContainers().get(1);
        assertThat(generate.getImage()).isEqualTo("ghcr.io/example/generate:1.0");
        assertThat(generate.getImagePullPolicy()).isEqualTo("Always");
        assertThat(generate.getCommand()).containsExactly("/bin/generate");
        // Left for the kubelet to expand, as in Kratix.
        assertThat(generate.getArgs()).containsExactly("--name=$(KRATIX_OBJECT_NAME)");
        assertThat(generate.getEnv())
                .extracting("name")
                .containsExactly(
                        "KRATIX_CLUSTER_SCOPED",
                        "KRATIX_CRD_PLURAL",
                        "KRATIX_OBJECT_GROUP",
                        "KRATIX_OBJECT_KIND",
                        "KRATIX_OBJECT_NAME",
                        "KRATIX_OBJECT_NAMESPACE",
                        "KRATIX_OBJECT_VERSION",
                        "KRATIX_PIPELINE_NAME",
                        "KRATIX_PROMISE_NAME",
                        "KRATIX_WORKFLOW_ACTION",
                        "KRATIX_WORKFLOW_TYPE",
                        "MODE",
                        "TOKEN",
                        "GREETING");
        assertThat(env(generate)).containsEntry("KRATIX_OBJECT_NAME", "example").containsEntry("MODE", "fast");
        var token = generate.getEnv().get(12);
        assertThat(token.getValue())
                .as("a Secret value never appears in the Pod spec")
                .isNull();
        EnvVarSource from = token.getValueFrom();
        assertThat(from.getSecretKeyRef().getName()).isEqualTo(POD);
        assertThat(from.getSecretKeyRef().getKey()).isEqualTo("generate.TOKEN");
        assertThat(generate.getEnv().get(13).getValueFrom().getSecretKeyRef().getKey())
                .as("a ConfigMap's value travels by reference too, so the kubelet does not expand $(MODE) in it")
                .isEqualTo("generate.GREETING");
        assertThat(generate.getVolumeMounts())
                .extracting("name", "mountPath", "readOnly")
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("shared-input", "/kratix/input", true),
                        org.assertj.core.groups.Tuple.tuple("shared-output", "/kratix/output", null),
                        org.assertj.core.groups.Tuple.tuple("shared-metadata", "/kratix/metadata", null),
                        org.assertj.core.groups.Tuple.tuple("scratch", "/scratch", null));
        assertThat(generate.getResources().getRequests())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("cpu", new Quantity("250m"), "memory", new Quantity("64Mi")));
        assertThat(generate.getResources().getLimits())
                .containsExactlyInAnyOrderEntriesOf(Map.of("memory", new Quantity("128Mi")));
        assertThat(generate.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(generate.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

        var publish = spec.getInitContainers().get(2);
        assertThat(publish.getCommand()).isEmpty();
        assertThat(publish.getArgs()).isEmpty();
        assertThat(publish.getImagePullPolicy()).isNull();
        assertThat(publish.getSecurityContext()).isNull();
        // Kratix's built-in defaults for a container without resources.
        assertThat(publish.getResources().getRequests())
                .containsEntry("cpu", new Quantity("100m"))
                .containsEntry("memory", new Quantity("128Mi"));
        assertThat(publish.getResources().getLimits())
                .containsEntry("cpu", new Quantity("200m"))
                .containsEntry("memory", new Quantity("256Mi"));

        assertThat(spec.getContainers()).singleElement().satisfies(outputs -> {
            assertThat(outputs.getName()).isEqualTo("kbr-outputs");
            assertThat(outputs.getImage()).isEqualTo(KubernetesRunnerSettings.DEFAULT_HELPER_IMAGE);
            assertThat(outputs.getCommand()).containsExactly("sleep");
            assertThat(outputs.getArgs()).containsExactly("720");
            assertThat(outputs.getVolumeMounts())
                    .extracting("name", "mountPath", "readOnly")
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("shared-output", "/kratix/output", true),
                            org.assertj.core.groups.Tuple.tuple("shared-metadata", "/kratix/metadata", true));
        });

        ConfigMap input = kubelet.configMap.get(5, TimeUnit.SECONDS);
        assertThat(Base64.getDecoder().decode(input.getBinaryData().get("object.yaml")))
                .isEqualTo(OBJECT_YAML.getBytes(UTF_8));
        assertThat(input.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(ref -> assertThat(ref.getName()).isEqualTo(POD));
        Secret secret = kubelet.secret.get(5, TimeUnit.SECONDS);
        assertThat(secretValues(secret))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("generate.GREETING", "$(MODE) stays", "generate.TOKEN", "s3cr3t"));
        assertThat(secret.getMetadata().getOwnerReferences()).extracting("kind").containsExactly("Pod");
    }

    @Test
    void withThePlatformApiTheRunsSecretCarriesTheServiceAccountFilesMountedWhereTheKubeletWould() throws Exception {
        PlatformAccess access = new PlatformAccess("10.1.2.3", 40123, "the-token", "PEM\n", "default");
        PipelineInvocation invocation = invocation(Duration.ofMinutes(10)).withPlatformAccess(access);
        KubernetesRunnerSettings settings = KubernetesRunnerSettings.defaults(NAMESPACE);

        PipelinePod.Plan plan = PipelinePod.plan(
                invocation, PipelineSpec.read(invocation.pipeline()), POD, settings, RunOwner.current());

        var spec = plan.pod().getSpec();
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        var volume = spec.getVolumes().stream()
                .filter(v -> v.getName().equals(PipelinePod.SERVICE_ACCOUNT_VOLUME))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getSecret().getSecretName()).isEqualTo(POD);
        assertThat(volume.getSecret().getItems())
                .extracting("key", "path")
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("kbr-service-account.token", "token"),
                        org.assertj.core.groups.Tuple.tuple("kbr-service-account.ca.crt", "ca.crt"),
                        org.assertj.core.groups.Tuple.tuple("kbr-service-account.namespace", "namespace"));
        assertThat(plan.secret().orElseThrow().getStringData())
                .containsEntry("kbr-service-account.token", "the-token")
                .containsEntry("kbr-service-account.ca.crt", "PEM\n")
                .containsEntry("kbr-service-account.namespace", "default");
        for (String container : List.of("generate", "publish")) {
            var user = spec.getInitContainers().stream()
                    .filter(c -> c.getName().equals(container))
                    .findFirst()
                    .orElseThrow();
            assertThat(user.getVolumeMounts())
                    .extracting("name", "mountPath", "readOnly")
                    .contains(org.assertj.core.groups.Tuple.tuple(
                            PipelinePod.SERVICE_ACCOUNT_VOLUME, PlatformAccess.SERVICE_ACCOUNT_DIRECTORY, true));
            assertThat(user.getEnv())
                    .extracting("name", "value")
                    .contains(
                            org.assertj.core.groups.Tuple.tuple("KUBERNETES_SERVICE_HOST", "10.1.2.3"),
                            org.assertj.core.groups.Tuple.tuple("KUBERNETES_SERVICE_PORT", "40123"));
        }
        // The token reaches the Pod only through the Secret, never in the Pod's own spec.
        assertThat(plan.pod().toString()).doesNotContain("the-token");
    }

    @Test
    void secretConfigMapAndProjectedVolumesKeepTheirKindAndTakeTheirFilesFromTheRunsSecretAndConfigMap()
            throws Exception {
        Kubelet kubelet = Kubelet.start(pod -> succeededStatus());
        expectLogs("generate", "generated\n");
        expectLogs("publish", "published\n");
        expectOutputs(tar(Map.of("output/app.yaml", "kind: App\n"), Map.of()), 0);
        SortedMap<String, VolumeFile> creds = new TreeMap<>(Map.of(
                "credentials.json", new VolumeFile("{\"key\": \"hunter2\"}".getBytes(UTF_8), 0400, true),
                "project_id", new VolumeFile("p-1".getBytes(UTF_8), 0644, true)));
        SortedMap<String, VolumeFile> settings =
                new TreeMap<>(Map.of("conf/region", new VolumeFile("eu".getBytes(UTF_8), 0440, false)));
        SortedMap<String, VolumeFile> both = new TreeMap<>(Map.of(
                "a-token", new VolumeFile("t0ken".getBytes(UTF_8), 0600, true),
                "b-size", new VolumeFile(new byte[] {0, 1, 2}, 0600, false)));
        Pipeline pipeline = invocation(Duration.ofMinutes(10))
                .pipeline()
                .withVolumes(List.of(
                        new Volume("scratch"),
                        new Volume("creds", new VolumeSource.Files(VolumeSource.Kind.SECRET, creds)),
                        new Volume("settings", new VolumeSource.Files(VolumeSource.Kind.CONFIG_MAP, settings)),
                        new Volume("both", new VolumeSource.Files(VolumeSource.Kind.PROJECTED, both)),
                        new Volume("absent", new VolumeSource.Files(VolumeSource.Kind.SECRET, new TreeMap<>()))));

        PipelineResult result = runner.run(invocation(pipeline, Duration.ofMinutes(10)));

        assertThat(result).isInstanceOf(PipelineResult.Succeeded.class);
        Pod pod = kubelet.pod.get(5, TimeUnit.SECONDS);
        var volumes = pod.getSpec().getVolumes();
        assertThat(volumes)
                .extracting("name")
                .containsExactly(
                        "shared-input",
                        "shared-output",
                        "shared-metadata",
                        "kbr-object",
                        "scratch",
                        "creds",
                        "settings",
                        "both",
                        "absent");
        assertThat(volumes.get(4).getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("10Mi"));
        assertThat(volumes.get(5).getSecret().getSecretName()).isEqualTo(POD);
        assertThat(volumes.get(5).getSecret().getItems())
                .extracting("key", "path", "mode")
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("kbr-volume-1.0", "credentials.json", 0400),
                        org.assertj.core.groups.Tuple.tuple("kbr-volume-1.1", "project_id", 0644));
        assertThat(volumes.get(6).getConfigMap().getName()).isEqualTo(POD);
        assertThat(volumes.get(6).getConfigMap().getItems())
                .extracting("key", "path", "mode")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kbr-volume-2.0", "conf/region", 0440));
        var sources = volumes.get(7).getProjected().getSources();
        assertThat(sources).hasSize(2);
        assertThat(sources.get(0).getSecret().getName()).isEqualTo(POD);
        assertThat(sources.get(0).getSecret().getItems())
                .extracting("key", "path", "mode")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kbr-volume-3.0", "a-token", 0600));
        assertThat(sources.get(1).getConfigMap().getName()).isEqualTo(POD);
        assertThat(sources.get(1).getConfigMap().getItems())
                .extracting("key", "path", "mode")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kbr-volume-3.1", "b-size", 0600));
        // An optional Secret that is missing leaves an empty volume, never every key of the run's Secret.
        assertThat(volumes.get(8).getSecret()).isNull();
        assertThat(volumes.get(8).getProjected().getSources()).isEmpty();

        Secret secret = kubelet.secret.get(5, TimeUnit.SECONDS);
        assertThat(secretValues(secret))
                .containsEntry("kbr-volume-1.0", "{\"key\": \"hunter2\"}")
                .containsEntry("kbr-volume-1.1", "p-1")
                .containsEntry("kbr-volume-3.0", "t0ken")
                .doesNotContainKeys("kbr-volume-2.0", "kbr-volume-3.1");
        ConfigMap input = kubelet.configMap.get(5, TimeUnit.SECONDS);
        assertThat(input.getBinaryData())
                .containsEntry("kbr-volume-2.0", Base64.getEncoder().encodeToString("eu".getBytes(UTF_8)))
                .containsEntry("kbr-volume-3.1", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2}))
                .doesNotContainKeys("kbr-volume-1.0", "kbr-volume-3.0");
        // Secret values reach the Pod only through the run's Secret.
        assertThat(pod.toString()).doesNotContain("hunter2").doesNotContain("t0ken");
        assertThat(input.toString()).doesNotContain("hunter2");
        assertEverythingDeleted();
    }

    @Test
    void fetchesOutputAndMetadataThroughExecAndDeletesEverything() throws Exception {
        Kubelet.start(pod -> succeededStatus());
        expectLogs("generate", "generated\n");
        expectLogs("publish", "published\n");
        expectOutputs(
                tar(
                        Map.of("output/app.yaml", "kind: App\n", "output/sub/b.yaml", "b: 1\n"),
                        Map.of("metadata/status.yaml", "message: ok\n")),
                0);

        PipelineResult result = runner.run(invocation(Duration.ofMinutes(10)));

        assertThat(result).isInstanceOf(PipelineResult.Succeeded.class);
        PipelineResult.Succeeded succeeded = (PipelineResult.Succeeded) result;
        assertThat(text(succeeded.output()))
                .containsExactlyEntriesOf(new TreeMap<>(Map.of("app.yaml", "kind: App\n", "sub/b.yaml", "b: 1\n")));
        assertThat(text(succeeded.metadata())).containsExactlyEntriesOf(Map.of("status.yaml", "message: ok\n"));
        assertThat(succeeded.logs())
                .containsExactly(
                        new ContainerLog("generate", 0, "generated\n"), new ContainerLog("publish", 0, "published\n"));
        assertEverythingDeleted();
    }

    @Test
    void aFailedInitContainerFailsTheRunWithItsExitCodeAndTheLogsOfThoseThatRan() throws Exception {
        Kubelet.start(pod -> new PodStatusBuilder()
                .withPhase("Failed")
                .withInitContainerStatuses(
                        terminated("reader", 0), terminated("generate", 3), waiting("publish", "PodInitializing"))
                .withContainerStatuses(waiting("kbr-outputs", "PodInitializing"))
                .build());
        expectLogs("generate", "no such template\n");

        PipelineResult result = runner.run(invocation(Duration.ofMinutes(10)));

        assertThat(result).isInstanceOf(PipelineResult.Failed.class);
        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("generate");
        assertThat(failed.reason()).isEqualTo("exited with code 3");
        assertThat(failed.logs()).containsExactly(new ContainerLog("generate", 3, "no such template\n"));
        assertEverythingDeleted();
    }

    @Test
    void timesOutWhileAContainerRunsAndStillDeletesThePod() throws Exception {
        Kubelet.start(pod -> new PodStatusBuilder()
                .withPhase("Pending")
                .withInitContainerStatuses(
                        terminated("reader", 0), running("generate"), waiting("publish", "PodInitializing"))
                .build());
        expectLogs("generate", "still working\n");

        // Long enough for the fake kubelet to have set the Pod's status on a loaded machine.
        PipelineResult result = runner.run(invocation(Duration.ofSeconds(3)));

        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("generate");
        assertThat(failed.reason()).isEqualTo("timed out after 3s");
        assertThat(failed.logs()).containsExactly(new ContainerLog("generate", -1, "still working\n"));
        assertEverythingDeleted();
    }

    @Test
    void aPodNeverScheduledTimesOutSayingWhy() throws Exception {
        Kubelet.start(pod -> new PodStatusBuilder()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                .endCondition()
                .build());

        // Long enough for the fake kubelet to have set the Pod's status on a loaded machine.
        PipelineResult result = runner.run(invocation(Duration.ofSeconds(3)));

        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("instance-configure");
        assertThat(failed.reason())
                .isEqualTo("timed out after 3s; the Pod was never scheduled: 0/3 nodes are available: 3 Insufficient"
                        + " memory.");
        assertThat(failed.logs()).isEmpty();
        assertEverythingDeleted();
    }

    @Test
    void anImageThatCannotBePulledFailsTheRunAtOnce() throws Exception {
        Kubelet.start(pod -> new PodStatusBuilder()
                .withPhase("Pending")
                .withInitContainerStatuses(
                        terminated("reader", 0),
                        waiting(
                                "generate",
                                "ImagePullBackOff",
                                "Back-off pulling image \"ghcr.io/example/generate:1.0\""))
                .build());

        PipelineResult result = runner.run(invocation(Duration.ofMinutes(10)));

        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("generate");
        assertThat(failed.reason())
                .isEqualTo("image ghcr.io/example/generate:1.0 could not be pulled (ImagePullBackOff: Back-off pulling"
                        + " image \"ghcr.io/example/generate:1.0\"); check the image name and the Pipeline's"
                        + " spec.imagePullSecrets");
        assertThat(result.duration()).isLessThan(Duration.ofMinutes(1));
        assertEverythingDeleted();
    }

    @Test
    void rejectsAFieldNeitherRunnerHonoursWithTheDockerRunnersWords() throws Exception {
        Pipeline pipeline = UnhonouredFieldFixture.privilegedPipeline("instance-configure", "ghcr.io/example/x:1");

        PipelineResult result = runner.run(invocation(pipeline, Duration.ofMinutes(10)));

        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("privileged");
        assertThat(failed.reason()).isEqualTo(UnhonouredFieldFixture.PRIVILEGED_REJECTED);
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void unsafeOutputFailsTheRun() throws Exception {
        Kubelet.start(pod -> succeededStatus());
        expectLogs("generate", "");
        expectLogs("publish", "");
        expectOutputs(symlinkTar(), 0);

        PipelineResult result = runner.run(invocation(Duration.ofMinutes(10)));

        PipelineResult.Failed failed = (PipelineResult.Failed) result;
        assertThat(failed.container()).isEqualTo("instance-configure");
        assertThat(failed.reason())
                .startsWith("produced unsafe output: Output entry `kratix/output/link` is a symbolic link");
        assertThat(failed.logs()).extracting(ContainerLog::container).containsExactly("generate", "publish");
        assertEverythingDeleted();
    }

    @Test
    void outputOverTheLimitFailsTheRun() throws Exception {
        Kubelet.start(pod -> succeededStatus());
        expectLogs("generate", "");
        expectLogs("publish", "");
        expectOutputs(tar(Map.of("output/big.yaml", "x".repeat(2000)), Map.of()), 0);

        PipelineResult.Failed failed = (PipelineResult.Failed) runner.run(invocation(Duration.ofMinutes(10)));

        assertThat(failed.reason()).contains("has 2000 bytes, more than the limit of 1024 bytes per file");
        assertEverythingDeleted();
    }

    @Test
    void unreadableOutputFailsTheRunWithTarsMessage() throws Exception {
        Kubelet.start(pod -> succeededStatus());
        expectLogs("generate", "");
        expectLogs("publish", "");
        server.expect()
                .get()
                .withPath(execPath())
                .andUpgradeToWebSocket()
                .open(
                        new ErrorStreamMessage("tar: can't open 'kratix/output/key.pem': Permission denied"),
                        new StatusMessage(new StatusBuilder()
                                .withStatus("Failure")
                                .withReason("NonZeroExitCode")
                                .withNewDetails()
                                .addNewCause()
                                .withReason("ExitCode")
                                .withMessage("1")
                                .endCause()
                                .endDetails()
                                .build()))
                .done()
                .always();

        PipelineResult.Failed failed = (PipelineResult.Failed) runner.run(invocation(Duration.ofMinutes(10)));

        assertThat(failed.container()).isEqualTo("instance-configure");
        assertThat(failed.reason())
                .startsWith("kbr could not copy /kratix/output and /kratix/metadata out of the pipeline Pod: tar exited"
                        + " with code 1: tar: can't open 'kratix/output/key.pem': Permission denied; pipeline files"
                        + " must be readable by other users");
        assertEverythingDeleted();
    }

    @Test
    void leftoversOfDeadRunsAreRemovedAndLiveRunsKept() throws Exception {
        // Owner Pod gone: a leftover.
        createManagedPod(
                "kratix-a-aaaaa", Map.of("dev.kbr.run", "other-host:1:1", "dev.kbr.owner-pod", NAMESPACE + "/kbr-old"));
        // Owner Pod ended: a leftover.
        createPod("kbr-done", Map.of(), Map.of(), "Succeeded");
        createManagedPod(
                "kratix-b-bbbbb",
                Map.of("dev.kbr.run", "other-host:2:2", "dev.kbr.owner-pod", NAMESPACE + "/kbr-done"));
        // Owner Pod still running: kept.
        createPod("kbr-live", Map.of(), Map.of(), "Running");
        createManagedPod(
                "kratix-c-ccccc",
                Map.of("dev.kbr.run", "other-host:3:3", "dev.kbr.owner-pod", NAMESPACE + "/kbr-live"));
        // Owner on another host, not a Pod here: kept until it is a day old.
        createManagedPod("kratix-d-ddddd", Map.of("dev.kbr.run", "laptop:4:4"));
        // This process: alive, kept.
        createManagedPod(
                "kratix-e-eeeee", Map.of("dev.kbr.run", RunOwner.current().label()));
        client.configMaps()
                .inNamespace(NAMESPACE)
                .resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("kratix-a-aaaaa")
                        .endMetadata()
                        .build())
                .create();

        List<String> removed = runner.removeLeftovers(Instant.now());

        assertThat(removed).containsExactlyInAnyOrder("kratix-a-aaaaa", "kratix-b-bbbbb");
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "kbr-done", "kbr-live", "kratix-c-ccccc", "kratix-d-ddddd", "kratix-e-eeeee");
        assertThat(client.configMaps()
                        .inNamespace(NAMESPACE)
                        .withName("kratix-a-aaaaa")
                        .get())
                .isNull();

        assertThat(runner.removeLeftovers(Instant.now().plus(Duration.ofHours(25))))
                .as("a day later the foreign owner's Pod counts as a leftover")
                .containsExactly("kratix-d-ddddd");
    }

    @Test
    void aContainerNamedLikeKbrsOwnFailsBeforeAnythingIsCreated() throws Exception {
        PipelineInvocation invocation = invocation(
                Duration.ofMinutes(1),
                List.of(new Container(
                        "reader", "example/reader:1", List.of(), List.of(), List.of(), Optional.empty())));

        PipelineResult.Failed failed = (PipelineResult.Failed) runner.run(invocation);

        assertThat(failed.container()).isEqualTo("reader");
        assertThat(failed.reason()).contains("is used by kbr's own containers");
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    // --- the fake kubelet and expectations

    /** Plays the kubelet: waits for the run's Pod, records it and its ConfigMap and Secret, sets its status. */
    private static final class Kubelet {
        final CompletableFuture<Pod> pod = new CompletableFuture<>();
        final CompletableFuture<ConfigMap> configMap = new CompletableFuture<>();
        final CompletableFuture<Secret> secret = new CompletableFuture<>();

        static Kubelet start(Function<Pod, PodStatus> status) {
            Kubelet kubelet = new Kubelet();
            Thread thread = new Thread(() -> kubelet.run(status), "fake-kubelet");
            thread.setDaemon(true);
            thread.start();
            return kubelet;
        }

        private void run(Function<Pod, PodStatus> status) {
            try {
                // Generous: the class's first run also starts the mock server's and client's
                // machinery, which took over 9 s on a loaded machine.
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                Pod created = null;
                while (created == null && System.nanoTime() < end) {
                    created = client.pods().inNamespace(NAMESPACE).withName(POD).get();
                    Thread.sleep(5);
                }
                pod.complete(created);
                ConfigMap input = null;
                while (input == null && System.nanoTime() < end) {
                    input = client.configMaps()
                            .inNamespace(NAMESPACE)
                            .withName(POD)
                            .get();
                    Thread.sleep(5);
                }
                configMap.complete(input);
                Secret values =
                        client.secrets().inNamespace(NAMESPACE).withName(POD).get();
                if (values == null) {
                    Thread.sleep(50);
                    values = client.secrets()
                            .inNamespace(NAMESPACE)
                            .withName(POD)
                            .get();
                }
                secret.complete(values);
                Pod withStatus = new PodBuilder(created)
                        .withStatus(status.apply(created))
                        .build();
                client.pods().inNamespace(NAMESPACE).resource(withStatus).updateStatus();
            } catch (Exception e) {
                pod.completeExceptionally(e);
                configMap.completeExceptionally(e);
                secret.completeExceptionally(e);
            }
        }
    }

    private static PodStatus succeededStatus() {
        return new PodStatusBuilder()
                .withPhase("Running")
                .withInitContainerStatuses(terminated("reader", 0), terminated("generate", 0), terminated("publish", 0))
                .withContainerStatuses(running("kbr-outputs"))
                .build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus terminated(String name, int code) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewTerminated()
                .withExitCode(code)
                .withReason(code == 0 ? "Completed" : "Error")
                .endTerminated()
                .endState()
                .build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus running(String name) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus waiting(String name, String reason) {
        return waiting(name, reason, null);
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus waiting(String name, String reason, String message) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .build();
    }

    private static void expectLogs(String container, String text) {
        server.expect()
                .get()
                .withPath(
                        "/api/v1/namespaces/" + NAMESPACE + "/pods/" + POD + "/log?pretty=false&container=" + container)
                .andReturn(200, text)
                .always();
    }

    private static void expectOutputs(byte[] tar, int exitCode) {
        byte[] framed = new byte[tar.length + 1];
        framed[0] = 1; // stdout channel
        System.arraycopy(tar, 0, framed, 1, tar.length);
        // Method given: in CRUD mode only expectations with a method take precedence.
        server.expect()
                .get()
                .withPath(execPath())
                .andUpgradeToWebSocket()
                .open(new WebSocketMessage(framed), new StatusMessage(exitCode))
                .done()
                .always();
    }

    private static String execPath() {
        return "/api/v1/namespaces/" + NAMESPACE + "/pods/" + POD
                + "/exec?command=tar&command=-c&command=-f&command=-&command=-C&command=%2F"
                + "&command=kratix%2Foutput&command=kratix%2Fmetadata&container=kbr-outputs&stdout=true&stderr=true";
    }

    private void assertEverythingDeleted() {
        assertThat(client.pods().inNamespace(NAMESPACE).withName(POD).get()).isNull();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName(POD).get())
                .isNull();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(POD).get()).isNull();
    }

    private static void createManagedPod(String name, Map<String, String> annotations) {
        createPod(name, Map.of("dev.kbr.managed", "true"), annotations, "Running");
    }

    private static void createPod(
            String name, Map<String, String> labels, Map<String, String> annotations, String phase) {
        Pod pod = client.pods()
                .inNamespace(NAMESPACE)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .withAnnotations(annotations)
                        .endMetadata()
                        .build())
                .create();
        pod.setStatus(new PodStatusBuilder().withPhase(phase).build());
        client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }

    // --- inputs

    private static PipelineInvocation invocation(Duration timeout) throws Exception {
        ObjectNode document = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(PIPELINE_YAML);
        List<Container> containers = List.of(
                new Container(
                        "generate",
                        "ghcr.io/example/generate:1.0",
                        List.of("/bin/generate"),
                        List.of("--name=$(KRATIX_OBJECT_NAME)"),
                        // As the engine passes them: Secret values resolved, reference kept.
                        List.of(
                                new EnvVar("MODE", "fast"),
                                new EnvVar(
                                        "TOKEN",
                                        "s3cr3t",
                                        Optional.of(new SecretKeyRef("redis-token", "token", false))),
                                new EnvVar(
                                        "GREETING",
                                        "$(MODE) stays",
                                        Optional.empty(),
                                        Optional.of(new ConfigMapKeyRef("settings", "greeting", false)))),
                        List.of(),
                        List.of(new VolumeMount("scratch", "/scratch", false)),
                        Optional.of("Always")),
                new Container(
                        "publish", "ghcr.io/example/publish:1.0", List.of(), List.of(), List.of(), Optional.empty()));
        Pipeline pipeline = new Pipeline(
                "instance-configure",
                Map.of("team", "data"),
                containers,
                List.of(new Volume("scratch")),
                document,
                SourceLocation.of("promise.yaml"));
        return invocation(pipeline, timeout);
    }

    private static PipelineInvocation invocation(Duration timeout, List<Container> containers) throws Exception {
        ObjectNode document = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(PIPELINE_YAML);
        return invocation(
                new Pipeline("instance-configure", Map.of(), containers, document, SourceLocation.of("promise.yaml")),
                timeout);
    }

    private static PipelineInvocation invocation(Pipeline pipeline, Duration timeout) {
        SortedMap<String, String> env = KratixEnvironment.of(
                WorkflowType.RESOURCE,
                WorkflowAction.CONFIGURE,
                "redis",
                pipeline,
                new GroupVersionKind("marketplace.kratix.io", "v1alpha1", "Redis"),
                "example",
                "default",
                "redis");
        return new PipelineInvocation(
                "redis/default/example resource.configure instance-configure",
                pipeline,
                OBJECT_YAML.getBytes(UTF_8),
                env,
                timeout);
    }

    // --- helpers

    private static byte[] tar(Map<String, String> output, Map<String, String> metadata) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        output.forEach((path, text) -> files.put("kratix/" + path, text.getBytes(UTF_8)));
        metadata.forEach((path, text) -> files.put("kratix/" + path, text.getBytes(UTF_8)));
        return TarTrees.write(files, new TreeSet<>(List.of("kratix/output", "kratix/metadata")));
    }

    private static byte[] symlinkTar() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            var link = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(
                    "kratix/output/link", org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static Map<String, String> env(io.fabric8.kubernetes.api.model.Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }

    private static Map<String, String> secretValues(Secret secret) {
        Map<String, String> values = new TreeMap<>();
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        if (secret.getData() != null) {
            secret.getData()
                    .forEach((k, v) ->
                            values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return values;
    }

    private static Map<String, String> text(SortedMap<String, byte[]> files) {
        Map<String, String> text = new TreeMap<>();
        files.forEach((path, content) -> text.put(path, new String(content, UTF_8)));
        return text;
    }
}
