package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pipelines that talk to the platform through the API kbr serves during a pass, run on the
 * Docker engine with the images {@code ci/build-fixture-images} builds from a Debian base: the seeds'
 * Python pipelines on Kratix's Python SDK, the marketplace's {@code namespace-claim} unchanged, a
 * compound Promise that waits for its sub-request with {@code kubectl}, and a pipeline doing what it
 * may not. Each test applies {@code fixtures/platforms/platform-api} with some of the requests of
 * {@code platform-api-requests} to a real bare Git repo.
 */
class PlatformApiPipelinesIT {
    private static final Path PLATFORM = SharedFiles.repoRoot().resolve("fixtures/platforms/platform-api");
    private static final Path REQUESTS = SharedFiles.repoRoot().resolve("fixtures/platforms/platform-api-requests");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private StateRepo repo;
    private Path platform;

    @BeforeEach
    void platformAndStateRepo() throws Exception {
        repo = StateRepo.bare(Files.createDirectories(tmp.resolve("state")));
        platform = Trees.copy(PLATFORM, tmp.resolve("platform"));
        Files.createDirectories(platform.resolve("requests"));
    }

    private void request(String file) throws Exception {
        Files.copy(REQUESTS.resolve(file), platform.resolve("requests").resolve(file));
    }

    private StateRepo.Run kbr(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--platform", platform.toString()));
        return repo.run(all);
    }

    private JsonNode status(String name) throws Exception {
        StateRepo.Run status = kbr("status", "--output", "json");
        assertThat(status.exitCode()).as(status.out()).isZero();
        JsonNode root = JSON.readTree(status.out());
        return StreamSupport.stream(root.path("objects").spliterator(), false)
                .filter(o -> o.path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + status.out()))
                .path("status");
    }

    /** Rewrites the platform's copy of the forbidden Promise, which must change. */
    private void editForbiddenPromise(java.util.function.UnaryOperator<String> edit) throws Exception {
        Path promise = platform.resolve("promises/forbidden/promise.yaml");
        String original = Files.readString(promise, StandardCharsets.UTF_8);
        String edited = edit.apply(original);
        assertThat(edited).isNotEqualTo(original);
        Files.writeString(promise, edited);
    }

    private List<String> treeUnder(String prefix) throws Exception {
        return repo.tree().stream().filter(p -> p.startsWith(prefix)).toList();
    }

    @Test
    void seed001sPythonPipelineDeliversItsDatabaseAndStatus() throws Exception {
        request("database.yaml");

        StateRepo.Run apply = kbr("apply");

        assertThat(apply.exitCode()).as(apply.out()).isZero();
        List<String> files = treeUnder("worker-1/resources/default/database/");
        assertThat(files).as(repo.tree().toString()).anyMatch(p -> p.endsWith("/database.yaml"));
        String database = repo.show(files.stream()
                .filter(p -> p.endsWith("/database.yaml"))
                .findFirst()
                .orElseThrow());
        assertThat(database).contains("kind: postgresql").contains("enableLogicalBackup: true");
        assertThat(status("example-database").path("teamId").asText()).isEqualTo("kratix");
    }

    @Test
    void aPublishedStatusAndStatusYamlBothReachKbrStatus() throws Exception {
        request("redis.yaml");

        StateRepo.Run apply = kbr("apply");

        assertThat(apply.exitCode()).as(apply.out()).isZero();
        JsonNode status = status("example-redis");
        // publish_status sent replicas and stage mid-pipeline; status.yaml's stage, merged after
        // the pipeline as Kratix does, wins.
        assertThat(status.path("replicas").asInt()).as(status.toString()).isEqualTo(1);
        assertThat(status.path("stage").asText()).isEqualTo("provisioning");
        assertThat(kbr("plan", "--detailed-exitcode").exitCode()).isZero();
    }

    @Test
    void namespaceClaimsShareOneRequestCreatedThroughTheApiUntilTheLastClaimGoes() throws Exception {
        request("namespace-claim.yaml");
        Path second = platform.resolve("requests/team-b-claim.yaml");
        Files.writeString(
                second,
                Files.readString(platform.resolve("requests/namespace-claim.yaml"))
                        .replace("team-a-claim", "team-b-claim"));

        StateRepo.Run apply = kbr("apply");

        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(apply.out()).contains("created namespace/default/shared-team-namespace through the platform API");
        String namespaceFiles = "worker-1/resources/default/namespace/shared-team-namespace/";
        assertThat(treeUnder(namespaceFiles)).as(repo.tree().toString()).isNotEmpty();
        assertThat(repo.show(".kbr/objects/namespace/resources/default/shared-team-namespace.json"))
                .contains("\"createdThroughApi\" : true");
        StateRepo.Run again = kbr("plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.out()).isZero();

        Files.delete(second);
        StateRepo.Run oneGone = kbr("apply");
        assertThat(oneGone.exitCode()).as(oneGone.out()).isZero();
        assertThat(oneGone.out())
                .contains("team-b-claim resource.delete claim-release")
                .doesNotContain("deleted namespace/default/shared-team-namespace");
        assertThat(treeUnder(namespaceFiles)).isNotEmpty();

        Files.delete(platform.resolve("requests/namespace-claim.yaml"));
        StateRepo.Run bothGone = kbr("apply");
        assertThat(bothGone.exitCode()).as(bothGone.out()).isZero();
        assertThat(bothGone.out()).contains("deleted namespace/default/shared-team-namespace through the platform API");
        assertThat(treeUnder(namespaceFiles)).isEmpty();
        assertThat(repo.tree()).noneMatch(p -> p.contains("shared-team-namespace"));
    }

    @Test
    void aCompoundPromiseWaitingForItsSubRequestConvergesInOneApply() throws Exception {
        request("webstack.yaml");

        StateRepo.Run apply = kbr("apply");

        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(apply.out()).contains("runs again in this pass: the sub-requests it waits for were reconciled");
        JsonNode status = status("shop");
        assertThat(status.path("conditions").toString()).contains("ConfigureWorkflowCompleted");
        assertThat(treeUnder("worker-1/resources/default/webstack/shop/")).isNotEmpty();
        StateRepo.Run again = kbr("plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.out()).isZero();
    }

    @Test
    void aCallThePipelineMayNotMakeIsRefusedAndReported() throws Exception {
        request("forbidden.yaml");

        StateRepo.Run apply = kbr("apply");

        assertThat(apply.exitCode()).as(apply.out()).isNotZero();
        assertThat(apply.out())
                .contains("Forbidden")
                .contains("the platform API refused")
                .contains("secrets");
    }

    @Test
    void aPipelineReadsAConfigMapOfThePlatformRepoItIsPermittedToReadAndListsItsPromisesRequests() throws Exception {
        Files.writeString(platform.resolve("team-settings.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: team-settings
                data:
                  tier: gold
                """);
        editForbiddenPromise(original -> original.replace(
                        "        spec:\n          containers:\n",
                        "        spec:\n"
                                + "          rbac:\n"
                                + "            permissions:\n"
                                + "            - apiGroups: [\"\"]\n"
                                + "              resources: [configmaps]\n"
                                + "              verbs: [get]\n"
                                + "          containers:\n")
                .replace(
                        "args: [get-secrets]",
                        "command: [sh, -c, 'kubectl get configmap team-settings -o jsonpath={.data.tier}"
                                + " > /kratix/output/tier.txt && kubectl get forbiddens -o name"
                                + " > /kratix/output/requests.txt']"));
        request("forbidden.yaml");

        StateRepo.Run apply = kbr("apply");

        assertThat(apply.exitCode()).as(apply.out()).isZero();
        String tier = treeUnder("worker-1/resources/default/forbidden/try/").stream()
                .filter(p -> p.endsWith("/tier.txt"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(apply.out()));
        assertThat(repo.show(tier)).isEqualTo("gold");
        // kubectl get of the Promise's own kind lists its requests (Kratix's pipeline Role).
        assertThat(repo.show(tier.replace("tier.txt", "requests.txt"))).isEqualTo("forbidden.test.kbr.dev/try\n");
    }

    @Test
    void theTokenNeverReachesTheReport() throws Exception {
        editForbiddenPromise(leaking -> leaking.replace(
                "image: kbr.local/kubectl-forbidden-pipeline:v0.1.0",
                "image: kbr.local/kubectl-forbidden-pipeline:v0.1.0\n"
                        + "            command: [sh, -c, 'echo \"TOKEN=$(cat"
                        + " /var/run/secrets/kubernetes.io/serviceaccount/token)\"; exit 3']"));
        request("forbidden.yaml");

        StateRepo.Run apply = kbr("apply", "--output", "json");

        assertThat(apply.out())
                .contains("TOKEN=<platform API token>")
                .doesNotContainPattern("TOKEN=[A-Za-z0-9_-]{20,}");
    }
}
