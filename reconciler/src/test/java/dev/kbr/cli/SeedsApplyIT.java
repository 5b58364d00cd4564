package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: {@code kbr apply} of the seeds platform with real pipeline
 * containers (Docker engine, images from {@code ci/build-fixture-images}) into a real bare Git
 * repo, checked with the git CLI and built with Flux's kustomize build ({@code flux-build}).
 */
class SeedsApplyIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");
    private static final String REDIS =
            "worker-1/resources/default/redis/example-redis/instance-configure/5058f/redis-failover.yaml";

    @TempDir
    Path tmp;

    private StateRepo repo;

    @BeforeEach
    void bareStateRepo() throws Exception {
        repo = StateRepo.bare(tmp);
    }

    @Test
    void deliversTheSeedsIntoOneCommitInKratixLayout() throws Exception {
        StateRepo.Run apply = repo.kbr(SEEDS, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(repo.git("rev-list", "--count", "main").strip()).isEqualTo("1");
        List<String> tree = repo.tree();
        assertThat(tree)
                .contains(
                        "worker-1/dependencies/kratix-canary-namespace.yaml",
                        "worker-1/resources/kratix-canary-configmap.yaml",
                        "platform-cluster/dependencies/kratix-canary-namespace.yaml",
                        "platform-cluster/resources/kratix-canary-configmap.yaml",
                        "worker-1/dependencies/nginx-ingress/5058f/static/nginx-ingress-dependencies.yaml",
                        REDIS);
        assertThat(tree).anyMatch(p -> p.startsWith("worker-1/dependencies/jenkins/promise-configure/5058f/"));
        assertThat(tree).anyMatch(p -> p.startsWith("worker-1/dependencies/nginx-ingress/nginx-configure/5058f/"));
        assertThat(tree)
                .anyMatch(p -> p.startsWith("worker-1/resources/default/jenkins/example/instance-configure/5058f/"));
        // Promise selectors decide: nothing of the dev Promises lands on the strict platform cluster.
        assertThat(tree.stream().filter(p -> p.startsWith("platform-cluster/")))
                .allMatch(p ->
                        p.startsWith("platform-cluster/resources/default/app/todoer/") || p.contains("kratix-canary"));

        String jenkins =
                repo.show(single(tree, "worker-1/resources/default/jenkins/example/instance-configure/5058f/"));
        assertThat(jenkins).contains("name: jenkins-dev-example").doesNotContain("backup");

        String database = repo.show(
                "worker-1/resources/default/database/example-database/instance-configure/5058f/database.yaml");
        // Seed 001's Python pipeline, on Kratix's Python SDK.
        assertThat(database)
                .contains("kind: postgresql")
                .contains("enableLogicalBackup: true")
                .containsPattern("size: \"?1Gi\"?\n")
                .contains("numberOfInstances: 2");

        assertThat(repo.show(REDIS))
                .contains("kind: RedisFailover")
                .contains("replicas: 1")
                .doesNotContain("replicas: 3");

        String subRequest = repo.show(
                "platform-cluster/resources/default/app/todoer/resource-configure/5058f/postgresql-request.yaml");
        assertThat(subRequest)
                .contains("apiVersion: marketplace.kratix.io/v1alpha2")
                .contains("name: todoer-db");
        assertThat(tree)
                .anyMatch(
                        p -> p.startsWith("worker-1/resources/default/postgresql/todoer-db/instance-configure/5058f/"));

        // Status written by the database pipeline is recorded and fed back on the next run.
        assertThat(repo.show(".kbr/objects/database/resources/default/example-database.json"))
                .contains("\"teamId\" : \"kratix\"");

        Path checkout = export();
        Path fluxBuild = SharedFiles.require("tools/flux-build");
        for (String destination : List.of("worker-1", "platform-cluster")) {
            for (String kind : List.of("dependencies", "resources")) {
                var built = Processes.run(
                        tmp,
                        List.of(
                                fluxBuild.toString(),
                                "-q",
                                checkout.resolve(destination).resolve(kind).toString()));
                assertThat(built.exitCode())
                        .as(destination + "/" + kind + ": " + built.output())
                        .isZero();
            }
        }
    }

    @Test
    void theTreeIsTheSameWhateverTheParallelism() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply", "--parallelism", "1").exitCode()).isZero();
        StateRepo other = StateRepo.bare(Files.createDirectories(tmp.resolve("other")));
        assertThat(other.kbr(SEEDS, "apply", "--parallelism", "6").exitCode()).isZero();
        // Records carry run times, so compare every file but kbr's records byte for byte.
        assertThat(withoutRecords(other.git("ls-tree", "-r", "main")))
                .isEqualTo(withoutRecords(repo.git("ls-tree", "-r", "main")));
    }

    private static List<String> withoutRecords(String lsTree) {
        return lsTree.lines().filter(l -> !l.contains("\t.kbr/")).toList();
    }

    @Test
    void aCachedStateRepoStillSeesChangesMadeBehindKbrsBack() throws Exception {
        String cache = tmp.resolve("cache").toString();
        assertThat(repo.kbr(SEEDS, "apply", "--cache-dir", cache).exitCode()).isZero();
        // Someone edits a file kbr owns directly in the state repo.
        Path clone = tmp.resolve("clone");
        Processes.check(tmp, "git", "clone", "-q", repo.dir().toString(), clone.toString());
        Files.writeString(clone.resolve(REDIS), "edited by hand\n");
        Processes.check(
                clone,
                "git",
                "-c",
                "user.name=someone",
                "-c",
                "user.email=s@example.com",
                "commit",
                "-qam",
                "hand edit");
        Processes.check(clone, "git", "push", "-q", "origin", "main");

        StateRepo.Run apply = repo.kbr(SEEDS, "apply", "--cache-dir", cache);
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(apply.out()).contains("~ " + REDIS);
        assertThat(repo.show(REDIS)).contains("kind: RedisFailover");
        assertThat(Files.list(tmp.resolve("cache/git")).toList()).hasSize(1);
    }

    @Test
    void aSecondPassChangesNothingAndMakesNoCommit() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        String head = repo.git("rev-parse", "main").strip();

        StateRepo.Run plan = repo.kbr(SEEDS, "plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.out()).isZero();
        assertThat(plan.out()).contains("No changes.");

        StateRepo.Run again = repo.kbr(SEEDS, "apply", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(repo.git("rev-parse", "main").strip()).isEqualTo(head);
    }

    @Test
    void changingOneRequestChangesOnlyItsFiles() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        Path platform = copyOfSeeds();
        Path redis = platform.resolve("requests/redis.yaml");
        Files.writeString(redis, Files.readString(redis).replace("size: small", "size: large"));

        StateRepo.Run plan = repo.kbr(platform, "plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.out()).isEqualTo(Main.CHANGES);
        assertThat(plan.out())
                .contains("~ " + REDIS)
                .contains("-    replicas: 1")
                .contains("+    replicas: 3");
        assertThat(repo.git("rev-list", "--count", "main").strip())
                .as("plan pushes nothing")
                .isEqualTo("1");

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        List<String> changed =
                repo.git("diff", "--name-only", "main~1", "main").lines().toList();
        assertThat(changed.stream().filter(p -> !p.startsWith(".kbr/"))).containsExactly(REDIS);
        assertThat(repo.show(REDIS)).contains("replicas: 3").doesNotContain("replicas: 1");
    }

    @Test
    void anInvalidRequestIsReportedAtItsLineAndKeepsWhatItDelivered() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        String head = repo.git("rev-parse", "main").strip();
        Path platform = copyOfSeeds();
        Path redis = platform.resolve("requests/redis.yaml");
        Files.writeString(redis, Files.readString(redis).replace("size: small", "size: medium"));

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isEqualTo(Main.ERROR);
        assertThat(apply.out()).contains("requests/redis.yaml:7: error: spec.size: must be one of [small, large]");
        assertThat(repo.git("rev-parse", "main").strip())
                .as("nothing else changed, so no commit")
                .isEqualTo(head);
        assertThat(repo.tree()).contains(REDIS);
    }

    @Test
    void aFailingPipelineKeepsWhatItDeliveredAndOthersCarryOn() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        Path platform = copyOfSeeds();
        Path promise = platform.resolve("promises/redis/promise.yaml");
        String text = Files.readString(promise);
        // Break only the resource pipeline: an image that is not there and may not be pulled.
        int resource = text.indexOf("resource:");
        Files.writeString(
                promise,
                text.substring(0, resource)
                        + text.substring(resource)
                                .replaceFirst("image: kbr.local/redis-pipeline:v0.1.0", "image: kbr.local/missing:v0")
                                .replaceFirst("imagePullPolicy: IfNotPresent", "imagePullPolicy: Never"));
        Path jenkins = platform.resolve("requests/jenkins.yaml");
        Files.writeString(jenkins, Files.readString(jenkins).replace("env: dev", "env: prod"));

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isEqualTo(Main.ERROR);
        assertThat(apply.out())
                .contains("FAILED redis/default/example-redis resource.configure")
                .contains("kbr.local/missing:v0");
        assertThat(repo.tree()).contains(REDIS);
        assertThat(repo.show(REDIS)).contains("replicas: 1");
        List<String> changed =
                repo.git("diff", "--name-only", "main~1", "main").lines().toList();
        assertThat(changed.stream().filter(p -> !p.startsWith(".kbr/")))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("worker-1/resources/default/jenkins/example/"));
    }

    @Test
    void aRemovedRequestIsPrunedAndNothingElseIs() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        List<String> before = repo.tree();
        Path platform = copyOfSeeds();
        Files.delete(platform.resolve("requests/jenkins.yaml"));

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        List<String> after = repo.tree();
        List<String> removed = before.stream().filter(p -> !after.contains(p)).toList();
        assertThat(removed)
                .isNotEmpty()
                .allMatch(p -> p.startsWith("worker-1/resources/default/jenkins/example/")
                        || p.startsWith(".kbr/works/jenkins/resources/default/example/")
                        || p.equals(".kbr/objects/jenkins/resources/default/example.json"));
        assertThat(after).anyMatch(p -> p.startsWith("worker-1/dependencies/jenkins/"));
        assertThat(after)
                .containsAll(before.stream().filter(p -> !removed.contains(p)).toList());
    }

    @Test
    void removingARequestRunsItsDeletePipelineOnceThenPrunesExactlyItsFiles() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        List<String> before = repo.tree();
        Path platform = copyOfSeeds();
        Files.delete(platform.resolve("requests/redis.yaml"));

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        // The fixture's delete pipeline fails unless it is given the last recorded status.
        assertThat(apply.out().split("redis/default/example-redis resource.delete instance-delete", -1))
                .as("the delete pipeline ran exactly once: " + apply.out())
                .hasSize(2);
        List<String> after = repo.tree();
        assertThat(before.stream().filter(p -> !after.contains(p)))
                .containsExactlyInAnyOrder(
                        REDIS,
                        ".kbr/works/redis/resources/default/example-redis/instance-configure.json",
                        ".kbr/objects/redis/resources/default/example-redis.json");
        String head = repo.git("rev-parse", "main").strip();

        StateRepo.Run again = repo.kbr(platform, "apply");
        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(again.out()).doesNotContain("resource.delete");
        assertThat(repo.git("rev-parse", "main").strip()).isEqualTo(head);
    }

    @Test
    void removingAPromiseDeletesItsRequestsFirstThenRunsItsOwnDeletePipeline() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        Path platform = copyOfSeeds();
        Files.delete(platform.resolve("requests/redis.yaml"));
        Trees.delete(platform.resolve("promises/redis"));

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        int requestDelete = apply.out().indexOf("redis/default/example-redis resource.delete instance-delete");
        int promiseDelete = apply.out().indexOf("Promise redis promise.delete promise-delete");
        assertThat(requestDelete).as(apply.out()).isNotNegative();
        assertThat(promiseDelete)
                .as("the Promise's delete pipeline runs after its requests'")
                .isGreaterThan(requestDelete);
        List<String> after = repo.tree();
        assertThat(after)
                .noneMatch(p -> p.contains("/redis/")
                        || p.startsWith(".kbr/works/redis/")
                        || p.startsWith(".kbr/objects/redis/"));
        assertThat(after).anyMatch(p -> p.startsWith("worker-1/dependencies/jenkins/"));
    }

    @Test
    void aFailingDeletePipelineKeepsEverythingAndRecordsWhy() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        List<String> before = repo.tree();
        Path platform = copyOfSeeds();
        Files.delete(platform.resolve("requests/redis.yaml"));
        Path promise = platform.resolve("promises/redis/promise.yaml");
        String text = Files.readString(promise);
        int delete = text.lastIndexOf("name: instance-delete");
        Files.writeString(
                promise,
                text.substring(0, delete)
                        + text.substring(delete)
                                .replace("image: kbr.local/redis-pipeline:v0.1.0", "image: kbr.local/missing:v0")
                                .replace("imagePullPolicy: IfNotPresent", "imagePullPolicy: Never"));

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isEqualTo(Main.ERROR);
        assertThat(apply.out()).contains("FAILED redis/default/example-redis resource.delete instance-delete");
        assertThat(repo.tree()).containsAll(before);
        assertThat(repo.show(".kbr/objects/redis/resources/default/example-redis.json"))
                .contains("DeleteWorkflowCompleted")
                .contains("DeleteWorkflowFailed");

        StateRepo.Run fixed = repo.kbr(copyWithout("requests/redis.yaml"), "apply");
        assertThat(fixed.exitCode()).as(fixed.out()).isZero();
        assertThat(repo.tree()).doesNotContain(REDIS);
    }

    private Path copyWithout(String relative) throws IOException {
        return Trees.copy(SEEDS, tmp.resolve("seeds-" + System.nanoTime()), relative);
    }

    @Test
    void takesOverAKratixWrittenStateRepoReplacingOnlyTheFoldersOfWorkPlacementsItWrites() throws Exception {
        // A state repo as Kratix leaves it for the seeds: the same layout and bytes, no kbr records,
        // plus a file Kratix wrote for a request that no longer exists, one a person added, and
        // one Kratix wrote for a request whose pipeline no longer produces it.
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        Path kratixTree = Files.createDirectories(tmp.resolve("kratix-tree"));
        Processes.check(
                tmp,
                "git",
                "--git-dir",
                repo.dir().toString(),
                "--work-tree",
                kratixTree.toString(),
                "checkout",
                "-f",
                "main",
                "--",
                ".");
        Trees.delete(kratixTree.resolve(".kbr"));
        String orphan = "worker-1/resources/default/redis/old-redis/instance-configure/5058f/redis-failover.yaml";
        Files.createDirectories(kratixTree.resolve(orphan).getParent());
        Files.writeString(
                kratixTree.resolve(orphan),
                "apiVersion: databases.spotahome.com/v1\nkind: RedisFailover\n"
                        + "metadata: {name: old-redis, namespace: default}\n");
        Files.writeString(kratixTree.resolve("README.md"), "Written by hand; kbr must leave it alone.\n");
        String stale = "worker-1/resources/default/redis/example-redis/instance-configure/5058f/external-secret.yaml";
        Files.writeString(
                kratixTree.resolve(stale),
                "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\n"
                        + "metadata: {name: example-redis-password, namespace: default}\n");
        Path kratixRepo = tmp.resolve("kratix.git");
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", kratixRepo.toString());
        Processes.check(kratixTree, "git", "--git-dir", kratixRepo.toString(), "--work-tree", ".", "add", "-A");
        Processes.check(
                kratixTree,
                "git",
                "--git-dir",
                kratixRepo.toString(),
                "--work-tree",
                ".",
                "-c",
                "user.name=kratix",
                "-c",
                "user.email=",
                "commit",
                "-q",
                "-m",
                "Update from: kratix-canary");
        repo = StateRepo.existing(kratixRepo, tmp);

        StateRepo.Run plan = repo.kbr(SEEDS, "plan");
        assertThat(plan.exitCode()).as(plan.out()).isZero();
        List<String> planned =
                plan.out().lines().filter(l -> l.matches("\\s+[+~-] .*")).toList();
        // Kratix replaces a WorkPlacement's folder as a whole: the file its pipeline no longer
        // produces goes, and the plan says so; nothing outside that folder changes.
        assertThat(planned).anyMatch(l -> l.strip().equals("- " + stale));
        assertThat(planned.stream().filter(l -> !l.strip().equals("- " + stale)))
                .isNotEmpty()
                .allMatch(l -> l.strip().startsWith("+ .kbr/"));

        StateRepo.Run apply = repo.kbr(SEEDS, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        List<String> changed =
                repo.git("diff", "--name-only", "main~1", "main").lines().toList();
        assertThat(changed.stream().filter(p -> !p.equals(stale))).allMatch(p -> p.startsWith(".kbr/"));
        assertThat(repo.tree()).contains(orphan, "README.md").doesNotContain(stale);
        assertThat(repo.show(".kbr/works/redis/resources/default/example-redis/instance-configure.json"))
                .as("the file Kratix wrote is adopted into kbr's records")
                .contains(REDIS);
        StateRepo.Run again = repo.kbr(SEEDS, "plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.out()).isZero();
    }

    @Test
    void statusPrintsWhatTheRecordsSay() throws Exception {
        assertThat(repo.kbr(SEEDS, "apply").exitCode()).isZero();
        StateRepo.Run text = status();
        assertThat(text.exitCode()).as(text.out()).isZero();
        assertThat(text.out())
                .containsPattern("redis/default/example-redis +Reconciled +Resource requested")
                .contains("WorksSucceeded=True (WorksSucceeded) All works associated with this resource are ready")
                .containsPattern("promise/app +Available +Promise configured");

        StateRepo.Run json = status("--output", "json");
        assertThat(json.exitCode()).as(json.out()).isZero();
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(root.path("version").asInt()).isEqualTo(1);
        var redis = java.util.stream.StreamSupport.stream(root.path("objects").spliterator(), false)
                .filter(o -> o.path("name").asText().equals("example-redis"))
                .findFirst()
                .orElseThrow();
        assertThat(redis.path("status").path("stage").asText()).isEqualTo("provisioning");
        assertThat(redis.path("status").path("conditions").findValuesAsText("type"))
                .containsExactly("ConfigureWorkflowCompleted", "Reconciled", "WorksSucceeded");
    }

    private StateRepo.Run status(String... more) {
        List<String> args = new ArrayList<>(List.of("status", "--platform", SEEDS.toString()));
        args.addAll(Arrays.asList(more));
        return repo.run(args);
    }

    private static String single(List<String> tree, String prefix) {
        List<String> matching = tree.stream().filter(p -> p.startsWith(prefix)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private Path export() throws Exception {
        Path checkout = Files.createDirectories(tmp.resolve("checkout"));
        Processes.check(
                tmp,
                "git",
                "--git-dir",
                repo.dir().toString(),
                "--work-tree",
                checkout.toString(),
                "checkout",
                "-f",
                "main",
                "--",
                ".");
        return checkout;
    }

    private Path copyOfSeeds() throws IOException {
        return Trees.copy(SEEDS, tmp.resolve("seeds"));
    }
}
