package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kbr.testsupport.KbrJar;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.S3Server;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.Trees;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds platform on a bucket end to end ({@code fixtures/platforms/seeds-bucket}: Kratix's
 * seeds 000 and 002, whose BucketStateStores {@code default} and {@code minio-store} share the
 * bucket {@code kratix}): the packaged {@code kbr.jar} runs the real pipeline containers (Docker
 * engine, images from {@code ci/build-fixture-images}) and writes to a real S3 server on 127.0.0.1
 * ({@link S3Server}). Each Destination is fetched as Flux's {@code Bucket} source fetches it and
 * built with {@code ../shared/tools/flux-build}; the objects are compared with what GitStateStores
 * get for the same platform; the requests the server saw prove what a pass wrote; and wrong
 * credentials, a missing Secret key and an unreachable endpoint fail with one error that says what
 * to fix. Each test prints its figure line.
 */
class BucketSeedsIT {
    private static final Path SEEDS_BUCKET = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds-bucket");
    private static final String BUCKET = "kratix";
    private static final String SECRET_NAMESPACE = "default";
    private static final String SECRET_NAME = "minio-credentials";
    private static final List<String> STORES = List.of("default", "minio-store");
    private static final List<String> DESTINATIONS = List.of("platform-cluster", "worker-1", "worker-cluster");
    private static final List<String> DEV_DESTINATIONS = List.of("worker-1", "worker-cluster");
    private static final String RECORDS = ".kbr/";
    private static final long KBR_SECONDS = 600;
    private static final String WRONG_SECRET = "not-the-secret-7Qv2mXw9";

    @TempDir
    Path tmp;

    private S3Server server;
    private Path secrets;
    private int runs;

    @BeforeEach
    void bucket() throws Exception {
        server = S3Server.start();
        server.createBucket(BUCKET);
        secrets = server.secretsDir(tmp.resolve("secrets"), SECRET_NAMESPACE, SECRET_NAME);
        server.resetCounts();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void deliversEachDestinationAsAGitStateStoreWouldAndFluxBuildsIt() throws Exception {
        Processes.Result apply = kbr(SEEDS_BUCKET, "apply");
        assertThat(apply.exitCode()).as(apply.output()).isZero();
        Map<String, Long> firstApply = countsByMethod();

        SortedMap<String, String> keys = server.keys(BUCKET, "");
        assertThat(keys.keySet().stream().filter(k -> k.startsWith(RECORDS)))
                .as("kbr's own objects: one records archive per store, no lease or probe left behind")
                .containsExactly(".kbr/records/default.tar.gz", ".kbr/records/minio-store.tar.gz");
        assertThat(keys.keySet())
                .allMatch(k -> k.startsWith(RECORDS) || DESTINATIONS.stream().anyMatch(d -> k.startsWith(d + "/")));

        Path fetched = tmp.resolve("bucket");
        Map<String, Integer> perDestination = new TreeMap<>();
        Map<String, List<String>> built = new TreeMap<>();
        for (String destination : DESTINATIONS) {
            List<String> files = server.download(BUCKET, destination, fetched.resolve(destination));
            perDestination.put(destination, files.size());
            for (String part : List.of("dependencies", "resources")) {
                built.put(
                        destination + "/" + part,
                        fluxBuild(fetched.resolve(destination).resolve(part)));
            }
        }
        // Seed 000: the platform registered as a Destination gets the canary and the compound app's
        // own resources, among them its database request; nothing of the dev Promises.
        assertThat(built.get("platform-cluster/dependencies")).containsExactly("Namespace kratix-worker-system");
        assertThat(built.get("platform-cluster/resources"))
                .containsExactlyInAnyOrder(
                        "ConfigMap kratix-info",
                        "Deployment todoer",
                        "Ingress todoer",
                        "Service todoer",
                        "postgresql todoer-db");
        // Seed 002: every dev Destination installs the Promises' dependencies, the Jenkins Operator
        // among them; each request lands on exactly one of them.
        for (String destination : DEV_DESTINATIONS) {
            assertThat(built.get(destination + "/dependencies"))
                    .as(destination)
                    .contains(
                            "Namespace kratix-worker-system",
                            "CustomResourceDefinition jenkins.jenkins.io",
                            "Deployment jenkins-operator",
                            "Deployment postgres-operator",
                            "Deployment ingress-nginx-controller",
                            "IngressClass nginx");
            assertThat(built.get(destination + "/resources")).as(destination).contains("ConfigMap kratix-info");
        }
        List<String> devResources = DEV_DESTINATIONS.stream()
                .flatMap(d -> built.get(d + "/resources").stream())
                .filter(o -> !o.equals("ConfigMap kratix-info"))
                .toList();
        assertThat(devResources)
                .containsExactlyInAnyOrder("Jenkins jenkins-dev-example", "postgresql todoer-todoer-db-postgresql");

        // The same platform with GitStateStores: one bare repo per store.
        Map<String, Path> repos = new TreeMap<>();
        List<String> gitArgs = new ArrayList<>(
                List.of("apply", "--platform", withGitStateStores().toString()));
        for (String store : STORES) {
            Path repo = tmp.resolve(store + ".git");
            Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", repo.toString());
            repos.put(store, repo);
            gitArgs.addAll(List.of("--state-url", store + "=" + repo));
        }
        gitArgs.addAll(List.of("--pipeline-network", "none"));
        Processes.Result gitApply = kbrJar(gitArgs, Map.of());
        assertThat(gitApply.exitCode()).as(gitApply.output()).isZero();

        SortedMap<String, byte[]> gitFiles = new TreeMap<>();
        Map<String, Set<String>> gitRecords = new TreeMap<>();
        for (Map.Entry<String, Path> repo : repos.entrySet()) {
            SortedMap<String, byte[]> tree = files(checkout(repo.getValue(), tmp.resolve("git-" + repo.getKey())));
            gitRecords.put(
                    repo.getKey(),
                    tree.keySet().stream()
                            .filter(p -> p.startsWith(RECORDS))
                            .collect(Collectors.toCollection(TreeSet::new)));
            tree.forEach((path, content) -> {
                if (!path.startsWith(RECORDS)) {
                    assertThat(gitFiles.put(path, content))
                            .as("%s is written by one store only", path)
                            .isNull();
                }
            });
        }
        SortedMap<String, byte[]> bucketFiles = files(fetched);
        assertThat(bucketFiles.keySet())
                .as("the Destination objects are keyed exactly as the Git stores' files")
                .containsExactlyElementsOf(gitFiles.keySet());
        assertThat(bucketFiles.keySet())
                .containsExactlyElementsOf(keys.keySet().stream()
                        .filter(k -> !k.startsWith(RECORDS))
                        .toList());
        int sameBytes = 0;
        for (Map.Entry<String, byte[]> file : bucketFiles.entrySet()) {
            assertThat(file.getValue()).as(file.getKey()).isEqualTo(gitFiles.get(file.getKey()));
            sameBytes++;
        }

        // Each records archive holds, as entries records/<path>, the record files a Git store keeps
        // under .kbr/ (their contents carry run times, so only the paths are compared).
        Path archives = tmp.resolve("archives");
        server.download(BUCKET, ".kbr/records", archives);
        Map<String, Integer> recordCounts = new TreeMap<>();
        for (String store : STORES) {
            Set<String> entries = Processes.check(
                            tmp,
                            "tar",
                            "-tzf",
                            archives.resolve(store + ".tar.gz").toString())
                    .lines()
                    .filter(e -> e.startsWith("records/"))
                    .map(e -> RECORDS + e.substring("records/".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(entries).as("records of " + store).containsExactlyElementsOf(gitRecords.get(store));
            recordCounts.put(store, entries.size());
        }
        assertThat(apply.output()).doesNotContain(S3Server.SECRET_ACCESS_KEY);
        SortedMap<String, byte[]> written = new TreeMap<>(bucketFiles);
        for (String store : STORES) {
            try (var tar = new GZIPInputStream(Files.newInputStream(archives.resolve(store + ".tar.gz")))) {
                written.put(".kbr/records/" + store + ".tar.gz (unpacked)", tar.readAllBytes());
            }
        }
        written.forEach((path, content) -> assertThat(new String(content, StandardCharsets.ISO_8859_1))
                .as("no secret in " + path)
                .doesNotContain(S3Server.SECRET_ACCESS_KEY));

        System.out.println("BucketSeedsIT seeds: objects=" + bucketFiles.size() + " " + perDestination
                + " records-archives=2 same-keys-and-bytes-as-git=" + sameBytes + "/" + gitFiles.size()
                + " records-as-git=" + recordCounts + " flux-builds-ok=" + built.size() + "/6 first-apply-requests="
                + firstApply);
    }

    @Test
    void aSecondApplyWritesNothing() throws Exception {
        Processes.Result first = kbr(SEEDS_BUCKET, "apply");
        assertThat(first.exitCode()).as(first.output()).isZero();
        SortedMap<String, String> before = server.keys(BUCKET, "");
        server.resetCounts();

        Processes.Result again = kbr(SEEDS_BUCKET, "apply", "--detailed-exitcode");
        Map<String, Long> requests = countsByMethod();
        Map<String, Long> gets = server.requests().stream()
                .filter(r -> r.method().equals("GET"))
                .collect(Collectors.groupingBy(
                        r -> r.target().startsWith("/" + BUCKET + "/.kbr/")
                                ? "records"
                                : r.target().startsWith("/" + BUCKET + "/") ? "objects" : "listings",
                        TreeMap::new,
                        Collectors.counting()));
        assertThat(again.exitCode())
                .as("0 with --detailed-exitcode: no changes\n" + again.output())
                .isZero();
        assertThat(again.output()).contains("No changes. The state stores match the platform.");
        assertThat(again.output().lines().filter(l -> l.strip().equals("no changes")))
                .as("each store says so")
                .hasSize(STORES.size());
        assertThat(requests.getOrDefault("PUT", 0L)).as("PUTs " + requests).isZero();
        assertThat(requests.getOrDefault("DELETE", 0L))
                .as("DELETEs " + requests)
                .isZero();
        assertThat(requests.getOrDefault("POST", 0L))
                .as("POSTs (DeleteObjects) " + requests)
                .isZero();
        assertThat(server.keys(BUCKET, "")).isEqualTo(before);

        System.out.println("BucketSeedsIT second apply: PUT=0 DELETE=0 POST=0 objects-unchanged=" + before.size()
                + " requests=" + requests + " GETs=" + gets);
    }

    @Test
    void aRemovedRequestDeletesExactlyItsObjectsAndTheDestinationStillBuilds() throws Exception {
        Processes.Result first = kbr(SEEDS_BUCKET, "apply");
        assertThat(first.exitCode()).as(first.output()).isZero();
        SortedMap<String, String> before = server.keys(BUCKET, "");
        List<String> jenkinsObjects = before.keySet().stream()
                .filter(k -> k.matches("[^/]+/resources/default/jenkins/example/.+"))
                .toList();
        assertThat(jenkinsObjects).isNotEmpty();
        String destination =
                jenkinsObjects.get(0).substring(0, jenkinsObjects.get(0).indexOf('/'));
        assertThat(jenkinsObjects).allMatch(k -> k.startsWith(destination + "/"));

        Map<String, Set<String>> recordsBefore = recordEntries("before");

        Path platform = Trees.copy(SEEDS_BUCKET, tmp.resolve("without-jenkins-request"), "requests/jenkins.yaml");
        server.resetCounts();
        Processes.Result apply = kbr(platform, "apply");
        List<S3Server.Request> requests = server.requests();
        assertThat(apply.exitCode()).as(apply.output()).isZero();

        SortedMap<String, String> after = server.keys(BUCKET, "");
        List<String> deleted =
                before.keySet().stream().filter(k -> !after.containsKey(k)).toList();
        assertThat(deleted).as("deleted objects").containsExactlyElementsOf(jenkinsObjects);
        assertThat(after.keySet()).as("no object added").allMatch(before::containsKey);
        List<String> rewritten = after.keySet().stream()
                .filter(k -> !after.get(k).equals(before.get(k)))
                .toList();
        assertThat(rewritten)
                .as("only records changed, among them those of the store holding the request")
                .contains(".kbr/records/default.tar.gz")
                .allMatch(k -> k.startsWith(".kbr/records/"));
        // Every store keeps the request's status record; the store that delivered it also its work
        // record. Those go, and no other record comes or goes.
        Map<String, Set<String>> recordsAfter = recordEntries("after");
        Map<String, List<String>> recordsRemoved = new TreeMap<>();
        for (String store : STORES) {
            assertThat(recordsBefore.get(store)).as(store).containsAll(recordsAfter.get(store));
            recordsRemoved.put(
                    store,
                    recordsBefore.get(store).stream()
                            .filter(e -> !recordsAfter.get(store).contains(e))
                            .toList());
        }
        assertThat(recordsRemoved.get("default"))
                .containsExactly(
                        "records/objects/jenkins/resources/default/example.json",
                        "records/works/jenkins/resources/default/example/instance-configure.json");
        assertThat(recordsRemoved.get("minio-store"))
                .containsExactly("records/objects/jenkins/resources/default/example.json");
        List<String> puts = requests.stream()
                .filter(r -> r.method().equals("PUT"))
                .map(S3Server.Request::target)
                .toList();
        assertThat(puts).as("no Destination object was written").allMatch(t -> t.startsWith("/" + BUCKET + "/.kbr/"));

        Path fetched = tmp.resolve("after");
        server.download(BUCKET, destination, fetched);
        List<String> resources = fluxBuild(fetched.resolve("resources"));
        List<String> dependencies = fluxBuild(fetched.resolve("dependencies"));
        assertThat(resources).noneMatch(o -> o.startsWith("Jenkins ")).contains("ConfigMap kratix-info");
        assertThat(dependencies).as("the Promise stays installed").contains("Deployment jenkins-operator");

        Map<String, Long> byMethod = requests.stream()
                .collect(Collectors.groupingBy(S3Server.Request::method, TreeMap::new, Collectors.counting()));
        System.out.println("BucketSeedsIT removed request: objects-before=" + before.size() + " after=" + after.size()
                + " deleted=" + deleted + " other-objects-unchanged=" + (after.size() - rewritten.size())
                + " records-rewritten=" + rewritten + " records-removed=" + recordsRemoved + " puts-outside-.kbr=0"
                + " requests=" + byMethod + " " + destination
                + " still builds (resources=" + resources.size() + " dependencies=" + dependencies.size() + ")");
    }

    @Test
    void wrongCredentialsFailWithOneErrorNamingTheStoreTheSecretAndWhatToCheck() throws Exception {
        Path wrongSecret = secretFiles("wrong-secret", S3Server.ACCESS_KEY_ID, WRONG_SECRET);
        Path unknownKey = secretFiles("unknown-key", "AKIAKBRUNKNOWN000001", S3Server.SECRET_ACCESS_KEY);
        String url = server.endpoint() + "/" + BUCKET;
        String[] mentions = {
            "BucketStateStore default (" + url + ")",
            "Secret " + SECRET_NAMESPACE + "/" + SECRET_NAME,
            "accessKeyID and secretAccessKey",
            "check that they are right",
            "bucket " + BUCKET
        };
        List<Processes.Result> results = new ArrayList<>();
        for (String command : List.of("plan", "apply")) {
            results.add(kbrWith(url, wrongSecret, Map.of(), command));
            results.add(kbrWith(url, unknownKey, Map.of(), command));
            results.add(kbrWith(
                    url,
                    null,
                    Map.of(
                            "KBR_SECRET_DEFAULT_MINIO_CREDENTIALS_ACCESSKEYID",
                            S3Server.ACCESS_KEY_ID,
                            "KBR_SECRET_DEFAULT_MINIO_CREDENTIALS_SECRETACCESSKEY",
                            WRONG_SECRET),
                    command));
        }
        for (Processes.Result result : results) {
            assertOneClearError(result, mentions);
            assertThat(result.output()).doesNotContain(WRONG_SECRET).doesNotContain(S3Server.SECRET_ACCESS_KEY);
        }
        assertWroteNothing();
        System.out.println("BucketSeedsIT wrong credentials: runs=" + results.size() + " (plan, apply x wrong"
                + " secretAccessKey, unknown accessKeyID, wrong secret from KBR_SECRET_*) exit-1=" + results.size()
                + " error-lines-per-run=1 secret-values-in-output=0 stack-traces=0 writes=0");
    }

    @Test
    void anUnreachableEndpointFailsWithOneErrorNamingTheStoreAndTheEndpoint() throws Exception {
        // Bound but not listening: every connection is refused, and no other program can take the port.
        try (Socket closed = new Socket()) {
            closed.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            String endpoint = "http://127.0.0.1:" + closed.getLocalPort();
            String url = endpoint + "/" + BUCKET;
            List<Processes.Result> results = new ArrayList<>();
            for (String command : List.of("plan", "apply")) {
                Processes.Result result = kbrWith(url, secrets, Map.of(), command);
                assertOneClearError(
                        result,
                        "BucketStateStore default (" + url + ")",
                        "cannot reach " + endpoint,
                        "check spec.endpoint");
                assertThat(result.output()).doesNotContain(S3Server.SECRET_ACCESS_KEY);
                results.add(result);
            }
            System.out.println("BucketSeedsIT unreachable endpoint: runs=" + results.size() + " exit-1="
                    + results.size() + " error-lines-per-run=1 stack-traces=0 (" + endpoint + ", refused)");
        }
    }

    @Test
    void aMissingSecretOrSecretKeyIsNamedBeforeAnyRequest() throws Exception {
        Path noSecretKey = secretFiles("no-secret-key", S3Server.ACCESS_KEY_ID, null);
        Path noSecret = Files.createDirectories(tmp.resolve("no-secret"));
        String url = server.endpoint() + "/" + BUCKET;
        List<Processes.Result> results = new ArrayList<>();
        for (String command : List.of("plan", "apply")) {
            Processes.Result missingKey = kbrWith(url, noSecretKey, Map.of(), command);
            assertOneClearError(
                    missingKey,
                    "default (" + url + ")",
                    "BucketStateStore `default`",
                    "Secret default/minio-credentials, which has no key `secretAccessKey`",
                    "KBR_SECRET_DEFAULT_MINIO_CREDENTIALS_SECRETACCESSKEY");
            Processes.Result missingSecret = kbrWith(url, noSecret, Map.of(), command);
            assertOneClearError(
                    missingSecret,
                    "default (" + url + ")",
                    "BucketStateStore `default`",
                    "names Secret default/minio-credentials in spec.secretRef, but no such Secret was given",
                    "--secrets-dir");
            results.add(missingKey);
            results.add(missingSecret);
        }
        long requests = server.requests().size();
        assertThat(requests).as("no request without credentials").isZero();
        System.out.println("BucketSeedsIT missing Secret or key: runs=" + results.size() + " exit-1=" + results.size()
                + " error-lines-per-run=1 stack-traces=0 requests=" + requests);
    }

    private static void assertOneClearError(Processes.Result result, String... mentions) {
        assertThat(result.exitCode()).as(result.output()).isEqualTo(Main.ERROR);
        List<String> errors =
                result.output().lines().filter(l -> l.startsWith("Error:")).toList();
        assertThat(errors).as(result.output()).hasSize(1);
        assertThat(errors.get(0)).contains(mentions);
        assertThat(result.output())
                .as("no stack trace")
                .doesNotContain("Exception")
                .doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(");
    }

    private void assertWroteNothing() {
        for (String method : List.of("PUT", "DELETE", "POST")) {
            assertThat(server.requestCount(method)).as(method + " requests").isZero();
        }
    }

    /** {@code kbr COMMAND} of {@code platform} with both stores on this server's bucket. */
    private Processes.Result kbr(Path platform, String command, String... more) throws Exception {
        String url = server.endpoint() + "/" + BUCKET;
        List<String> args = new ArrayList<>(List.of(command, "--platform", platform.toString()));
        args.addAll(List.of(more));
        args.addAll(storeArgs(url, secrets));
        return kbrJar(args, Map.of());
    }

    /** {@code kbr COMMAND} of the seeds with both stores at {@code url} and these credentials. */
    private Processes.Result kbrWith(String url, Path secretsDir, Map<String, String> environment, String command)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(command, "--platform", SEEDS_BUCKET.toString()));
        args.addAll(storeArgs(url, secretsDir));
        return kbrJar(args, environment);
    }

    private static List<String> storeArgs(String url, Path secretsDir) {
        List<String> args = new ArrayList<>();
        for (String store : STORES) {
            args.addAll(List.of("--state-url", store + "=" + url));
        }
        if (secretsDir != null) {
            args.addAll(List.of("--secrets-dir", secretsDir.toString()));
        }
        args.addAll(List.of("--pipeline-network", "none"));
        return args;
    }

    private Processes.Result kbrJar(List<String> args, Map<String, String> environment) throws Exception {
        Path log = tmp.resolve("kbr-" + (++runs) + ".log");
        return KbrJar.start(null, log, args, environment).await(KBR_SECONDS);
    }

    /** A {@code --secrets-dir} holding Secret default/minio-credentials; a null value leaves its key out. */
    private Path secretFiles(String name, String accessKeyId, String secretAccessKey) throws IOException {
        Path dir = tmp.resolve(name);
        Path secret = Files.createDirectories(dir.resolve(SECRET_NAMESPACE).resolve(SECRET_NAME));
        Files.writeString(secret.resolve("accessKeyID"), accessKeyId, StandardCharsets.UTF_8);
        if (secretAccessKey != null) {
            Files.writeString(secret.resolve("secretAccessKey"), secretAccessKey, StandardCharsets.UTF_8);
        }
        return dir;
    }

    /** Each store's records archive's entries ({@code records/<path>}, {@code content-ids}), as tar lists them. */
    private Map<String, Set<String>> recordEntries(String name) throws Exception {
        Path dir = tmp.resolve("records-" + name);
        server.download(BUCKET, ".kbr/records", dir);
        Map<String, Set<String>> entries = new TreeMap<>();
        for (String store : STORES) {
            entries.put(
                    store,
                    Processes.check(
                                    tmp,
                                    "tar",
                                    "-tzf",
                                    dir.resolve(store + ".tar.gz").toString())
                            .lines()
                            .collect(Collectors.toCollection(TreeSet::new)));
        }
        return entries;
    }

    private Map<String, Long> countsByMethod() {
        return server.requests().stream()
                .collect(Collectors.groupingBy(S3Server.Request::method, TreeMap::new, Collectors.counting()));
    }

    /**
     * A copy of the platform whose two stores are GitStateStores of the same names (their URLs
     * given with {@code --state-url}), and whose Destinations name them as such.
     */
    private Path withGitStateStores() throws IOException {
        Path platform = Trees.copy(SEEDS_BUCKET, tmp.resolve("seeds-git"));
        for (String store : STORES) {
            Files.writeString(platform.resolve("state-stores/" + store + ".yaml"), """
                    apiVersion: platform.kratix.io/v1alpha1
                    kind: GitStateStore
                    metadata:
                      name: %s
                    spec:
                      url: https://git.example.com/platform/%s.git
                      branch: main
                    """.formatted(store, store));
        }
        try (Stream<Path> destinations = Files.list(platform.resolve("destinations"))) {
            for (Path destination : destinations.toList()) {
                String text = Files.readString(destination);
                assertThat(text).contains("kind: BucketStateStore");
                Files.writeString(destination, text.replace("kind: BucketStateStore", "kind: GitStateStore"));
            }
        }
        return platform;
    }

    private static Path checkout(Path repo, Path dir) throws Exception {
        Files.createDirectories(dir);
        Processes.check(
                dir,
                "git",
                "--git-dir",
                repo.toString(),
                "--work-tree",
                dir.toString(),
                "checkout",
                "-f",
                "main",
                "--",
                ".");
        return dir;
    }

    /** Every regular file under {@code root}, by path relative to it with {@code /}, to its bytes. */
    private static SortedMap<String, byte[]> files(Path root) throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        }
        return files;
    }

    /**
     * Builds {@code dir} with {@code flux-build} (Flux's kustomize build), failing the test when it
     * fails, and returns the built objects as {@code KIND NAME}.
     */
    private List<String> fluxBuild(Path dir) throws Exception {
        Path fluxBuild = SharedFiles.require("tools/flux-build");
        Path errors = Files.createTempFile(tmp, "flux-build-", ".err");
        Process process = new ProcessBuilder(fluxBuild.toString(), dir.toString())
                .redirectError(errors.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("flux-build " + dir + " did not finish in 2 minutes");
        }
        assertThat(process.exitValue())
                .as("flux-build " + dir + ":\n" + Files.readString(errors))
                .isZero();
        List<String> objects = new ArrayList<>();
        try (var documents = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(out)) {
            while (documents.hasNext()) {
                JsonNode object = documents.next();
                if (object != null && object.has("kind")) {
                    objects.add(object.path("kind").asText() + " "
                            + object.path("metadata").path("name").asText());
                }
            }
        }
        assertThat(objects).as("flux-build " + dir + " built objects").isNotEmpty();
        return objects;
    }
}
