package dev.kbr.cli;

import static dev.kbr.cli.BucketKbr.SEEDS_BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.KbrJar;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.ReportSchema;
import dev.kbr.testsupport.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * kbr's guarantees hold on a bucket as on a Git store (docs/safety.md), against a real S3 server
 * (S3Proxy on 127.0.0.1) with pipelines on the real Docker engine: a bucket Kratix wrote is
 * adopted without rewriting a file, and objects kbr does not own are never deleted; the delete
 * guard refuses a mass delete and writes nothing; a failing pipeline keeps its delivered objects
 * while the rest of the pass is written; an object edited or deleted by hand is written back; the
 * bucket's secret access key is never printed. Writes
 * are counted by the requests the server received.
 */
class BucketGuardIT {
    /** An object Kratix wrote that the platform does not produce (left from an earlier request). */
    private static final String KRATIX_ONLY = "worker-1/resources/default/legacy/kratix-wrote-this.yaml";

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
    void aBucketKratixWroteIsAdoptedWithoutRewritingAFileAndItsOtherObjectsAreNeverDeleted() throws Exception {
        // What Kratix wrote: the Destination files of a Git apply of the same platform, and no records.
        Path gitPlatform = BucketKbr.copySeeds(tmp.resolve("git-platform"));
        BucketKbr.toGitStore(gitPlatform, "default");
        BucketKbr.toGitStore(gitPlatform, "minio-store");
        Path first = bare("default.git");
        Path second = bare("minio-store.git");
        BucketKbr git =
                new BucketKbr(server, tmp.resolve("git")).git("default", first).git("minio-store", second);
        BucketKbr.Output gitApply = git.pass(gitPlatform, "apply");
        assertThat(gitApply.exitCode()).as(gitApply.both()).isZero();
        server.createBucket("kratix");
        int copied = copyDestinationFiles(first, "kratix") + copyDestinationFiles(second, "kratix");
        server.s3()
                .putObject(
                        p -> p.bucket("kratix").key(KRATIX_ONLY),
                        RequestBody.fromString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: legacy}\n"));
        SortedMap<String, String> kratix = server.keys("kratix", "");
        assertThat(kratix).hasSize(copied + 1);

        BucketKbr kbr = new BucketKbr(server, tmp).bucket("default", "kratix").bucket("minio-store", "kratix");
        BucketKbr.Output plan = kbr.pass(SEEDS_BUCKET, "plan", "--output", "json", "--quiet", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.both()).isEqualTo(Main.CHANGES);
        ReportSchema.assertValid(plan.json());
        List<String> fileChanges = new ArrayList<>();
        List<String> recordsAdded = new ArrayList<>();
        BucketKbr.changes(plan.json())
                .values()
                .forEach(byAction -> byAction.forEach((action, paths) -> {
                    for (String path : paths) {
                        if (path.startsWith(".kbr/") && action.equals("added")) {
                            recordsAdded.add(path);
                        } else {
                            fileChanges.add(action + " " + path);
                        }
                    }
                }));
        assertThat(fileChanges).as("the plan adopts Kratix's files as they are").isEmpty();
        assertThat(recordsAdded).as("only kbr's records are added").isNotEmpty();

        server.resetCounts();
        BucketKbr.Output apply = kbr.pass(SEEDS_BUCKET, "apply");
        assertThat(apply.exitCode()).as(apply.both()).isZero();
        List<String> destinationWrites = server.requests().stream()
                .filter(r -> !r.method().equals("GET") && !r.method().equals("HEAD"))
                .map(r -> r.method() + " " + r.target())
                .filter(r -> !r.contains(" /kratix/.kbr/"))
                .toList();
        assertThat(destinationWrites).as("requests that write outside .kbr/").isEmpty();
        assertThat(kbr.delivered("kratix")).as("every object, with its ETag").isEqualTo(kratix);

        BucketKbr.Output again = kbr.pass(SEEDS_BUCKET, "plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.both()).isZero();

        // A pass that deletes: the jenkins request's files go, Kratix's own object stays.
        Path platform = BucketKbr.copySeeds(tmp.resolve("platform"));
        Files.delete(platform.resolve("requests/jenkins.yaml"));
        BucketKbr.Output deleting = kbr.pass(platform, "apply", "--output", "json", "--quiet");
        assertThat(deleting.exitCode()).as(deleting.both()).isZero();
        List<String> deleted = new ArrayList<>();
        BucketKbr.changes(deleting.json())
                .values()
                .forEach(byAction -> deleted.addAll(byAction.getOrDefault("deleted", List.of())));
        assertThat(deleted)
                .anyMatch(p -> p.contains("/resources/default/jenkins/example/"))
                .doesNotContain(KRATIX_ONLY);
        assertThat(server.keys("kratix", ""))
                .containsKey(KRATIX_ONLY)
                .doesNotContainKeys(deleted.toArray(String[]::new));
        System.out.println("BucketGuardIT takeover: kratix-objects=" + copied + " kratix-only-objects=1"
                + " first-plan-file-changes=" + fileChanges.size() + " records-added=" + recordsAdded.size()
                + " destination-writes-by-apply=" + destinationWrites.size() + " second-plan-exit=" + again.exitCode()
                + " later-deletions=" + deleted.size() + " kratix-only-deleted=0");
    }

    @Test
    void theDeleteGuardRefusesAMassDeleteOnABucketAndWritesNothing() throws Exception {
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), "").onBucket();
        for (String name : List.of("r1", "r2", "r3", "r4")) {
            platform.request(name, "{colour: blue}");
        }
        BucketKbr kbr = new BucketKbr(server, tmp).bucket("default", "kratix");
        BucketKbr.Output first = kbr.pass(platform.dir(), "apply");
        assertThat(first.exitCode()).as(first.both()).isZero();
        SortedMap<String, String> before = server.keys("kratix", "");
        platform.remove("r1").remove("r2").remove("r3");

        server.resetCounts();
        for (String command : List.of("plan", "apply")) {
            BucketKbr.Output run = kbr.pass(platform.dir(), command);
            assertThat(run.exitCode()).as(run.both()).isEqualTo(Main.ERROR);
            assertThat(run.both())
                    .contains("Refusing to delete 3 of 4 recorded works (more than --max-delete-fraction 0.5)")
                    .contains("things/team-a/r1, things/team-a/r2, things/team-a/r3")
                    .contains("pass --allow-mass-delete if this is intended")
                    .doesNotContain("wrote version");
        }
        long writes = server.requestCount("PUT") + server.requestCount("POST") + server.requestCount("DELETE");
        assertThat(writes).as("PUT, POST and DELETE requests while refused").isZero();
        assertThat(server.keys("kratix", "")).isEqualTo(before);

        BucketKbr.Output allowed = kbr.pass(platform.dir(), "apply", "--allow-mass-delete");
        assertThat(allowed.exitCode()).as(allowed.both()).isZero();
        assertThat(server.keys("kratix", "").keySet())
                .noneMatch(key -> key.contains("/r1/"))
                .contains(ThingsPlatform.out("r4", "cm.yaml"));
        System.out.println("BucketGuardIT mass-delete: recorded-works=4 deleting=3 max-fraction=0.5 refused-runs=2"
                + " write-requests-while-refused=" + writes + " allowed-with-flag=1");
    }

    @Test
    void aFailingPipelineKeepsItsObjectsWhileAnotherRequestsChangeIsWritten() throws Exception {
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), "").onBucket();
        platform.request("broken", "{colour: blue}").request("healthy", "{colour: blue}");
        BucketKbr kbr = new BucketKbr(server, tmp).bucket("default", "kratix");
        BucketKbr.Output first = kbr.pass(platform.dir(), "apply");
        assertThat(first.exitCode()).as(first.both()).isZero();
        String broken = ThingsPlatform.out("broken", "cm.yaml");
        String healthy = ThingsPlatform.out("healthy", "cm.yaml");
        String brokenEtag = server.keys("kratix", "").get(broken);

        platform.request("broken", "{colour: red, fail: true}").request("healthy", "{colour: green}");
        BucketKbr.Output apply = kbr.pass(platform.dir(), "apply");
        assertThat(apply.exitCode()).as(apply.both()).isEqualTo(Main.ERROR);
        assertThat(apply.out())
                .contains("FAILED things/team-a/broken resource.configure make")
                .contains("exited with code 7")
                .contains("| boom from broken")
                .contains("ok     things/team-a/healthy resource.configure make")
                .contains("wrote version ");
        boolean kept = brokenEtag.equals(server.keys("kratix", "").get(broken));
        boolean applied = kbr.text("kratix", healthy).contains("colour: green");
        assertThat(kept).as("the failed request keeps the object it delivered").isTrue();
        assertThat(applied).as("the other request's change is written").isTrue();

        BucketKbr.Output plan = kbr.pass(platform.dir(), "plan");
        assertThat(plan.out())
                .as("the failure is tried again, the written change is not")
                .contains("FAILED things/team-a/broken")
                .doesNotContain("healthy resource.configure");
        System.out.println("BucketGuardIT failure-isolation: requests=2 failed=1 exit=" + apply.exitCode()
                + " failed-request-objects-kept=" + kept + " other-request-written=" + applied);
    }

    @Test
    void anObjectEditedOrDeletedByHandIsWrittenBackByTheNextPass() throws Exception {
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), "").onBucket();
        platform.request("edited", "{colour: blue}")
                .request("removed", "{colour: blue}")
                .request("untouched", "{colour: blue}");
        BucketKbr kbr = new BucketKbr(server, tmp).bucket("default", "kratix");
        BucketKbr.Output first = kbr.pass(platform.dir(), "apply");
        assertThat(first.exitCode()).as(first.both()).isZero();
        SortedMap<String, String> delivered = kbr.delivered("kratix");
        String edited = ThingsPlatform.out("edited", "cm.yaml");
        String removed = ThingsPlatform.out("removed", "cm.yaml");

        server.s3()
                .putObject(
                        p -> p.bucket("kratix").key(edited),
                        RequestBody.fromString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: by-hand}\n"));
        server.s3().deleteObject(d -> d.bucket("kratix").key(removed));

        BucketKbr.Output plan = kbr.pass(platform.dir(), "plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.both()).isEqualTo(Main.CHANGES);
        assertThat(plan.out())
                .contains("things/team-a/edited resource.configure make")
                .contains("things/team-a/removed resource.configure make")
                .contains("an output it delivered was changed in the state store")
                .contains("~ " + edited)
                .contains("+ " + removed)
                .contains("-metadata: {name: by-hand}")
                .doesNotContain("untouched resource.configure");
        BucketKbr.Output apply = kbr.pass(platform.dir(), "apply");
        assertThat(apply.exitCode()).as(apply.both()).isZero();
        assertThat(kbr.delivered("kratix"))
                .as("every object as kbr delivered it")
                .isEqualTo(delivered);
        BucketKbr.Output again = kbr.pass(platform.dir(), "plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.both()).isZero();
        System.out.println("BucketGuardIT hand-edits: objects=" + delivered.size()
                + " edited-by-hand=1 deleted-by-hand=1 rerun=2 written-back=2 second-plan-exit=" + again.exitCode());
    }

    @Test
    void theSecretAccessKeyIsNeverPrinted() throws Exception {
        String secret = S3Server.SECRET_ACCESS_KEY;
        String wrong = "wrong-secret-access-key-4f1c9a";
        server.createBucket("kratix");
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), "").onBucket();
        platform.request("r1", "{colour: blue}");
        BucketKbr kbr = new BucketKbr(server, tmp).bucket("default", "kratix");
        Path plan = tmp.resolve("plan.json");
        List<String> printed = new ArrayList<>();
        List<BucketKbr.Output> runs = List.of(
                kbr.pass(platform.dir(), "plan"),
                kbr.pass(platform.dir(), "plan", "--output", "json", "--explain", "--out", plan.toString()),
                kbr.pass(platform.dir(), "apply", "--output", "json"),
                kbr.run(platform.dir(), "status"),
                kbr.run(platform.dir(), "status", "--output", "json"));
        for (BucketKbr.Output run : runs) {
            assertThat(run.exitCode()).as(run.both()).isIn(Main.OK, Main.CHANGES);
            printed.add(run.out() + run.err());
        }
        ReportSchema.assertValid(runs.get(2).json());
        printed.add(Files.readString(plan));

        // The secret in KBR_SECRET_* variables only, then winning over a wrong one in --secrets-dir,
        // in a separate JVM as a CI job runs kbr.
        Map<String, String> environment = Map.of(
                "KBR_SECRET_DEFAULT_MINIO_CREDENTIALS_ACCESSKEYID",
                S3Server.ACCESS_KEY_ID,
                "KBR_SECRET_DEFAULT_MINIO_CREDENTIALS_SECRETACCESSKEY",
                secret);
        Path wrongDir = Files.createDirectories(tmp.resolve("wrong/default/minio-credentials"));
        Files.writeString(wrongDir.resolve("accessKeyID"), S3Server.ACCESS_KEY_ID);
        Files.writeString(wrongDir.resolve("secretAccessKey"), wrong);
        platform.request("r1", "{colour: green}");
        List<String> common = List.of(
                "--platform",
                platform.dir().toString(),
                "--state-url",
                "default=" + kbr.url("default"),
                "--pipeline-network",
                "none",
                "--output",
                "json");
        var fromEnvironment = jar(List.of("apply"), common, List.of(), environment);
        assertThat(fromEnvironment.exitCode()).as(fromEnvironment.output()).isZero();
        assertThat(kbr.text("kratix", ThingsPlatform.out("r1", "cm.yaml"))).contains("colour: green");
        var envWins = jar(
                List.of("plan", "--detailed-exitcode"),
                common,
                List.of("--secrets-dir", tmp.resolve("wrong").toString()),
                environment);
        assertThat(envWins.exitCode()).as(envWins.output()).isZero();
        printed.add(fromEnvironment.output());
        printed.add(envWins.output());

        // A refused key: the error names the Secret, never a value.
        BucketKbr refusedKbr = new BucketKbr(server, tmp.resolve("refused"));
        Files.writeString(refusedKbr.secretsDir().resolve("default/minio-credentials/secretAccessKey"), wrong);
        BucketKbr.Output refused =
                refusedKbr.bucket("default", "kratix").pass(platform.dir(), "plan", "--output", "json");
        assertThat(refused.exitCode()).as(refused.both()).isEqualTo(Main.ERROR);
        assertThat(refused.both())
                .contains("the server refused the access key in Secret default/minio-credentials")
                .contains("SignatureDoesNotMatch");
        printed.add(refused.out() + refused.err());

        for (String output : printed) {
            assertThat(output).doesNotContain(secret).doesNotContain(wrong);
        }
        System.out.println("BucketGuardIT credentials: runs=" + (runs.size() + 3) + " outputs-checked="
                + printed.size() + " (text, json, saved plan, status, KBR_SECRET_* in a separate JVM, refused key)"
                + " secret-values-printed=0");
    }

    private Processes.Result jar(
            List<String> command, List<String> common, List<String> extra, Map<String, String> environment)
            throws Exception {
        List<String> args = new ArrayList<>(command);
        args.addAll(common);
        args.addAll(extra);
        Path log = tmp.resolve("kbr-" + System.nanoTime() + ".log");
        return KbrJar.start(null, log, args, environment).await(300);
    }

    private Path bare(String name) throws Exception {
        Path repo = tmp.resolve(name);
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", repo.toString());
        return repo;
    }

    /** Puts every file of {@code repo}'s main outside {@code .kbr/} into {@code bucket} at the same key. */
    private int copyDestinationFiles(Path repo, String bucket) throws Exception {
        Path work = tmp.resolve("clone-" + repo.getFileName());
        Processes.check(tmp, "git", "clone", "-q", repo.toString(), work.toString());
        SortedMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(work)) {
            paths.filter(Files::isRegularFile)
                    .forEach(file -> files.put(work.relativize(file).toString(), file));
        }
        files.keySet().removeIf(key -> key.startsWith(".git/") || key.startsWith(".kbr/"));
        for (var file : files.entrySet()) {
            server.s3()
                    .putObject(
                            p -> p.bucket(bucket).key(file.getKey()),
                            RequestBody.fromBytes(Files.readAllBytes(file.getValue())));
        }
        return files.size();
    }
}
