package dev.kbr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.load.PlatformLoader;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.RevisionChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise versions: PromiseRevision and ResourceBinding documents loaded from a platform folder,
 * the revision each request runs, the input hash that re-runs a request moved to another revision,
 * and {@code requiredPromises} met by any revision.
 */
class PromiseVersionsTest {
    private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");
    private static final ObjectKey PINNED = ObjectKey.request("app", "default", "pinned");
    private static final ObjectKey FLOATING = ObjectKey.request("app", "default", "floating");

    @TempDir
    Path root;

    @Test
    void revisionsAndBindingsLoadWithTheirLocations() throws Exception {
        writePlatform();
        bind("pinned", "v1");

        PlatformLoader.Result loaded = PlatformLoader.load(root);

        assertThat(loaded.diagnostics()).isEmpty();
        assertThat(loaded.ignored()).isEmpty();
        Platform platform = loaded.platform();
        assertThat(platform.revisions()).singleElement().satisfies(r -> {
            assertThat(r.promiseName()).isEqualTo("app");
            assertThat(r.version()).isEqualTo("v1");
            assertThat(r.location().file()).isEqualTo("revision-v1.yaml");
            assertThat(r.workflows().resourceConfigure())
                    .singleElement()
                    .satisfies(p -> assertThat(p.containers().get(0).image()).isEqualTo("kbr.local/make:v1"));
        });
        assertThat(platform.bindings()).singleElement().satisfies(b -> {
            assertThat(b.request()).isEqualTo(PINNED);
            assertThat(b.version()).isEqualTo("v1");
            assertThat(b.location().file()).isEqualTo("binding-pinned.yaml");
        });
    }

    @Test
    void aPinnedRequestRunsItsRevisionsWorkflowsAndAnUnboundOneTheLatest() throws Exception {
        writePlatform();
        bind("pinned", "v1");
        Platform platform = PlatformLoader.load(root).platform();

        assertThat(image(platform, "pinned")).isEqualTo("kbr.local/make:v1");
        assertThat(version(platform, "pinned")).isEqualTo("v1");
        assertThat(image(platform, "floating")).isEqualTo("kbr.local/make:v2");
        assertThat(version(platform, "floating")).isEqualTo("v2");
    }

    @Test
    void aGoneRequestDeletesWithTheRevisionItLastAppliedElseTheOneItsBindingPins() throws Exception {
        writePlatform();
        bind("pinned", "v1");
        Files.delete(root.resolve("request-pinned.yaml"));
        Platform platform = PlatformLoader.load(root).platform();
        Optional<String> none = Optional.empty();

        assertThat(deleteImage(platform, PINNED, none))
                .as("the binding's version")
                .isEqualTo("kbr.local/make:v1");
        assertThat(deleteImage(platform, FLOATING, none))
                .as("no binding: the latest")
                .isEqualTo("kbr.local/make:v2");
        assertThat(deleteImage(platform, FLOATING, Optional.of("v1")))
                .as("the version it last applied wins over its binding")
                .isEqualTo("kbr.local/make:v1");
        assertThat(deleteImage(platform, PINNED, Optional.of("v2")))
                .as("the Promise's own version")
                .isEqualTo("kbr.local/make:v2");
        assertThat(deleteImage(platform, PINNED, Optional.of("v0")))
                .as("a version the platform no longer has: the Promise")
                .isEqualTo("kbr.local/make:v2");
        assertThat(platform.promiseForDelete(ObjectKey.request("gone", "default", "x"), none))
                .isEmpty();
    }

    private static String deleteImage(Platform platform, ObjectKey request, Optional<String> applied) {
        return configureImage(platform.promiseForDelete(request, applied).orElseThrow());
    }

    @Test
    void aBindingToLatestOrToThePromisesOwnVersionRunsThePromise() throws Exception {
        writePlatform();
        for (String version : List.of("latest", "v2")) {
            bind("pinned", version);
            Platform platform = PlatformLoader.load(root).platform();
            assertThat(image(platform, "pinned")).as(version).isEqualTo("kbr.local/make:v2");
            assertThat(((RevisionChoice.Chosen) platform.revisionFor(request(platform, "pinned"))).revision())
                    .as(version)
                    .isEmpty();
        }
    }

    @Test
    void aBindingToARevisionThatDoesNotExistIsAnErrorAtItsVersionSayingWhatToDo() throws Exception {
        writePlatform();
        bind("pinned", "v0");
        Platform platform = PlatformLoader.load(root).platform();

        RevisionChoice choice = platform.revisionFor(request(platform, "pinned"));

        assertThat(choice).isInstanceOf(RevisionChoice.Missing.class);
        Diagnostic error = ((RevisionChoice.Missing) choice).diagnostic();
        assertThat(error.isError()).isTrue();
        assertThat(error.location().file()).isEqualTo("binding-pinned.yaml");
        assertThat(error.location().line()).isEqualTo(5);
        assertThat(error.field()).isEqualTo("spec.version");
        assertThat(error.message())
                .contains("version v0 of Promise app", "it has v2 (the Promise), v1", "keeps what it delivered")
                .contains("set spec.version to latest");
        assertThat(platform.revisionFor(request(platform, "floating"))).isInstanceOf(RevisionChoice.Chosen.class);
    }

    @Test
    void malformedOrConflictingVersionDocumentsAreErrorsWithFileLineAndField() throws Exception {
        writePlatform();
        write("binding-broken.yaml", """
                apiVersion: platform.kratix.io/v1alpha1
                kind: ResourceBinding
                metadata: {name: broken, namespace: default}
                spec:
                  promiseRef: {name: app}
                  resourceRef: {name: floating}
                """);
        write("revision-w-again.yaml", revision("app", "v1", "again"));
        write("revision-current.yaml", revision("app", "v2", "current"));
        write("revision-orphan.yaml", revision("gone", "v1", "orphan"));
        bind("pinned", "v1");
        write("binding-twice.yaml", binding("twice", "pinned", "latest"));

        PlatformLoader.Result loaded = PlatformLoader.load(root);

        assertThat(loaded.diagnostics())
                .extracting(d -> d.location().file() + ":" + d.location().line() + " " + d.field())
                .containsExactly(
                        "binding-broken.yaml:4 spec.version",
                        "binding-twice.yaml:7 spec.resourceRef",
                        "revision-current.yaml:7 spec.version",
                        "revision-orphan.yaml:6 spec.promiseRef.name",
                        "revision-w-again.yaml:7 spec.version");
        assertThat(loaded.diagnostics()).allMatch(Diagnostic::isError);
        assertThat(loaded.diagnostics().get(2).message()).contains("already held by Promise app itself");
        assertThat(loaded.filesWithErrors()).contains("binding-twice.yaml", "revision-orphan.yaml");
        assertThat(loaded.platform().revisions())
                .extracting(r -> r.location().file())
                .containsExactly("revision-v1.yaml");
        assertThat(loaded.platform().bindings()).extracting(b -> b.name()).containsExactly("pinned");
    }

    @Test
    void aRequiredVersionIsMetByAnyRevisionOfTheRequiredPromise() throws Exception {
        writePlatform();
        write("needs.yaml", """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata: {name: needs}
                spec:
                  requiredPromises:
                  - {name: app, version: v1}
                  - {name: app, version: v2}
                """);
        Platform platform = PlatformLoader.load(root).platform();
        assertThat(RequiredPromises.unmet(platform, platform.promise("needs").orElseThrow(), name -> true))
                .isEmpty();

        Files.delete(root.resolve("revision-v1.yaml"));
        platform = PlatformLoader.load(root).platform();
        assertThat(RequiredPromises.unmet(platform, platform.promise("needs").orElseThrow(), name -> true))
                .contains("required Promise app is not installed at version v1 (it is at v2 and has no"
                        + " PromiseRevision of that version)");
    }

    @Test
    void movingABindingToAnotherRevisionReRunsTheRequestAndNothingElse() throws Exception {
        writePlatform();
        bind("pinned", "v1");
        Recorded recorded = ranAsPlanned();

        bind("pinned", "latest");
        PassPlan plan = plan(recorded);

        assertThat(decision(plan, PINNED)).isEqualTo("run (input changed)");
        assertThat(decision(plan, FLOATING)).isEqualTo("cached");
        assertThat(decision(plan, ObjectKey.promise("app"))).isEqualTo("cached");
        // Back to v1: its hash is the one of the first run.
        bind("pinned", "v1");
        assertThat(plan(recorded).entry(PINNED).orElseThrow().inputHash())
                .isEqualTo(recorded.lastRun(PINNED).orElseThrow().inputHash());
    }

    @Test
    void requestsThatFollowTheLatestHashAsOnAPlatformWithoutRevisions() throws Exception {
        writePlatform();
        Files.delete(root.resolve("revision-v1.yaml"));
        String before = plan(Recorded.none()).entry(FLOATING).orElseThrow().inputHash();

        writePlatform();
        bind("floating", "latest");

        assertThat(plan(Recorded.none()).entry(FLOATING).orElseThrow().inputHash())
                .isEqualTo(before);
    }

    private static String image(Platform platform, String name) {
        RevisionChoice.Chosen chosen = (RevisionChoice.Chosen) platform.revisionFor(request(platform, name));
        return configureImage(chosen.promise());
    }

    /** The image of the first container of the Promise's first resource configure pipeline. */
    private static String configureImage(Promise promise) {
        return promise.workflows()
                .resourceConfigure()
                .get(0)
                .containers()
                .get(0)
                .image();
    }

    private static String version(Platform platform, String name) {
        return ((RevisionChoice.Chosen) platform.revisionFor(request(platform, name))).version();
    }

    private static ResourceRequest request(Platform platform, String name) {
        return platform.requests().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static String decision(PassPlan plan, ObjectKey key) {
        return plan.entry(key).orElseThrow().decision().text();
    }

    private PassPlan plan(Recorded recorded) throws Exception {
        Platform platform = PlatformLoader.load(root).platform();
        Map<ObjectKey, Optional<ObjectNode>> requests = new HashMap<>();
        for (ResourceRequest r : platform.requests()) {
            requests.put(ObjectKey.request(r.promiseName(), r.namespace(), r.name()), Optional.of(r.object()));
        }
        return PassPlan.of(
                platform,
                List.of(),
                new PassPlan.Checks(Set.of(), requests, List.of(), false, false),
                recorded,
                Map.of(),
                new PassPlan.Caching(
                        false,
                        Duration.ofHours(10),
                        text -> Duration.parse("PT" + text.toUpperCase()),
                        NOW,
                        new DeleteGuard.Limits(1.0, false, "platform")));
    }

    /** Records of a reconciled run a minute ago with the input hashes the platform has now. */
    private Recorded ranAsPlanned() throws Exception {
        SortedMap<ObjectKey, Recorded.LastRun> runs = new TreeMap<>();
        plan(Recorded.none())
                .entries()
                .forEach(e -> runs.put(
                        e.key(),
                        new Recorded.LastRun(e.inputHash(), NOW.minusSeconds(60).toString(), "")));
        return new Recorded(runs, runs.keySet(), new TreeSet<>(runs.keySet()), new TreeSet<>(), new TreeMap<>());
    }

    private void bind(String request, String version) throws Exception {
        write("binding-" + request + ".yaml", binding(request, request, version));
    }

    private static String binding(String name, String request, String version) {
        return """
                apiVersion: platform.kratix.io/v1alpha1
                kind: ResourceBinding
                metadata: {name: %s, namespace: default}
                spec:
                  version: %s
                  promiseRef: {name: app}
                  resourceRef: {name: %s, namespace: default}
                """.formatted(name, version, request);
    }

    private void writePlatform() throws Exception {
        write("promise.yaml", """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata:
                  name: app
                  labels: {kratix.io/promise-version: v2}
                spec:
                  api:
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata: {name: apps.example.com}
                    spec:
                      group: example.com
                      names: {kind: App, plural: apps, singular: app}
                      scope: Namespaced
                      versions:
                      - name: v1
                        served: true
                        storage: true
                        schema: {openAPIV3Schema: {type: object}}
                """ + workflows("v2", "  "));
        write("revision-v1.yaml", revision("app", "v1", "app-v1"));
        for (String name : List.of("pinned", "floating")) {
            write("request-" + name + ".yaml", """
                    apiVersion: example.com/v1
                    kind: App
                    metadata: {name: %s, namespace: default}
                    spec: {size: small}
                    """.formatted(name));
        }
    }

    private static String revision(String promise, String version, String name) {
        return """
                apiVersion: platform.kratix.io/v1alpha1
                kind: PromiseRevision
                metadata: {name: %s}
                spec:
                  promiseRef:
                    name: %s
                  version: %s
                  promiseSpec:
                """.formatted(name, promise, version) + workflows(version, "    ");
    }

    /** {@code workflows:} with one resource.configure pipeline on image {@code make:<version>}. */
    private static String workflows(String version, String indent) {
        return """
                workflows:
                  resource:
                    configure:
                    - apiVersion: platform.kratix.io/v1alpha1
                      kind: Pipeline
                      metadata: {name: make}
                      spec:
                        containers:
                        - {name: make, image: "kbr.local/make:%s"}
                """.formatted(version).indent(indent.length());
    }

    private void write(String name, String yaml) throws Exception {
        Files.writeString(root.resolve(name), yaml);
    }
}
