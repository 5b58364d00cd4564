package dev.kbr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbr.testsupport.S3Server;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The whole {@code kbr} command line run in-process against state stores on a real S3 server
 * ({@link S3Server}), and bare Git repos beside them: each store's {@code --state-url}, the
 * server's keys in {@code --secrets-dir} as the Secret {@code default/minio-credentials} that the
 * seeds-bucket platform's stores name, stdout and stderr kept apart.
 */
final class BucketKbr {
    /** The seeds platform on BucketStateStores {@code default} and {@code minio-store}. */
    static final Path SEEDS_BUCKET = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds-bucket");

    /** The namespace of the Secret both seeds-bucket stores name in {@code spec.secretRef}. */
    static final String SECRET_NAMESPACE = "default";

    /** The name of the Secret both seeds-bucket stores name in {@code spec.secretRef}. */
    static final String SECRET_NAME = "minio-credentials";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Server server;
    private final Path secrets;
    private final Map<String, String> urls = new LinkedHashMap<>();
    private Map<String, String> environment = Map.of();

    /** What one run printed: the report on stdout, progress and errors on stderr. */
    record Output(int exitCode, String out, String err) {
        String both() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }

        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    /** Writes the server's keys under {@code tmp/secrets} as the seeds-bucket stores' Secret. */
    BucketKbr(S3Server server, Path tmp) throws IOException {
        this.server = server;
        this.secrets = server.secretsDir(tmp.resolve("secrets"), SECRET_NAMESPACE, SECRET_NAME);
    }

    /** Points store {@code name} at a bucket of the server: {@code --state-url NAME=http://127.0.0.1:PORT/BUCKET}. */
    BucketKbr bucket(String name, String bucket) {
        urls.put(name, server.endpoint() + "/" + bucket);
        return this;
    }

    /** Points GitStateStore {@code name} at a bare repo. */
    BucketKbr git(String name, Path repo) {
        urls.put(name, repo.toString());
        return this;
    }

    /** Variables the run sees as its environment (the Markdown summary's {@code GITHUB_STEP_SUMMARY}). */
    BucketKbr environment(Map<String, String> variables) {
        this.environment = Map.copyOf(variables);
        return this;
    }

    /** {@code --secrets-dir} as given to every run. */
    Path secretsDir() {
        return secrets;
    }

    /** The {@code --state-url} value of store {@code name}. */
    String url(String name) {
        return urls.get(name);
    }

    /** {@code kbr ARGS} of a pass: with {@code --pipeline-network none} and {@link #run}'s options. */
    Output pass(Path platform, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--pipeline-network", "none"));
        return run(platform, all.toArray(String[]::new));
    }

    /** {@code kbr ARGS --platform PLATFORM --secrets-dir DIR --state-url ...} (a saved plan's apply, status). */
    Output run(Path platform, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--platform", platform.toString(), "--secrets-dir", secrets.toString()));
        urls.forEach((name, url) -> all.addAll(List.of("--state-url", name + "=" + url)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new PrintWriter(out), new PrintWriter(err), Environment.of(environment), all.toArray(String[]::new));
        return new Output(code, out.toString(), err.toString());
    }

    /** The bucket's objects outside kbr's {@code .kbr/} folder: key to ETag (the MD5 of the bytes). */
    SortedMap<String, String> delivered(String bucket) {
        SortedMap<String, String> objects = new TreeMap<>(server.keys(bucket, ""));
        objects.keySet().removeIf(key -> key.startsWith(".kbr/"));
        return objects;
    }

    /** An object's text. */
    String text(String bucket, String key) {
        return server.s3().getObjectAsBytes(g -> g.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
    }

    /** Each change's path in a JSON report, by store then action, e.g. {@code default} → {@code added} → paths. */
    static Map<String, Map<String, List<String>>> changes(JsonNode report) {
        Map<String, Map<String, List<String>>> stores = new TreeMap<>();
        for (JsonNode store : report.path("stores")) {
            Map<String, List<String>> byAction =
                    stores.computeIfAbsent(store.path("name").asText(), n -> new TreeMap<>());
            for (JsonNode change : store.path("changes")) {
                byAction.computeIfAbsent(change.path("action").asText(), a -> new ArrayList<>())
                        .add(change.path("path").asText());
            }
        }
        return stores;
    }

    /** The store named {@code name} in a JSON report. */
    static JsonNode store(JsonNode report, String name) {
        for (JsonNode store : report.path("stores")) {
            if (store.path("name").asText().equals(name)) {
                return store;
            }
        }
        throw new AssertionError("no store " + name + " in the report: " + report.toPrettyString());
    }

    /** A copy of the seeds-bucket platform at {@code to}. */
    static Path copySeeds(Path to) throws IOException {
        return Trees.copy(SEEDS_BUCKET, to);
    }

    /**
     * Makes store {@code name} of a seeds-bucket copy a GitStateStore (branch {@code main}), and
     * its Destinations refer to it as one.
     */
    static void toGitStore(Path platform, String name) throws IOException {
        Files.writeString(platform.resolve("state-stores/" + name + ".yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: GitStateStore
                metadata: {name: %s}
                spec: {url: https://git.example.com/platform/state.git, branch: main}
                """.formatted(name));
        try (Stream<Path> files = Files.list(platform.resolve("destinations"))) {
            for (Path destination : files.toList()) {
                String text = Files.readString(destination);
                Files.writeString(
                        destination,
                        text.replace(
                                "name: " + name + "\n    kind: BucketStateStore",
                                "name: " + name + "\n    kind: GitStateStore"));
            }
        }
    }
}
