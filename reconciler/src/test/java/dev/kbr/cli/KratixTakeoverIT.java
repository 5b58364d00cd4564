package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kbr.testsupport.GitWork;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.RequiredTools;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Takes over a state store Kratix wrote for the corpus' Promises with the largest inline
 * dependencies (CRDs of up to a megabyte, long descriptions, scripts, empty values).
 *
 * <p>The static dependency files are written by Kratix's own encoder: a Go program built here
 * against Debian's {@code gopkg.in/yaml.v2} (v2.4.0, the version Kratix is built with) that
 * encodes each Promise's dependencies as {@code Dependencies.Marshal} does. kbr is given the same
 * Promises (their workflows left out: their images come from registries this machine cannot
 * reach) and must change none of Kratix's files.
 */
class KratixTakeoverIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");
    private static final Path ENCODER_SOURCE =
            SharedFiles.repoRoot().resolve("reconciler/src/test/go/kratix-dependencies/main.go");
    private static final Path YAML_V2 = Path.of("/usr/share/gocode/src/gopkg.in/yaml.v2/encode.go");

    /** Corpus Promise → the Destinations Kratix schedules its static dependencies to. */
    private static final Map<String, List<String>> PROMISES = Map.of(
            "syntasso/kratix/config/samples/redis/redis-promise.yaml", List.of("worker-1"),
            "syntasso/kratix/samples/easy-app/internal/promises/nginx-ingress/promise.yaml", List.of("worker-1"),
            "syntasso/kratix-cli/test/assets/e2e-cnpg/expected-promise.yaml", List.of("worker-1"),
            "syntasso/kratix/internal/controller/assets/redis-simple-promise.yaml", List.of("worker-1"),
            "syntasso/kratix/samples/easy-app/promise.yaml", List.of("platform-cluster"),
            "syntasso/kratix/config/samples/postgres/postgres-promise.yaml", List.of("worker-1"));

    private static final String CANARY_NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n"
            + "  creationTimestamp: null\n  name: kratix-worker-system\nspec: {}\nstatus: {}\n";
    private static final String CANARY_CONFIGMAP = "apiVersion: v1\ndata:\n"
            + "  canary: this confirms your infrastructure is reading from Kratix state stores\n"
            + "kind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: kratix-info\n"
            + "  namespace: kratix-worker-system\n";

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path encoderDir;

    private static Path encoder;

    @BeforeAll
    static void buildKratixEncoder() throws Exception {
        RequiredTools.require("ci/setup-tools --tests", Path.of("/usr/bin/go"));
        RequiredTools.requireFiles("ci/setup-tools --tests", YAML_V2);
        encoder = encoderDir.resolve("kratix-dependencies");
        Processes.Result build = Processes.run(
                encoderDir,
                List.of(
                        "env",
                        "GOPATH=/usr/share/gocode",
                        "GO111MODULE=off",
                        "GOFLAGS=",
                        "GOCACHE=" + encoderDir.resolve("cache"),
                        "HOME=" + encoderDir,
                        "go",
                        "build",
                        "-o",
                        encoder.toString(),
                        ENCODER_SOURCE.toString()));
        assertThat(build.exitCode()).as(build.output()).isZero();
    }

    /** A Promise's dependencies (a JSON array) as some encoder writes them; {@code prefix} names its scratch files. */
    private interface Encoder {
        byte[] encode(JsonNode dependencies, Path prefix) throws Exception;
    }

    /** The platform (seeds' Destinations and store, the corpus Promises) and a store for it. */
    private record Written(Path platform, StateRepo repo, List<String> files, long dependencyBytes) {}

    private static Written storeWrittenWith(Encoder encoder, Path tmp) throws Exception {
        Path platform = tmp.resolve("platform");
        for (String folder : List.of("destinations", "state-stores")) {
            Trees.copy(SEEDS.resolve(folder), platform.resolve(folder));
        }
        Files.createDirectories(platform.resolve("promises"));
        Path tree = Files.createDirectories(tmp.resolve("written-tree"));
        long dependencyBytes = 0;
        for (var entry : PROMISES.entrySet()) {
            ObjectNode promise = (ObjectNode)
                    YAML.readTree(SharedFiles.corpus(entry.getKey()).toFile());
            String name = promise.path("metadata").path("name").asText();
            ((ObjectNode) promise.path("spec")).remove("workflows");
            YAML.writeValue(platform.resolve("promises/" + name + ".yaml").toFile(), promise);
            byte[] bytes = encoder.encode(promise.path("spec").path("dependencies"), tmp.resolve(name));
            dependencyBytes += bytes.length;
            for (String destination : entry.getValue()) {
                write(
                        tree,
                        destination + "/dependencies/" + name + "/5058f/static/" + name + "-dependencies.yaml",
                        bytes);
            }
        }
        for (String destination : List.of("worker-1", "platform-cluster")) {
            write(tree, destination + "/dependencies/kratix-canary-namespace.yaml", utf8(CANARY_NAMESPACE));
            write(tree, destination + "/resources/kratix-canary-configmap.yaml", utf8(CANARY_CONFIGMAP));
        }
        GitWork.commitAll(tree, "Update from: kratix-canary");
        StateRepo repo = StateRepo.existing(GitWork.bareClone(tree, tmp.resolve("written.git")), tmp);
        return new Written(platform, repo, repo.tree(), dependencyBytes);
    }

    /** Kratix's {@code Dependencies.Marshal}, run by the Go program built against yaml.v2. */
    private static byte[] kratixEncoding(JsonNode dependencies, Path prefix) throws Exception {
        Path json = Path.of(prefix + "-dependencies.json");
        Path yaml = Path.of(prefix + "-dependencies.yaml");
        JSON.writeValue(json.toFile(), dependencies);
        Processes.Result encoded =
                Processes.run(json.getParent(), List.of(encoder.toString(), json.toString(), yaml.toString()));
        assertThat(encoded.exitCode()).as(encoded.output()).isZero();
        return Files.readAllBytes(yaml);
    }

    /** What an earlier kbr release wrote: Jackson's YAML, lists indented under their key. */
    private static byte[] jacksonEncoding(JsonNode dependencies, Path prefix) throws Exception {
        StringBuilder out = new StringBuilder();
        for (JsonNode dependency : dependencies) {
            out.append(out.length() == 0 ? "" : "---\n")
                    .append(YAML.writeValueAsString(dependency).replaceFirst("^---\n", ""));
        }
        return utf8(out.toString());
    }

    @Test
    void takesOverAStoreKratixWroteForLargeInlineDependenciesWithoutChangingAFile(@TempDir Path tmp) throws Exception {
        Written kratix = storeWrittenWith(KratixTakeoverIT::kratixEncoding, tmp);
        Path platform = kratix.platform();
        StateRepo repo = kratix.repo();
        List<String> kratixFiles = kratix.files();
        long dependencyBytes = kratix.dependencyBytes();

        StateRepo.Run plan = repo.kbr(platform, "plan");
        assertThat(plan.exitCode()).as(plan.out()).isZero();
        List<String> planned =
                plan.out().lines().filter(l -> l.matches("\\s+[+~-] .*")).toList();
        assertThat(planned).isNotEmpty().allMatch(l -> l.strip().startsWith("+ .kbr/"));

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(repo.git("diff", "--name-only", "main~1", "main").lines())
                .as("only kbr's records are added")
                .isNotEmpty()
                .allMatch(p -> p.startsWith(".kbr/"));
        assertThat(repo.tree()).containsAll(kratixFiles);
        assertThat(repo.git("diff", "--stat", "main~1", "main", "--", ".", ":!.kbr"))
                .isEmpty();
        StateRepo.Run again = repo.kbr(platform, "plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.out()).isZero();

        // A takeover keeps equal content in the bytes it finds; written afresh, kbr's own bytes
        // must be Kratix's too.
        StateRepo fresh = StateRepo.bare(Files.createDirectories(tmp.resolve("fresh")));
        StateRepo.Run written = fresh.kbr(platform, "apply");
        assertThat(written.exitCode()).as(written.out()).isZero();
        for (String file : kratixFiles) {
            assertThat(fresh.show(file)).as(file).isEqualTo(repo.show(file));
        }
        System.out.println("KratixTakeoverIT promises=" + PROMISES.size() + " kratix-files=" + kratixFiles.size()
                + " static-dependency-bytes=" + dependencyBytes + " kratix-files-changed=0");
    }

    @Test
    void keepsStaticDependenciesStoredInOtherBytesThatHoldTheSameObjects(@TempDir Path tmp) throws Exception {
        Written earlier = storeWrittenWith(KratixTakeoverIT::jacksonEncoding, tmp);
        String file = "worker-1/dependencies/redis-promise/5058f/static/redis-promise-dependencies.yaml";
        Path kratixPrefix = Files.createDirectories(tmp.resolve("kratix")).resolve("redis-promise");
        JsonNode dependencies = YAML.readTree(
                        SharedFiles.corpus("syntasso/kratix/config/samples/redis/redis-promise.yaml")
                                .toFile())
                .path("spec")
                .path("dependencies");
        assertThat(earlier.repo().show(file))
                .as("the earlier bytes differ from Kratix's")
                .isNotEqualTo(new String(kratixEncoding(dependencies, kratixPrefix), StandardCharsets.UTF_8));

        StateRepo.Run plan = earlier.repo().kbr(earlier.platform(), "plan");
        assertThat(plan.exitCode()).as(plan.out()).isZero();
        assertThat(plan.out().lines().filter(l -> l.matches("\\s+[+~-] .*")))
                .isNotEmpty()
                .allMatch(l -> l.strip().startsWith("+ .kbr/"));
    }

    private static void write(Path root, String relative, byte[] bytes) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
