package dev.kbr.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kbr.model.Destination;
import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.Promise;
import dev.kbr.testsupport.SharedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformLoaderTest {

    @Test
    void anInMemoryTreeIsLoadedExactlyAsTheSameFilesInAFolder(@TempDir Path tmp) throws IOException {
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        files.put("kbr.yaml", "exclude: [\"drafts/**\"]\n");
        files.put("destinations/dev.yaml", """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata: {name: dev}
                spec: {path: dev, stateStoreRef: {kind: GitStateStore, name: default}}
                """);
        files.put("a/b/broken.yml", "kind: ConfigMap\nmetadata: {name: x\n");
        files.put("drafts/wip.yaml", "kind: [\n");
        files.put(".github/ci.yaml", "on: [push\n");
        files.put("a/.hidden.yaml", "kind: [\n");
        files.put("notes.txt", "kind: [\n");
        for (var e : files.entrySet()) {
            Files.createDirectories(tmp.resolve(e.getKey()).getParent());
            Files.writeString(tmp.resolve(e.getKey()), e.getValue());
        }
        List<String> read = new java.util.ArrayList<>();
        PlatformFiles tree = PlatformFiles.of(
                files.keySet(),
                path -> {
                    read.add(path);
                    return files.get(path).getBytes(StandardCharsets.UTF_8);
                },
                () -> {});

        var fromTree = PlatformLoader.load(tree);
        var fromFolder = PlatformLoader.load(tmp);

        assertThat(fromTree.files()).containsExactly("a/b/broken.yml", "destinations/dev.yaml");
        assertThat(fromTree.files()).isEqualTo(fromFolder.files());
        assertThat(fromTree.diagnostics()).isEqualTo(fromFolder.diagnostics());
        assertThat(fromTree.diagnostics())
                .extracting(d -> d.location().file())
                .contains("a/b/broken.yml")
                .doesNotContain("drafts/wip.yaml", ".github/ci.yaml", "a/.hidden.yaml", "notes.txt");
        assertThat(fromTree.platform().destinations())
                .extracting(Destination::name)
                .containsExactly("dev");
        // Files left out are never read (a large binary in the repo costs nothing).
        assertThat(read).containsExactlyInAnyOrder("kbr.yaml", "a/b/broken.yml", "destinations/dev.yaml");
    }

    @Test
    void aFileWithoutAPromiseKindInItsBytesHoldsNoRequest() throws IOException {
        var platform = PlatformLoader.load(SharedFiles.repoRoot().resolve("fixtures/platforms/seeds"))
                .platform();
        Map<String, Boolean> samples = new java.util.LinkedHashMap<>();
        samples.put("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n", false);
        samples.put("apiVersion: demo.kratix.io/v1alpha1\nkind: Database\nmetadata:\n  name: db\n", true);
        // Escapes in a double-quoted scalar hide the kind from a byte search, so they count as maybe.
        samples.put("apiVersion: demo.kratix.io/v1alpha1\nkind: \"D\\x61tabase\"\nmetadata:\n  name: db\n", true);

        samples.forEach((yaml, holds) -> {
            byte[] bytes = yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            List<Diagnostic> diagnostics = new java.util.ArrayList<>();
            long requests = YamlReader.read("output.yaml", bytes).documents().stream()
                    .filter(doc ->
                            PlatformLoader.asRequest(platform, doc, diagnostics).isPresent())
                    .count();
            assertThat(PlatformLoader.mayHoldRequests(platform, bytes)).as(yaml).isEqualTo(holds);
            assertThat(requests).as(yaml).isEqualTo(holds ? 1 : 0);
        });
    }

    @Test
    void loadsTheSeedsPlatform() throws IOException {
        var result = PlatformLoader.load(SharedFiles.repoRoot().resolve("fixtures/platforms/seeds"));
        assertThat(result.diagnostics()).isEmpty();
        var platform = result.platform();
        assertThat(platform.promises())
                .extracting(Promise::name)
                .containsExactlyInAnyOrder("jenkins", "database", "redis", "postgresql", "nginx-ingress", "app");
        assertThat(platform.requests())
                .extracting(r -> r.displayName())
                .containsExactlyInAnyOrder(
                        "jenkins/default/example",
                        "database/default/example-database",
                        "redis/default/example-redis",
                        "app/default/todoer");
        assertThat(platform.destinations())
                .extracting(Destination::name)
                .containsExactly("platform-cluster", "worker-1");
        Destination platformCluster = platform.destinations().get(0);
        assertThat(platformCluster.strictMatchLabels()).isTrue();
        assertThat(platform.stateStores())
                .singleElement()
                .satisfies(s ->
                        assertThat(((dev.kbr.model.GitStateStore) s).branch()).isEqualTo("main"));
        Promise app = platform.promise("app").orElseThrow();
        assertThat(app.requiredPromises()).hasSize(2);
        assertThat(app.version()).contains("v1.0.0-beta.1");
        assertThat(app.api().orElseThrow().gvk().apiVersion()).isEqualTo("marketplace.kratix.io/v1");
        assertThat(platform.promise("nginx-ingress").orElseThrow().api()).isEmpty();
    }

    @Test
    void loadsTheLayoutsPlatform() throws IOException {
        var result = PlatformLoader.load(SharedFiles.repoRoot().resolve("fixtures/platforms/layouts"));
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.platform().destinations())
                .extracting(Destination::name, d -> d.filepathMode().value(), Destination::aggregatedFilename)
                .containsExactly(
                        tuple("aggregated", "aggregatedYAML", "catalog.yaml"),
                        tuple("flat", "none", "aggregated.yaml"),
                        tuple("nested", "nestedByMetadata", "aggregated.yaml"));
        assertThat(result.platform().stateStores())
                .singleElement()
                .satisfies(s -> assertThat(s.path()).isEqualTo("clusters"));
        assertThat(result.platform().requests()).hasSize(6);
    }

    @Test
    void reportsEveryProblemWithFileLineAndField(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("dest.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata:
                  name: broken
                spec:
                  stateStoreRef:
                    kind: GitStateStore
                ---
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata:
                  name: other
                spec:
                  path: other
                  stateStoreRef: {kind: GitStateStore, name: default}
                  filepath: {mode: sideways}
                """);
        Files.writeString(dir.resolve("bad.yaml"), "a: [\n");
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics())
                .extracting(Diagnostic::toString)
                .containsExactly(
                        "bad.yaml:2: error: is not valid YAML: while parsing a flow node, expected the node content, but"
                                + " found '<stream end>'; fix the YAML syntax",
                        "dest.yaml:5: error: spec.path: is required but missing; set the folder of this Destination in its"
                                + " state store (\".\" for the root)",
                        "dest.yaml:6: error: spec.stateStoreRef.name: is required but missing; name the state store",
                        "dest.yaml:16 (document 2): error: spec.filepath.mode: must be nestedByMetadata, aggregatedYAML or"
                                + " none, not \"sideways\"");
        // A mapping error hides the object as surely as broken YAML, so dest.yaml holds deletes too.
        assertThat(result.filesWithErrors()).containsExactly("bad.yaml", "dest.yaml");
        assertThat(result.platform().destinations()).isEmpty();
    }

    @Test
    void readsCleanupAndDefaultsTheAggregatedFilename(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("dest.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata: {name: all}
                spec:
                  path: all
                  cleanup: all
                  stateStoreRef: {kind: GitStateStore, name: default}
                  filepath: {mode: aggregatedYAML, filename: ""}
                ---
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata: {name: plain}
                spec:
                  path: plain
                  stateStoreRef: {kind: GitStateStore, name: default}
                ---
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata: {name: odd}
                spec:
                  path: odd
                  cleanup: some
                  stateStoreRef: {kind: GitStateStore, name: default}
                """);
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics())
                .extracting(Diagnostic::toString)
                .containsExactly("dest.yaml:22 (document 3): error: spec.cleanup: must be none or all, not \"some\"");
        assertThat(result.platform().destinations())
                .extracting(Destination::name, Destination::cleanup, Destination::aggregatedFilename)
                .containsExactly(
                        tuple("all", DestinationCleanup.ALL, "aggregated.yaml"),
                        tuple("plain", DestinationCleanup.NONE, "aggregated.yaml"));
    }

    @Test
    void skipsHiddenFoldersAndExcludedPaths(@TempDir Path dir) throws IOException {
        String store = "apiVersion: platform.kratix.io/v1alpha1\nkind: GitStateStore\nmetadata: {name: %s}\n"
                + "spec: {url: /tmp/x}\n";
        Files.createDirectories(dir.resolve(".git"));
        Files.createDirectories(dir.resolve("drafts"));
        Files.writeString(dir.resolve(".git/a.yaml"), store.formatted("hidden"));
        Files.writeString(dir.resolve("drafts/b.yaml"), store.formatted("draft"));
        Files.writeString(dir.resolve("c.yml"), store.formatted("kept"));
        Files.writeString(dir.resolve("kbr.yaml"), "exclude:\n- drafts/**\n");
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.platform().stateStores()).extracting(s -> s.name()).containsExactly("kept");
    }

    @Test
    void reportsDuplicateNames(@TempDir Path dir) throws IOException {
        String store = "apiVersion: platform.kratix.io/v1alpha1\nkind: GitStateStore\nmetadata: {name: s}\n"
                + "spec: {url: /tmp/x}\n";
        Files.writeString(dir.resolve("a.yaml"), store);
        Files.writeString(dir.resolve("b.yaml"), store);
        Files.writeString(dir.resolve("p1.yaml"), promise("p", "example.com", "v1", "One"));
        Files.writeString(dir.resolve("p2.yaml"), "# the same name\n" + promise("p", "example.com", "v1", "One"));
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics())
                .extracting(Diagnostic::toString)
                .containsExactly(
                        "b.yaml:3: error: metadata.name: GitStateStore s is already defined at a.yaml:3; names must be"
                                + " unique, remove or rename one",
                        "p2.yaml:5: error: metadata.name: Promise p is already defined at p1.yaml:4; names must be"
                                + " unique, remove or rename one");
    }

    @Test
    void reportsAVolumeKbrCannotProvideOnceNotAgainAtItsMounts() {
        var result = OnePipelinePromise.load("""
                volumeMounts:
                - {name: creds, mountPath: /creds}
                - {name: typo, mountPath: /typo}
                """, """
                volumes:
                - name: creds
                  hostPath: {path: /var/creds}
                """);

        assertThat(result.platform().promises()).isEmpty();
        assertThat(result.diagnostics())
                .extracting(d -> d.location().line() + " " + d.field())
                .containsExactly(
                        "17 spec.workflows.resource.configure[0].spec.containers[0].volumeMounts[1].name",
                        "20 spec.workflows.resource.configure[0].spec.volumes[0].hostPath");
    }

    private static List<String> errors(Path dir) throws IOException {
        return PlatformLoader.load(dir).diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(Diagnostic::toString)
                .toList();
    }

    /** A Promise serving {@code group/version kind}, with a schema that takes any spec. */
    private static String promise(String name, String group, String version, String kind) {
        return """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata:
                  name: %s
                spec:
                  api:
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata: {name: %s.%s}
                    spec:
                      group: %s
                      names: {kind: %s, plural: %s}
                      scope: Namespaced
                      versions:
                      - name: %s
                        served: true
                        storage: true
                        schema:
                          openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """.formatted(name, kind.toLowerCase(), group, group, kind, kind.toLowerCase(), version);
    }

    private static String request(String apiVersion, String kind, String name) {
        return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: " + name
                + ", namespace: default}\nspec: {}\n";
    }

    private static String destination(String name, String path) {
        return """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata: {name: %s}
                spec:
                  path: %s
                  stateStoreRef: {kind: GitStateStore, name: default}
                """.formatted(name, path);
    }

    @Test
    void refusesDestinationPathsThatCouldReachAnotherDestinationsFolder(@TempDir Path dir) throws IOException {
        List<String> bad = List.of("\"../x\"", "\"a/../b\"", "\"a//b\"", "\"a/./b\"", "\"..\"", "\"a\\\\b\"");
        for (String path : bad) {
            Files.writeString(dir.resolve("d.yaml"), destination("d", path));
            var result = PlatformLoader.load(dir);
            assertThat(result.platform().destinations()).as(path).isEmpty();
            assertThat(errors(dir))
                    .as(path)
                    .singleElement()
                    .asString()
                    .startsWith("d.yaml:5: error: spec.path:")
                    .contains("not a plain relative folder");
            assertThat(result.filesWithErrors()).containsExactly("d.yaml");
        }
        for (String path : List.of("/a/b/", "a/b", ".", "/")) {
            Files.writeString(dir.resolve("d.yaml"), destination("d", path));
            assertThat(errors(dir)).as(path).isEmpty();
        }
    }

    @Test
    void refusesValuesOfTheWrongTypeAsKubernetesDecodingDoes(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("d.yaml"),
                destination("d", "42") + "  strictMatchLabels: maybe\n  filepath: {mode: [a]}\n");
        assertThat(errors(dir))
                .containsExactly(
                        "d.yaml:5: error: spec.path: must be a string, not a number (quote it)",
                        "d.yaml:7: error: spec.strictMatchLabels: must be true or false, not a string",
                        "d.yaml:8: error: spec.filepath.mode: must be a string, not a list");
        Files.writeString(
                dir.resolve("d.yaml"),
                "apiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata: {name: d}\nspec: oops\n");
        assertThat(errors(dir)).contains("d.yaml:4: error: spec: must be a map, not a string");
    }

    @Test
    void anObjectThatLostItsKindIsAnErrorAndAKratixKindTypoGetsAHint(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), destination("d", "d").replace("kind: Destination\n", ""));
        Files.writeString(dir.resolve("b.yaml"), destination("e", "e").replace("Destination", "Destinaton"));
        Files.writeString(dir.resolve("c.yaml"), destination("f", "f").replace("v1alpha1", "v1alpha2"));
        Files.writeString(dir.resolve("d.yaml"), destination("g", "g").replace("platform.", "platfom."));
        // Plain YAML that is no Kubernetes object (a Helm values file) is still only a warning.
        Files.writeString(dir.resolve("values.yaml"), "replicas: 3\nimage: {tag: x}\n");
        var result = PlatformLoader.load(dir);
        assertThat(errors(dir))
                .containsExactly(
                        "a.yaml:1: error: kind: is missing; this document has metadata (or a kind or apiVersion), so it"
                                + " is read as a Kubernetes object: give it apiVersion and kind as strings",
                        "b.yaml:2: error: kind: is Destinaton, which nothing serves in platform.kratix.io/v1alpha1;"
                                + " did you mean Destination (served by Kratix)? Fix the kind, or if this is no"
                                + " request, move it out of the platform folder or exclude it in kbr.yaml",
                        "c.yaml:1: error: apiVersion: is platform.kratix.io/v1alpha2, but Kratix serves Destination"
                                + " only as platform.kratix.io/v1alpha1 and no Promise serves platform.kratix.io/v1alpha2"
                                + " Destination; fix the apiVersion",
                        "d.yaml:1: error: apiVersion: is platfom.kratix.io/v1alpha1, which serves no Destination;"
                                + " did you mean platform.kratix.io/v1alpha1 (Destination served by Kratix)? Fix the"
                                + " apiVersion, or if this is no request, move it out of the platform folder or"
                                + " exclude it in kbr.yaml");
        assertThat(result.filesWithErrors()).containsExactly("a.yaml", "b.yaml", "c.yaml", "d.yaml");
    }

    @Test
    void aPromiseMayServeItsRequestsInThePlatformKratixIoGroup(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("db.yaml"), promise("db", "platform.kratix.io", "v1alpha1", "Database"));
        Files.writeString(dir.resolve("cache.yaml"), promise("cache", "platform.kratix.io", "v1", "Cache"));
        Files.writeString(dir.resolve("r1.yaml"), request("platform.kratix.io/v1alpha1", "Database", "one"));
        Files.writeString(dir.resolve("r2.yaml"), request("platform.kratix.io/v1", "Cache", "two"));
        // Kratix kinds kbr leaves to other readers are no unknown kinds either.
        Files.writeString(
                dir.resolve("kratix.yaml"),
                "apiVersion: platform.kratix.io/v1alpha1\nkind: PromiseRelease\nmetadata: {name: x}\n---\n"
                        + "apiVersion: platform.kratix.io/v1alpha1\nkind: WorkPlacement\nmetadata: {name: y}\n");
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.platform().requests())
                .extracting(r -> r.promiseName() + "/" + r.name())
                .containsExactlyInAnyOrder("db/one", "cache/two");
    }

    @Test
    void aRequestWithATypoInItsApiVersionOrKindGetsADidYouMean(@TempDir Path dir) throws IOException {
        Path seeds = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");
        Files.createDirectories(dir.resolve("p"));
        Files.copy(seeds.resolve("promises/redis/promise.yaml"), dir.resolve("p/redis.yaml"));
        String request = Files.readString(seeds.resolve("requests/redis.yaml"));
        Files.writeString(dir.resolve("r1.yaml"), request.replace("mygroup.org/v1alpha1", "mygroup.org/v1"));
        Files.writeString(dir.resolve("r2.yaml"), request.replace("kind: Redis", "kind: redis"));
        Files.writeString(dir.resolve("r3.yaml"), request.replace("mygroup.org/", "mygroup.orgg/"));
        Files.writeString(dir.resolve("r4.yaml"), request.replace("kind: Redis", "kind: Rediss"));
        // Two edits away, another group, or a kind of a pipeline's own folder: no guess.
        Files.writeString(dir.resolve("r5.yaml"), request.replace("kind: Redis", "kind: Radix"));
        Files.writeString(dir.resolve("r6.yaml"), request.replace("mygroup.org/v1alpha1", "redis.io/v1"));
        Files.createDirectories(dir.resolve("redis/configure-pipeline/resources"));
        Files.writeString(
                dir.resolve("redis/configure-pipeline/resources/r7.yaml"),
                request.replace("kind: Redis", "kind: redis"));
        var result = PlatformLoader.load(dir);
        assertThat(result.platform().requests()).isEmpty();
        assertThat(errors(dir))
                .containsExactly(
                        "r1.yaml:1: error: apiVersion: is mygroup.org/v1, which serves no Redis; did you mean"
                                + " mygroup.org/v1alpha1 (Redis served by Promise redis)? Fix the apiVersion, or if this"
                                + " is no request, move it out of the platform folder or exclude it in kbr.yaml",
                        "r2.yaml:2: error: kind: is redis, which nothing serves in mygroup.org/v1alpha1; did you mean"
                                + " Redis (served by Promise redis)? Kinds are case-sensitive. Fix the kind, or if this"
                                + " is no request, move it out of the platform folder or exclude it in kbr.yaml",
                        "r3.yaml:1: error: apiVersion: is mygroup.orgg/v1alpha1, which serves no Redis; did you mean"
                                + " mygroup.org/v1alpha1 (Redis served by Promise redis)? Fix the apiVersion, or if"
                                + " this is no request, move it out of the platform folder or exclude it in kbr.yaml",
                        "r4.yaml:2: error: kind: is Rediss, which nothing serves in mygroup.org/v1alpha1; did you mean"
                                + " Redis (served by Promise redis)? Fix the kind, or if this is no request, move it"
                                + " out of the platform folder or exclude it in kbr.yaml");
        assertThat(result.filesWithErrors()).containsExactly("r1.yaml", "r2.yaml", "r3.yaml", "r4.yaml");
        assertThat(result.ignored())
                .containsExactly(
                        "r5.yaml: mygroup.org/v1alpha1 Radix",
                        "r6.yaml: redis.io/v1 Redis",
                        "redis/configure-pipeline/resources/r7.yaml: mygroup.org/v1alpha1 redis");
    }

    @Test
    void anOperatorsOwnResourceIsNotTakenForARequestOfAPromiseServingItsNameElsewhere(@TempDir Path dir)
            throws IOException {
        Files.writeString(
                dir.resolve("jenkins.yaml"), promise("jenkins", "marketplace.kratix.io", "v1alpha1", "jenkins"));
        Files.createDirectories(dir.resolve("jenkins/internal/configure-pipeline/resources"));
        Files.writeString(
                dir.resolve("jenkins/internal/configure-pipeline/resources/instance.yaml"),
                request("jenkins.io/v1alpha2", "Jenkins", "example"));
        Files.writeString(dir.resolve("instance.yaml"), request("jenkins.io/v1alpha2", "Jenkins", "example"));
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.ignored()).hasSize(2);
    }

    @Test
    void aGroupSharedBySeveralPromisesGetsAGuessOnlyForKindsOneEditFromAServedOne(@TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("p1.yaml"), promise("redis", "marketplace.kratix.io", "v1alpha1", "redis"));
        Files.writeString(dir.resolve("p2.yaml"), promise("s3", "marketplace.kratix.io", "v1alpha1", "bucket"));
        Files.writeString(dir.resolve("r1.yaml"), request("marketplace.kratix.io/v1alpha1", "bucket", "valid"));
        // Served by a Promise kept elsewhere (slack): no guess.
        Files.writeString(dir.resolve("r2.yaml"), request("marketplace.kratix.io/v1alpha1", "slack", "other"));
        // One edit from a kind served here: a typo, which must not look like a deleted request.
        Files.writeString(dir.resolve("r3.yaml"), request("marketplace.kratix.io/v1alpha1", "buckets", "near"));
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics())
                .extracting(Diagnostic::toString)
                .singleElement()
                .asString()
                .startsWith(
                        "r3.yaml:2: error: kind: is buckets, which nothing serves in marketplace.kratix.io/v1alpha1;"
                                + " did you mean bucket (served by Promise s3)?");
        assertThat(result.platform().requests()).extracting(r -> r.name()).containsExactly("valid");
    }

    @Test
    void theRequestsOfAPromiseThatFailedToLoadSaySo(@TempDir Path dir) throws IOException {
        String broken = "  requiredPromises: oops\n";
        Files.writeString(dir.resolve("one.yaml"), promise("one", "example.com", "v1", "One") + broken);
        Files.writeString(dir.resolve("two-a.yaml"), promise("two", "example.com", "v1", "Two") + broken);
        Files.writeString(dir.resolve("two-b.yaml"), promise("two", "example.com", "v1", "Two") + broken);
        Files.writeString(dir.resolve("r1.yaml"), request("example.com/v1", "One", "a"));
        Files.writeString(dir.resolve("r2.yaml"), request("example.com/v1", "Two", "b"));
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics())
                .filteredOn(d -> d.location().file().startsWith("r"))
                .extracting(Diagnostic::toString)
                .containsExactly(
                        "r1.yaml:1: warning: not checked: its Promise one (one.yaml:1) failed to load: fix that Promise"
                                + " first",
                        "r2.yaml:1: warning: not checked: its Promise two (two-a.yaml:1) and Promise two"
                                + " (two-b.yaml:1) failed to load: fix those Promises first");
    }

    @Test
    void refusesADocumentLargerThanKubernetesCouldStore(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("d.yaml"),
                destination("d", "d") + "  note: |\n"
                        + ("    " + "x".repeat(995) + "\n").repeat(PlatformLoader.MAX_DOCUMENT_CHARS / 1000 + 1));
        assertThat(errors(dir))
                .singleElement()
                .asString()
                .startsWith("d.yaml:1: error: this document is ")
                .contains("more than the " + PlatformLoader.MAX_DOCUMENT_CHARS);
    }
}
