package dev.kbr.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.kbr.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Renders {@code charts/kbr} with Helm's own template engine (helm-java, offline: no cluster) for
 * the chart's example values and asserts the manifests: the CronJob's schedule and limits, the
 * Secrets mounted in kbr's {@code --secrets-dir} layout, the security context, RBAC equal to what
 * the Kubernetes runner needs, and container args that kbr's own command line accepts.
 */
class ChartTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String NAMESPACE = "kratix-platform";
    private static final Path CHART = ChartFiles.chart();
    private static final String KUBE_VERSION = "v1.31.0";

    /** The Kubernetes runner's RBAC (issue 6 contract): resource to verbs, in the core API group. */
    private static final Map<String, List<String>> RUNNER_RBAC = Map.of(
            "pods", List.of("create", "get", "list", "delete"),
            "pods/log", List.of("get"),
            "pods/exec", List.of("create", "get"),
            "configmaps", List.of("create", "delete"),
            "secrets", List.of("create", "delete"));

    /** The objects {@code helm template} prints, in order. */
    private record Manifests(List<JsonNode> objects) {
        List<JsonNode> all(String kind) {
            return objects.stream()
                    .filter(o -> o.path("kind").asText().equals(kind))
                    .toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> found = all(kind);
            assertThat(found).as("rendered objects of kind %s", kind).hasSize(1);
            return found.get(0);
        }

        List<String> kinds() {
            return objects.stream().map(o -> o.path("kind").asText()).sorted().toList();
        }

        JsonNode podSpec() {
            return one("CronJob").at("/spec/jobTemplate/spec/template/spec");
        }

        JsonNode container() {
            JsonNode containers = podSpec().path("containers");
            assertThat(containers.size()).as("containers").isEqualTo(1);
            return containers.get(0);
        }

        List<String> args() {
            List<String> args = new ArrayList<>();
            container().path("args").forEach(a -> args.add(a.asText()));
            return args;
        }
    }

    private static String template(String release, Path values) {
        return new Helm(CHART)
                .template()
                .withName(release)
                .withNamespace(NAMESPACE)
                // helm-java assumes Kubernetes 1.20 unless told; the chart needs 1.21+.
                .withKubeVersion(KUBE_VERSION)
                .withValuesFile(values)
                .call();
    }

    private static Manifests render(String release, Path values) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(template(release, values))) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        }
        return new Manifests(objects);
    }

    private static Path example(String name) {
        return CHART.resolve("ci").resolve(name);
    }

    private static Manifests minimal() throws IOException {
        return render("kbr", example("minimal-values.yaml"));
    }

    private static Manifests full() throws IOException {
        return render("nightly", example("full-values.yaml"));
    }

    /** The example full values with {@code edit} applied to their tree, written to {@code dir}. */
    private static Path fullValuesWith(Path dir, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode values =
                (ObjectNode) YAML.readTree(example("full-values.yaml").toFile());
        edit.accept(values);
        Path file = dir.resolve("values.yaml");
        YAML.writeValue(file.toFile(), values);
        return file;
    }

    private static ParseResult parseWithKbr(List<String> args) {
        return Main.commandLine().parseArgs(args.toArray(String[]::new));
    }

    private static String option(ParseResult apply, String name) {
        assertThat(apply.hasMatchedOption(name)).as("option %s given", name).isTrue();
        List<String> values = apply.matchedOption(name).stringValues();
        return values.get(values.size() - 1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void defaultsRenderAServiceAccountRoleBindingAndOneCronJobInTheReleaseNamespace() throws IOException {
        Manifests m = minimal();

        assertThat(m.kinds()).containsExactly("CronJob", "Role", "RoleBinding", "ServiceAccount");
        for (JsonNode o : m.objects()) {
            assertThat(o.at("/metadata/namespace").asText())
                    .as("namespace of %s", o.path("kind"))
                    .isEqualTo(NAMESPACE);
            assertThat(o.at("/metadata/name").asText()).isEqualTo("kbr");
            assertThat(o.at("/metadata/labels/app.kubernetes.io~1name").asText())
                    .isEqualTo("kbr");
            assertThat(o.at("/metadata/labels/app.kubernetes.io~1instance").asText())
                    .isEqualTo("kbr");
            assertThat(o.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
                    .isEqualTo("Helm");
            assertThat(o.at("/metadata/labels/helm.sh~1chart").asText()).isEqualTo("kbr-0.1.0");
        }
        JsonNode cron = m.one("CronJob");
        assertThat(cron.path("apiVersion").asText()).isEqualTo("batch/v1");
        assertThat(cron.at("/spec/schedule").asText()).isEqualTo("*/15 * * * *");
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(cron.at("/spec/suspend").asBoolean(true)).isFalse();
        assertThat(cron.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cron.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cron.at("/spec/startingDeadlineSeconds").asInt()).isEqualTo(300);
        assertThat(cron.at("/spec/timeZone").isMissingNode()).isTrue();
        assertThat(cron.at("/spec/jobTemplate/spec/backoffLimit").asInt(-1)).isZero();
        assertThat(cron.at("/spec/jobTemplate/spec/activeDeadlineSeconds").asInt())
                .isEqualTo(3600);
        assertThat(cron.at("/spec/jobTemplate/spec/ttlSecondsAfterFinished").isMissingNode())
                .isTrue();

        JsonNode pod = m.podSpec();
        assertThat(pod.path("restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo("kbr");
        assertThat(pod.path("imagePullSecrets").isMissingNode()).isTrue();
        assertThat(m.container().path("image").asText()).isEqualTo("kbr:0.1.0-SNAPSHOT");
        assertThat(m.container().path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(m.container().at("/resources/requests/memory").asText()).isEqualTo("512Mi");
        assertThat(m.container().at("/resources/requests/cpu").asText()).isEqualTo("250m");
        assertThat(m.container().at("/resources/limits/memory").asText()).isEqualTo("1Gi");
        assertThat(m.args())
                .containsExactly(
                        "apply",
                        "--runner=kubernetes",
                        "--kubernetes-namespace=" + NAMESPACE,
                        "--platform=https://git.example.com/platform/kratix-platform.git",
                        "--secrets-dir=/var/run/kbr/secrets",
                        "--cache-dir=/var/cache/kbr",
                        "--pipeline-timeout=10m");
    }

    @Test
    void theRenderedCronJobRunsKbrApplyWithTheKubernetesRunner() throws IOException {
        for (Manifests m : List.of(minimal(), full())) {
            ParseResult parsed = parseWithKbr(m.args());
            assertThat(parsed.hasSubcommand())
                    .as("a subcommand in %s", m.args())
                    .isTrue();
            ParseResult apply = parsed.subcommand();
            assertThat(apply.commandSpec().name()).isEqualTo("apply");
            assertThat(apply.unmatched()).isEmpty();
            assertThat(option(apply, "--runner")).isEqualTo("kubernetes");
            assertThat(option(apply, "--kubernetes-namespace")).isEqualTo(NAMESPACE);
            assertThat(option(apply, "--platform")).matches("(ssh|https)://.+");

            // Where kbr looks is where the chart mounts: the Secrets under --secrets-dir, the
            // cache on a writable volume.
            String secretsDir = option(apply, "--secrets-dir");
            String cacheDir = option(apply, "--cache-dir");
            Map<String, String> mounts = new TreeMap<>();
            m.container()
                    .path("volumeMounts")
                    .forEach(v -> mounts.put(
                            v.path("mountPath").asText(), v.path("name").asText()));
            assertThat(mounts).containsEntry(cacheDir, "cache").containsEntry("/tmp", "tmp");
            assertThat(mounts.keySet())
                    .filteredOn(p -> !p.equals(cacheDir) && !p.equals("/tmp"))
                    .allSatisfy(p -> assertThat(p).startsWith(secretsDir + "/"));
        }
    }

    @Test
    void nonDefaultValuesReachTheCronJobAndKbrsOptions() throws IOException {
        Manifests m = full();
        assertThat(m.kinds()).containsExactly("CronJob", "Role", "RoleBinding", "Secret", "ServiceAccount");
        JsonNode cron = m.one("CronJob");
        assertThat(cron.at("/metadata/name").asText()).isEqualTo("nightly-kbr");
        assertThat(cron.at("/spec/schedule").asText()).isEqualTo("0 */2 * * *");
        assertThat(cron.at("/spec/timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(cron.at("/spec/suspend").asBoolean()).isTrue();
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(cron.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(5);
        assertThat(cron.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(7);
        assertThat(cron.at("/spec/startingDeadlineSeconds").asInt()).isEqualTo(120);
        assertThat(cron.at("/spec/jobTemplate/spec/backoffLimit").asInt()).isEqualTo(1);
        assertThat(cron.at("/spec/jobTemplate/spec/activeDeadlineSeconds").asInt())
                .isEqualTo(1800);
        assertThat(cron.at("/spec/jobTemplate/spec/ttlSecondsAfterFinished").asInt())
                .isEqualTo(86400);

        JsonNode pod = m.podSpec();
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo("kbr-runner");
        assertThat(m.one("ServiceAccount").at("/metadata/name").asText()).isEqualTo("kbr-runner");
        assertThat(m.one("ServiceAccount")
                        .at("/metadata/annotations/example.com~1owner")
                        .asText())
                .isEqualTo("platform-team");
        assertThat(pod.path("imagePullSecrets").findValuesAsText("name")).containsExactly("registry-creds");
        assertThat(pod.at("/nodeSelector/kubernetes.io~1os").asText()).isEqualTo("linux");
        assertThat(pod.at("/tolerations/0/key").asText()).isEqualTo("dedicated");
        assertThat(pod.at("/tolerations/0/effect").asText()).isEqualTo("NoSchedule");
        assertThat(pod.at("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
                                + "/nodeSelectorTerms/0/matchExpressions/0/values/0")
                        .asText())
                .isEqualTo("amd64");
        JsonNode podMeta = cron.at("/spec/jobTemplate/spec/template/metadata");
        assertThat(podMeta.at("/labels/team").asText()).isEqualTo("platform");
        assertThat(podMeta.at("/labels/app.kubernetes.io~1instance").asText()).isEqualTo("nightly");
        assertThat(podMeta.at("/annotations/example.com~1scrape").asText()).isEqualTo("false");

        JsonNode c = m.container();
        assertThat(c.path("image").asText()).isEqualTo("registry.example.com/platform/kbr:1.2.3");
        assertThat(c.path("imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(c.at("/resources/requests/cpu").asText()).isEqualTo("1");
        assertThat(c.at("/resources/limits/memory").asText()).isEqualTo("2Gi");
        Map<String, String> env = new LinkedHashMap<>();
        c.path("env")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        assertThat(env)
                .containsExactly(
                        Map.entry("HOME", "/tmp"),
                        Map.entry("KBR_POD_IP", ""),
                        Map.entry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70"));
        assertThat(c.at("/env/1/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("status.podIP");
        assertThat(pod.at("/volumes/1/persistentVolumeClaim/claimName").asText())
                .isEqualTo("kbr-cache");
        assertThat(pod.at("/volumes/1/name").asText()).isEqualTo("cache");

        assertThat(m.args())
                .containsExactly(
                        "apply",
                        "--runner=kubernetes",
                        "--kubernetes-namespace=" + NAMESPACE,
                        "--platform=ssh://git@git.example.com/platform/kratix-platform.git",
                        "--platform-ref=release-2026.11",
                        "--platform-secret=platform-ops/platform-repo",
                        "--secrets-dir=/var/run/kbr/secrets",
                        "--cache-dir=/var/cache/kbr",
                        "--state-url=default=https://git.example.com/platform/state.git",
                        "--state-url=prod=https://git.example.com/platform/state-prod.git",
                        "--pipeline-timeout=20m",
                        "--parallelism=4",
                        "--kubernetes-helper-image=registry.example.com/mirror/busybox:1.37",
                        "--reconcile-interval=1h",
                        "--max-delete-fraction=0.2");

        ParseResult apply = parseWithKbr(m.args()).subcommand();
        assertThat(option(apply, "--platform-ref")).isEqualTo("release-2026.11");
        assertThat(option(apply, "--platform-secret")).isEqualTo("platform-ops/platform-repo");
        Map<String, String> stateUrls = apply.matchedOption("--state-url").getValue();
        assertThat(stateUrls)
                .containsExactly(
                        Map.entry("default", "https://git.example.com/platform/state.git"),
                        Map.entry("prod", "https://git.example.com/platform/state-prod.git"));
        assertThat((Integer) apply.matchedOptionValue("--parallelism", null)).isEqualTo(4);
        assertThat(option(apply, "--kubernetes-helper-image")).isEqualTo("registry.example.com/mirror/busybox:1.37");
        assertThat((Double) apply.matchedOptionValue("--max-delete-fraction", null))
                .isEqualTo(0.2);
    }

    @Test
    void eachSecretIsMountedAtItsNamespaceAndNameWithTheKeysItNames() throws IOException {
        Manifests m = full();

        JsonNode created = m.one("Secret");
        assertThat(created.at("/metadata/name").asText()).isEqualTo("nightly-kbr-default-git-creds");
        assertThat(created.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(created.path("type").asText()).isEqualTo("Opaque");
        Map<String, String> stringData = new TreeMap<>();
        created.path("stringData")
                .properties()
                .forEach(e -> stringData.put(e.getKey(), e.getValue().asText()));
        assertThat(stringData).isEqualTo(Map.of("username", "kbr-bot", "password", "not-a-real-token"));

        Map<String, JsonNode> volumes = new TreeMap<>();
        m.podSpec().path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        Map<String, String> secretMounts = new TreeMap<>(); // mount path -> volume name
        for (JsonNode mount : m.container().path("volumeMounts")) {
            if (mount.path("mountPath").asText().startsWith("/var/run/kbr/secrets/")) {
                assertThat(mount.path("readOnly").asBoolean())
                        .as("read-only %s", mount)
                        .isTrue();
                secretMounts.put(
                        mount.path("mountPath").asText(), mount.path("name").asText());
            }
        }
        assertThat(secretMounts.keySet())
                .containsExactly(
                        "/var/run/kbr/secrets/default/git-creds",
                        "/var/run/kbr/secrets/platform-ops/platform-repo",
                        "/var/run/kbr/secrets/team-a/registry-token");

        JsonNode gitCreds = volumes.get(secretMounts.get("/var/run/kbr/secrets/default/git-creds"));
        assertThat(gitCreds.at("/secret/secretName").asText()).isEqualTo("nightly-kbr-default-git-creds");
        assertThat(gitCreds.at("/secret/defaultMode").asInt()).isEqualTo(0440);
        assertThat(gitCreds.at("/secret/items").findValuesAsText("key")).containsExactly("password", "username");
        assertThat(gitCreds.at("/secret/items").findValuesAsText("path")).containsExactly("password", "username");

        JsonNode platformRepo = volumes.get(secretMounts.get("/var/run/kbr/secrets/platform-ops/platform-repo"));
        assertThat(platformRepo.at("/secret/secretName").asText()).isEqualTo("kbr-platform-ssh");
        assertThat(platformRepo.at("/secret/items").findValuesAsText("key"))
                .containsExactly("sshPrivateKey", "knownHosts");
        assertThat(platformRepo.at("/secret/items").findValuesAsText("path"))
                .containsExactly("sshPrivateKey", "knownHosts");

        JsonNode registryToken = volumes.get(secretMounts.get("/var/run/kbr/secrets/team-a/registry-token"));
        assertThat(registryToken.at("/secret/secretName").asText()).isEqualTo("registry-token");
        assertThat(registryToken.at("/secret/items").isMissingNode())
                .as("every key of an existing Secret when keys is not given")
                .isTrue();
    }

    @Test
    void thePodRunsNonRootOnAReadOnlyRootWithWritableTmpAndCache() throws IOException {
        for (Manifests m : List.of(minimal(), full())) {
            JsonNode pod = m.podSpec().path("securityContext");
            assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.path("runAsUser").asInt()).isPositive();
            assertThat(pod.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");

            JsonNode c = m.container().path("securityContext");
            assertThat(c.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(c.path("runAsUser").asInt()).isPositive();
            assertThat(c.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(c.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(c.path("privileged").asBoolean(true)).isFalse();
            assertThat(strings(c.at("/capabilities/drop"))).containsExactly("ALL");
            assertThat(c.at("/capabilities/add").isMissingNode()).isTrue();
            assertThat(c.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");

            Map<String, JsonNode> volumes = new TreeMap<>();
            m.podSpec().path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
            assertThat(volumes.get("tmp").has("emptyDir")).isTrue();
            assertThat(m.container().path("volumeMounts").findValuesAsText("mountPath"))
                    .startsWith("/tmp", "/var/cache/kbr");
        }
        assertThat(minimal().podSpec().at("/securityContext/runAsUser").asInt()).isEqualTo(65532);
        assertThat(minimal().podSpec().at("/volumes/1/emptyDir/sizeLimit").asText())
                .isEqualTo("2Gi");
        assertThat(full().podSpec().at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
    }

    @Test
    void theRoleGrantsExactlyWhatTheKubernetesRunnerNeedsAndOnlyInItsNamespace() throws IOException {
        for (Manifests m : List.of(minimal(), full())) {
            assertThat(m.kinds()).doesNotContain("ClusterRole", "ClusterRoleBinding");

            JsonNode role = m.one("Role");
            Map<String, List<String>> granted = new TreeMap<>();
            for (JsonNode rule : role.path("rules")) {
                assertThat(strings(rule.path("apiGroups")))
                        .as("apiGroups of %s", rule)
                        .containsExactly("");
                assertThat(rule.has("resourceNames")).isFalse();
                assertThat(rule.has("nonResourceURLs")).isFalse();
                for (String resource : strings(rule.path("resources"))) {
                    assertThat(granted.put(resource, strings(rule.path("verbs"))))
                            .as("%s granted once", resource)
                            .isNull();
                }
            }
            assertThat(granted).isEqualTo(new TreeMap<>(RUNNER_RBAC));

            JsonNode binding = m.one("RoleBinding");
            assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
            assertThat(binding.at("/roleRef/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
            assertThat(binding.at("/roleRef/name").asText())
                    .isEqualTo(role.at("/metadata/name").asText());
            assertThat(binding.path("subjects").size()).isEqualTo(1);
            JsonNode subject = binding.at("/subjects/0");
            JsonNode serviceAccount = m.one("ServiceAccount");
            assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
            assertThat(subject.path("name").asText())
                    .isEqualTo(serviceAccount.at("/metadata/name").asText())
                    .isEqualTo(m.podSpec().path("serviceAccountName").asText());
            assertThat(subject.path("namespace").asText()).isEqualTo(NAMESPACE);
        }
    }

    @Test
    void rbacAndServiceAccountCanBeLeftToTheCluster(@TempDir Path tmp) throws IOException {
        Manifests m = render("kbr", fullValuesWith(tmp, v -> {
            v.putObject("rbac").put("create", false);
            v.putObject("serviceAccount").put("create", false).put("name", "platform-bot");
        }));
        assertThat(m.kinds()).containsExactly("CronJob", "Secret");
        assertThat(m.podSpec().path("serviceAccountName").asText()).isEqualTo("platform-bot");
    }

    @Test
    void renderingIsDeterministic() {
        assertThat(template("nightly", example("full-values.yaml")))
                .isEqualTo(template("nightly", example("full-values.yaml")));
    }

    @Test
    void refusesValuesTheSchemaOrTheChartRejectsNamingTheValue(@TempDir Path tmp) throws IOException {
        assertRenderFails(tmp, v -> v.putObject("platform"), "platform.url is required");
        assertRenderFails(tmp, v -> v.put("concurrencyPolicy", "Sometimes"), "concurrencyPolicy");
        assertRenderFails(tmp, v -> v.put("schedulle", "* * * * *"), "schedulle");
        assertRenderFails(
                tmp, v -> ((ObjectNode) v.path("securityContext")).put("runAsNonRoot", false), "runAsNonRoot");
        assertRenderFails(
                tmp,
                v -> ((ObjectNode) v.path("securityContext")).put("allowPrivilegeEscalation", true),
                "allowPrivilegeEscalation");
        assertRenderFails(
                tmp, v -> ((ObjectNode) v.path("kbr")).put("pipelineTimeout", "ten minutes"), "pipelineTimeout");
        assertRenderFails(
                tmp,
                v -> ((ObjectNode) v.path("platform")).put("secret", "default/unlisted"),
                "platform.secret default/unlisted is not in secrets");
        assertRenderFails(
                tmp,
                v -> v.withArray("secrets")
                        .addObject()
                        .put("namespace", "team-a")
                        .put("name", "registry-token"),
                "secrets[3]: team-a/registry-token is listed twice");
        assertRenderFails(
                tmp,
                v -> ((ObjectNode) v.withArray("secrets").get(0)).put("existingSecret", "other"),
                "secrets[0] (default/git-creds): set either stringData");
    }

    private static void assertRenderFails(Path tmp, Consumer<ObjectNode> edit, String message) throws IOException {
        Path values = fullValuesWith(tmp, edit);
        assertThatThrownBy(() -> template("nightly", values))
                .as("rendering with a bad value (%s)", message)
                .hasMessageContaining(message);
    }

    @Test
    void helmLintFindsNothingWithTheMinimalValues(@TempDir Path tmp) throws IOException {
        // helm lint reads the chart's own values.yaml, which leaves platform.url to the user, so
        // lint a copy whose values.yaml is the minimal example laid over the defaults.
        Path copy = tmp.resolve("kbr");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        ObjectNode values =
                (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
        values.set(
                "platform",
                YAML.readTree(example("minimal-values.yaml").toFile()).path("platform"));
        YAML.writeValue(copy.resolve("values.yaml").toFile(), values);

        LintResult lint = new Helm(copy).lint().strict().call();
        assertThat(lint.getMessages()).as("helm lint --strict messages").noneMatch(s -> s.contains("[ERROR]"));
        assertThat(lint.getMessages()).noneMatch(s -> s.contains("[WARNING]"));
        assertThat(lint.isFailed())
                .as("helm lint --strict failed: %s", lint.getMessages())
                .isFalse();
    }

    @Test
    void optionsTheChartPassesAreKbrOptions() {
        // A chart arg kbr does not know would fail every scheduled run; picocli refuses it here.
        CommandLine cli = Main.commandLine();
        try {
            cli.parseArgs("apply", "--runner=kubernetes", "--platform=x", "--no-such-option=1");
            fail("picocli accepted an unknown option");
        } catch (CommandLine.UnmatchedArgumentException expected) {
            assertThat(expected.getMessage()).contains("--no-such-option");
        }
    }
}
