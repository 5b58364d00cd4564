package dev.kbr.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import dev.kbr.cli.Main;
import dev.kbr.testsupport.GitWork;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.StatusMessage;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's CronJob, run as rendered: {@code helm template} (helm-java) with a platform repo URL
 * and a state store URL, then the CronJob container's own args are given to kbr (only the two
 * absolute container paths, {@code --secrets-dir} and {@code --cache-dir}, point at test folders)
 * against fabric8's mock API server (no cluster can run here). A fake kubelet completes each
 * pipeline Pod kbr creates and serves its {@code /kratix/output} through exec, so the pass goes
 * from the rendered command line through the Kubernetes runner to a commit in the state store.
 */
@EnableKubernetesMockClient(crud = true)
class ChartCronJobIT {
    private static final String NAMESPACE = "kratix-platform";
    private static final Path SEEDS = Path.of("../fixtures/platforms/seeds");

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path tmp;

    @Test
    void theRenderedCronJobAppliesThePlatformThroughTheKubernetesRunner() throws Exception {
        // The platform as a Git repo (the chart takes a URL), and an empty state store.
        Path platform = tmp.resolve("platform");
        Trees.copy(SEEDS, platform);
        GitWork.commitAll(platform, "seeds");
        Path state = tmp.resolve("state.git");
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", state.toString());

        Path values = tmp.resolve("values.yaml");
        Files.writeString(values, """
                platform:
                  url: %s
                kbr:
                  stateUrls:
                    default: %s
                """.formatted(platform.toUri(), state.toUri()));
        JsonNode cronJob = renderCronJob(values);
        JsonNode container = cronJob.at("/spec/jobTemplate/spec/template/spec/containers/0");
        List<String> args = new ArrayList<>();
        for (JsonNode arg : container.path("args")) {
            String a = arg.asText();
            if (a.startsWith("--secrets-dir=")) {
                a = "--secrets-dir=" + Files.createDirectories(tmp.resolve("secrets"));
            } else if (a.startsWith("--cache-dir=")) {
                a = "--cache-dir=" + Files.createDirectories(tmp.resolve("cache"));
            }
            args.add(a);
        }
        assertThat(args).startsWith("apply").contains("--runner=kubernetes", "--kubernetes-namespace=" + NAMESPACE);

        Map<String, Pod> seen = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread kubelet = new Thread(() -> playKubelet(seen, stop), "fake-kubelet");
        kubelet.setDaemon(true);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        Map<String, String> previous = useMockServer();
        try {
            kubelet.start();
            exit = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        } finally {
            stop.set(true);
            kubelet.join(TimeUnit.SECONDS.toMillis(10));
            restore(previous);
        }
        assertThat(exit).as("kbr apply:\n%s\n%s", out, err).isZero();
        assertThat(out.toString()).contains("Apply complete:").contains("Platform: " + platform.toUri());

        // Every pipeline ran as a Pod in the release namespace, labelled as Kratix labels its
        // pipeline Pods, and nothing was left behind.
        assertThat(seen).isNotEmpty();
        for (Pod pod : seen.values()) {
            assertThat(pod.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
            assertThat(pod.getMetadata().getLabels())
                    .containsKeys("kratix.io/promise-name", "kratix.io/workflow-type", "kratix.io/pipeline-name")
                    .containsEntry("dev.kbr.managed", "true");
        }
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).isEmpty();

        // The state store holds what the fake kubelet's Pods wrote, one file per pipeline Pod,
        // and the commit names the platform commit it applied.
        StateRepo repo = StateRepo.existing(state, tmp);
        List<String> delivered = repo.tree().stream()
                .filter(p -> p.contains("kbr-chart-") && !p.startsWith(".kbr/"))
                .toList();
        System.out.println("ChartCronJobIT: pipeline-pods=" + seen.size() + " delivered-files=" + delivered.size());
        assertThat(delivered).hasSizeGreaterThanOrEqualTo(seen.size());
        String platformCommit =
                Processes.check(platform, "git", "rev-parse", "HEAD").strip();
        assertThat(Processes.check(tmp, "git", "--git-dir", state.toString(), "log", "-1", "--format=%B"))
                .contains("Platform-Commit: " + platformCommit);
    }

    /** The CronJob that {@code helm template} renders for {@code values}. */
    private static JsonNode renderCronJob(Path values) throws IOException {
        String manifests = new Helm(ChartFiles.chart())
                .template()
                .withName("kbr")
                .withNamespace(NAMESPACE)
                .withKubeVersion("v1.31.0")
                .withValuesFile(values)
                .call();
        try (MappingIterator<JsonNode> docs =
                new YAMLMapper().readerFor(JsonNode.class).readValues(manifests)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.path("kind").asText().equals("CronJob")) {
                    return doc;
                }
            }
        }
        throw new AssertionError("no CronJob rendered:\n" + manifests);
    }

    /**
     * Plays the kubelet for every pipeline Pod kbr creates: serves each container's log and, from
     * kbr's helper container, a {@code /kratix} tar holding one ConfigMap named after the Pod's
     * Kratix labels; then marks the init containers done and the helper running.
     */
    private static void playKubelet(Map<String, Pod> seen, AtomicBoolean stop) {
        Set<String> done = ConcurrentHashMap.newKeySet();
        while (!stop.get()) {
            try {
                for (Pod pod : client.pods()
                        .inNamespace(NAMESPACE)
                        .withLabel("dev.kbr.managed", "true")
                        .list()
                        .getItems()) {
                    String name = pod.getMetadata().getName();
                    if (!done.add(name)) {
                        continue;
                    }
                    seen.put(name, pod);
                    complete(pod);
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The API may refuse while kbr deletes a Pod; the next round sees the rest.
            }
        }
    }

    private static void complete(Pod pod) throws IOException {
        String name = pod.getMetadata().getName();
        Map<String, String> labels = pod.getMetadata().getLabels();
        String object = labels.getOrDefault("kratix.io/resource-name", "promise");
        String configMap = ("kbr-chart-" + labels.get("kratix.io/promise-name") + "-" + object + "-"
                        + labels.get("kratix.io/pipeline-name"))
                .toLowerCase(java.util.Locale.ROOT);
        byte[] tar = tar(Map.of("kratix/output/" + configMap + ".yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: %s
                          namespace: default
                        data:
                          pod: %s
                        """.formatted(configMap, name)));
        byte[] framed = new byte[tar.length + 1];
        framed[0] = 1; // the exec stream's stdout channel
        System.arraycopy(tar, 0, framed, 1, tar.length);
        String base = "/api/v1/namespaces/" + NAMESPACE + "/pods/" + name;
        List<ContainerStatus> initStatuses = new ArrayList<>();
        for (var container : pod.getSpec().getInitContainers()) {
            server.expect()
                    .get()
                    .withPath(base + "/log?pretty=false&container=" + container.getName())
                    .andReturn(200, "ran " + container.getName() + "\n")
                    .always();
            initStatuses.add(new ContainerStatusBuilder()
                    .withName(container.getName())
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(0)
                    .withReason("Completed")
                    .endTerminated()
                    .endState()
                    .build());
        }
        String helper = pod.getSpec().getContainers().get(0).getName();
        StringBuilder exec = new StringBuilder(base + "/exec?");
        for (String part : List.of("tar", "-c", "-f", "-", "-C", "/", "kratix/output", "kratix/metadata")) {
            exec.append("command=")
                    .append(URLEncoder.encode(part, StandardCharsets.UTF_8))
                    .append('&');
        }
        exec.append("container=").append(helper).append("&stdout=true&stderr=true");
        server.expect()
                .get()
                .withPath(exec.toString())
                .andUpgradeToWebSocket()
                .open(new WebSocketMessage(framed), new StatusMessage(0))
                .done()
                .always();
        Pod running = new PodBuilder(pod)
                .withStatus(new PodStatusBuilder()
                        .withPhase("Running")
                        .withInitContainerStatuses(initStatuses)
                        .withContainerStatuses(new ContainerStatusBuilder()
                                .withName(helper)
                                .withNewState()
                                .withNewRunning()
                                .endRunning()
                                .endState()
                                .build())
                        .build())
                .build();
        client.pods().inNamespace(NAMESPACE).resource(running).updateStatus();
    }

    private static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (String dir : List.of("kratix/output/", "kratix/metadata/")) {
                tar.putArchiveEntry(new TarArchiveEntry(dir));
                tar.closeArchiveEntry();
            }
            for (var file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Points fabric8's auto-configuration (what {@code kbr} uses) at the mock server, as a Pod's
     * service account would point it at the cluster.
     *
     * @return the previous values, for {@link #restore}
     */
    private static Map<String, String> useMockServer() {
        Map<String, String> set = Map.of(
                "kubernetes.master", client.getMasterUrl().toString(),
                "kubernetes.trust.certificates", "true",
                "kubernetes.auth.tryKubeConfig", "false",
                "kubernetes.auth.tryServiceAccount", "false",
                "kubernetes.namespace", NAMESPACE);
        Map<String, String> previous = new java.util.HashMap<>();
        set.forEach((k, v) -> {
            previous.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
        return previous;
    }

    private static void restore(Map<String, String> previous) {
        previous.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }
}
