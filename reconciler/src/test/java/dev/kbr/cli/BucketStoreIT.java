package dev.kbr.cli;

import static dev.kbr.cli.BucketKbr.SEEDS_BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.ReportSchema;
import dev.kbr.testsupport.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Everything a Git state store does works the same on a bucket: kbr's whole command line against
 * the seeds-bucket platform (Kratix's seeds 000 and 002 on BucketStateStores) on a real S3 server
 * (S3Proxy on 127.0.0.1), with the real Docker engine for pipelines. The plan shows the diff and
 * its reports say version where a Git store says commit and branch; {@code kbr status} reads the
 * records from the bucket; saved plans are applied as planned and refused, with nothing written,
 * when the bucket changed in between; and one pass writes a GitStateStore and a BucketStateStore
 * side by side. The bucket is checked with the server's own listing and request counts.
 */
class BucketStoreIT {
    private static final List<String> SEEDS_OBJECTS = List.of(
            "promise/app",
            "app/default/todoer",
            "promise/jenkins",
            "jenkins/default/example",
            "promise/nginx-ingress",
            "promise/postgresql",
            "postgresql/default/todoer-db");

    @TempDir
    Path tmp;

    private S3Server server;

    @BeforeEach
    void startServer() throws Exception {
        server = S3Server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aPlanShowsTheDiffAndItsReportsSayVersionWhereGitSaysCommit() throws Exception {
        server.createBucket("kratix");
        Path summary = tmp.resolve("step-summary.md");
        BucketKbr kbr = new BucketKbr(server, tmp)
                .bucket("default", "kratix")
                .bucket("minio-store", "kratix")
                .environment(Map.of("GITHUB_STEP_SUMMARY", summary.toString()));
        String url = server.endpoint() + "/kratix";

        BucketKbr.Output plan = kbr.pass(SEEDS_BUCKET, "plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.both()).isEqualTo(Main.CHANGES);
        assertThat(plan.out())
                .contains("State store default (" + url + ", at empty):")
                .contains("State store minio-store (" + url + ", at empty):")
                .contains("+ worker-1/dependencies/kratix-canary-namespace.yaml")
                .contains("+ worker-cluster/resources/kratix-canary-configmap.yaml")
                .doesNotContain("branch");
        assertThat(server.keys("kratix", "")).as("a plan writes nothing").isEmpty();

        BucketKbr.Output json = kbr.pass(SEEDS_BUCKET, "plan", "--output", "json", "--quiet");
        assertThat(json.exitCode()).as(json.both()).isZero();
        JsonNode planned = json.json();
        ReportSchema.assertValid(planned);
        for (JsonNode store : planned.path("stores")) {
            assertThat(store.path("kind").asText()).isEqualTo("BucketStateStore");
            assertThat(store.path("url").asText()).isEqualTo(url);
            assertThat(store.has("baseVersion") && store.path("baseVersion").isNull())
                    .as("baseVersion of an empty bucket: " + store)
                    .isTrue();
            assertThat(store.has("version")).isTrue();
            assertThat(store.has("branch") || store.has("baseCommit") || store.has("commit"))
                    .as("no Git fields on a bucket: " + store)
                    .isFalse();
        }
        List<String> plannedFiles = new ArrayList<>();
        List<String> plannedRecords = new ArrayList<>();
        BucketKbr.changes(planned)
                .values()
                .forEach(byAction -> byAction.forEach((action, paths) -> {
                    assertThat(action).isEqualTo("added");
                    paths.forEach(p -> (p.startsWith(".kbr/") ? plannedRecords : plannedFiles).add(p));
                }));

        for (String file : plannedFiles) {
            assertThat(plan.out()).as("the text plan lists each file").contains("+ " + file + "\n");
        }

        BucketKbr.Output apply = kbr.pass(SEEDS_BUCKET, "apply", "--output", "json", "--quiet");
        assertThat(apply.exitCode()).as(apply.both()).isZero();
        JsonNode applied = apply.json();
        ReportSchema.assertValid(applied);
        assertThat(applied.path("commits")).hasSize(2).allSatisfy(commit -> {
            assertThat(commit.path("version").asText()).matches("[0-9a-f]{40}");
            assertThat(commit.has("commit") || commit.has("branch"))
                    .as(commit.toString())
                    .isFalse();
        });
        String minioVersion =
                BucketKbr.store(applied, "minio-store").path("version").asText();
        assertThat(kbr.delivered("kratix").keySet())
                .as("every file the plan listed is an object, and nothing else")
                .containsExactlyInAnyOrderElementsOf(plannedFiles);
        assertThat(server.keys("kratix", ".kbr/").keySet())
                .as("kbr's records are one archive per store; the lease is released")
                .containsExactly(".kbr/records/default.tar.gz", ".kbr/records/minio-store.tar.gz");

        BucketKbr.Output status = kbr.run(SEEDS_BUCKET, "status");
        assertThat(status.exitCode()).as(status.both()).isZero();
        List<String> listed = status.out()
                .lines()
                .filter(line -> !line.startsWith(" ") && !line.startsWith("OBJECT"))
                .map(line -> line.split("\\s+")[0])
                .toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(SEEDS_OBJECTS);
        assertThat(status.out()).doesNotContain("Failed");

        BucketKbr.Output again = kbr.pass(SEEDS_BUCKET, "plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.both()).isZero();
        assertThat(again.out())
                .contains("State store minio-store (" + url + ", at version " + minioVersion.substring(0, 12) + "):");

        String markdown = Files.readString(summary, StandardCharsets.UTF_8);
        assertThat(markdown)
                .contains("### State store `default` (`" + url + "`, at empty)")
                .contains("Wrote version `" + minioVersion + "`.")
                .contains("### State store `minio-store` (`" + url + "`, at version `" + minioVersion.substring(0, 12)
                        + "`)")
                .doesNotContain("Committed")
                .doesNotContain("branch `");
        System.out.println("BucketStoreIT report: planned-files=" + plannedFiles.size() + " planned-records="
                + plannedRecords.size() + " plan-exit=" + plan.exitCode()
                + " json-reports-valid=3 kind=BucketStateStore"
                + " git-fields=0 objects-written=" + kbr.delivered("kratix").size() + " record-archives=2"
                + " version=" + minioVersion.substring(0, 12) + " markdown-words=version status-objects="
                + listed.size() + " second-plan-exit=" + again.exitCode());
    }

    /**
     * Both stores on one bucket, as the seeds have them: writing the first store moves the
     * bucket's version, which must not make the second store's saved change set stale (it touches
     * none of the first store's objects or records).
     */
    @Test
    void aSavedPlanWritesWhatADirectApplyWouldWithoutRunningPipelines() throws Exception {
        for (String bucket : List.of("saved", "direct")) {
            server.createBucket(bucket);
        }
        BucketKbr saved = new BucketKbr(server, tmp).bucket("default", "saved").bucket("minio-store", "saved");
        Path plan = tmp.resolve("plan.json");
        BucketKbr.Output planned = saved.pass(SEEDS_BUCKET, "plan", "--out", plan.toString(), "--detailed-exitcode");
        assertThat(planned.exitCode()).as(planned.both()).isEqualTo(Main.CHANGES);
        assertThat(planned.err()).contains("Saved the plan to " + plan);
        assertThat(server.keys("saved", "")).isEmpty();

        server.resetCounts();
        BucketKbr.Output applied = saved.run(SEEDS_BUCKET, "apply", plan.toString(), "--accept-dry-run-outputs");
        assertThat(applied.exitCode()).as(applied.both()).isZero();
        assertThat(applied.out()).contains("Apply complete: ").doesNotContain("Pipelines:");
        long puts = server.requestCount("PUT");

        BucketKbr direct = new BucketKbr(server, tmp.resolve("direct"))
                .bucket("default", "direct")
                .bucket("minio-store", "direct");
        BucketKbr.Output directApply = direct.pass(SEEDS_BUCKET, "apply");
        assertThat(directApply.exitCode()).as(directApply.both()).isZero();
        SortedMap<String, String> savedObjects = saved.delivered("saved");
        assertThat(savedObjects).isNotEmpty().isEqualTo(direct.delivered("direct"));
        assertThat(applied.both()).doesNotContain("stale").doesNotContain("retrying");
        assertThat(directApply.both()).doesNotContain("retrying");

        BucketKbr.Output again = saved.run(SEEDS_BUCKET, "apply", plan.toString());
        assertThat(again.exitCode()).as(again.both()).isEqualTo(Main.ERROR);
        assertThat(again.both()).contains("The saved plan is stale: state store default");
        System.out.println("BucketStoreIT saved-plan: objects="
                + savedObjects.size() + " stores-sharing-the-bucket=2"
                + " puts-by-apply-of-plan=" + puts + " pipelines-run-by-apply=0 same-objects-and-etags-as-direct-apply="
                + true + " second-apply-of-same-plan=refused");
    }

    @Test
    void aSavedPlanIsRefusedWithNothingWrittenWhenSomeoneElseChangedTheBucket() throws Exception {
        server.createBucket("kratix");
        BucketKbr kbr = new BucketKbr(server, tmp).bucket("default", "kratix").bucket("minio-store", "kratix");
        String url = server.endpoint() + "/kratix";
        Path platform = BucketKbr.copySeeds(tmp.resolve("platform"));
        BucketKbr.Output first = kbr.pass(platform, "apply");
        assertThat(first.exitCode()).as(first.both()).isZero();

        Path app = platform.resolve("requests/app.yaml");
        Files.writeString(app, Files.readString(app).replace("port: 8080", "port: 9090"));
        Path plan = tmp.resolve("plan.json");
        BucketKbr.Output planned = kbr.pass(platform, "plan", "--out", plan.toString(), "--output", "json", "--quiet");
        assertThat(planned.exitCode()).as(planned.both()).isZero();
        String base =
                BucketKbr.store(planned.json(), "default").path("baseVersion").asText();
        assertThat(BucketKbr.changes(planned.json()).get("default").get("modified"))
                .contains("platform-cluster/resources/default/app/todoer/resource-configure/5058f/service.yaml");

        // Someone else (a person, Kratix) writes under a Destination's folder after the plan.
        server.s3()
                .putObject(
                        p -> p.bucket("kratix").key("worker-1/resources/hand-written.yaml"),
                        RequestBody.fromString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: by-hand}\n"));
        SortedMap<String, String> before = server.keys("kratix", "");
        server.resetCounts();

        BucketKbr.Output stale = kbr.run(platform, "apply", plan.toString());
        assertThat(stale.exitCode()).as(stale.both()).isEqualTo(Main.ERROR);
        assertThat(stale.both())
                .contains("The saved plan is stale: state store default (" + url
                        + ") moved since the plan was made (planned on " + base + ", now at ")
                .contains("Nothing was written; run kbr plan --out again");
        long puts = server.requestCount("PUT");
        long deletes = server.requestCount("DELETE") + server.requestCount("POST");
        assertThat(puts).as("PUT requests while refused").isZero();
        assertThat(deletes)
                .as("DELETE and multi-object delete (POST) requests while refused")
                .isZero();
        assertThat(server.keys("kratix", "")).as("every key and ETag").isEqualTo(before);
        System.out.println("BucketStoreIT stale-plan: foreign-objects=1 apply-of-plan=refused exit=" + stale.exitCode()
                + " puts=" + puts + " deletes=" + deletes + " objects-unchanged=" + before.size());
    }

    @Test
    void onePassWritesAGitStoreAndABucketStoreEachNamedInItsOwnWords() throws Exception {
        server.createBucket("kratix");
        Path platform = BucketKbr.copySeeds(tmp.resolve("platform"));
        BucketKbr.toGitStore(platform, "default");
        Path repo = tmp.resolve("state.git");
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", repo.toString());
        BucketKbr kbr = new BucketKbr(server, tmp).git("default", repo).bucket("minio-store", "kratix");
        String url = server.endpoint() + "/kratix";

        BucketKbr.Output apply = kbr.pass(platform, "apply");
        assertThat(apply.exitCode()).as(apply.both()).isZero();
        String head = git(repo, "rev-parse", "main");
        List<String> tree =
                git(repo, "ls-tree", "-r", "--name-only", "main").lines().toList();
        SortedMap<String, String> objects = kbr.delivered("kratix");
        assertThat(tree)
                .anyMatch(p -> p.startsWith("worker-1/"))
                .anyMatch(p -> p.startsWith("platform-cluster/"))
                .noneMatch(p -> p.startsWith("worker-cluster/"));
        assertThat(objects.keySet()).isNotEmpty().allMatch(key -> key.startsWith("worker-cluster/"));
        String bucketVersion = apply.out()
                .lines()
                .filter(l -> l.strip().startsWith("wrote version ") && l.strip().endsWith(" to minio-store"))
                .map(l -> l.strip().split(" ")[2])
                .findFirst()
                .orElseThrow(() -> new AssertionError("no version written to minio-store: " + apply.both()));
        assertThat(apply.out())
                .contains("committed " + head + " to default (main)")
                .doesNotContain("wrote version " + head)
                .doesNotContain("committed " + bucketVersion);

        BucketKbr.Output plan = kbr.pass(platform, "plan", "--output", "json", "--quiet", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.both()).isZero();
        JsonNode report = plan.json();
        ReportSchema.assertValid(report);
        JsonNode git = BucketKbr.store(report, "default");
        assertThat(git.path("kind").asText()).isEqualTo("GitStateStore");
        assertThat(git.path("branch").asText()).isEqualTo("main");
        assertThat(git.path("baseCommit").asText()).isEqualTo(head);
        assertThat(git.path("baseVersion").asText()).isEqualTo(head);
        JsonNode bucket = BucketKbr.store(report, "minio-store");
        assertThat(bucket.path("kind").asText()).isEqualTo("BucketStateStore");
        assertThat(bucket.path("url").asText()).isEqualTo(url);
        assertThat(bucket.path("baseVersion").asText()).isEqualTo(bucketVersion);
        assertThat(bucket.has("branch") || bucket.has("baseCommit") || bucket.has("commit"))
                .as(bucket.toString())
                .isFalse();

        BucketKbr.Output text = kbr.pass(platform, "plan");
        assertThat(text.out())
                .contains("State store default (branch main, at " + head.substring(0, 12) + "):")
                .contains("State store minio-store (" + url + ", at version " + bucketVersion.substring(0, 12) + "):");
        System.out.println("BucketStoreIT mixed: stores=2 git-files=" + tree.size() + " commit=" + head.substring(0, 12)
                + " bucket-objects=" + objects.size() + " version=" + bucketVersion.substring(0, 12)
                + " git-words-for-bucket=0 second-plan-exit=" + plan.exitCode());
    }

    private static String git(Path repo, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir", repo.toString()));
        command.addAll(List.of(args));
        return Processes.check(repo.getParent(), command.toArray(String[]::new)).strip();
    }
}
