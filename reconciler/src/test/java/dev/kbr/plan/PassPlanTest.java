package dev.kbr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.load.PlatformLoader;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.WorkId;
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
 * The pass plan's decisions, one test per rule of docs/architecture.md (the workflow cache, the
 * pass's phases) and docs/kratix-compatibility.md (requiredPromises, deletion), on platforms loaded
 * from YAML and records built by hand. No pipeline runs and no store is read.
 */
class PassPlanTest {
    private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");
    private static final ObjectKey APP = ObjectKey.promise("app");
    private static final ObjectKey ONE = ObjectKey.request("app", "default", "one");
    private static final ObjectKey GONE = ObjectKey.request("app", "default", "gone");

    @TempDir
    Path root;

    private final Map<ObjectKey, ObjectNode> recordedObjects = new HashMap<>();

    @Test
    void newObjectsRunPromisesFirstByRequiredLevelThenTheirRequests() throws Exception {
        write("a.yaml", promise("app", "App", "    - name: db\n", false) + "---\n" + request("App", "one", ""));
        write("b.yaml", promise("db", "Db", "", false));

        PassPlan plan = plan(Recorded.none(), false, List.of());

        assertThat(plan.lines())
                .startsWith("Promise db: run (new)", "Promise app: run (new)", "App default/one: run (new)")
                .hasSize(4);
        assertThat(plan.lines().get(3)).contains("sub-requests that pipelines produce are decided when they appear");
    }

    @Test
    void anUnchangedObjectWithinItsIntervalIsCached() throws Exception {
        writeApp("");
        PassPlan plan = plan(ranAsPlanned(NOW.minusSeconds(60), true), false, List.of());
        assertThat(decision(plan, APP)).isEqualTo("cached");
        assertThat(decision(plan, ONE)).isEqualTo("cached");
    }

    @Test
    void aChangedSpecRunsWithInputChanged() throws Exception {
        writeApp("");
        Recorded recorded = ranAsPlanned(NOW.minusSeconds(60), true);
        writeApp("", "large");
        PassPlan plan = plan(recorded, false, List.of());
        assertThat(decision(plan, APP)).isEqualTo("cached");
        assertThat(decision(plan, ONE)).isEqualTo("run (input changed)");
    }

    @Test
    void aNewManualReconciliationLabelRuns() throws Exception {
        writeApp("");
        Recorded recorded = ranAsPlanned(NOW.minusSeconds(60), true);
        writeApp("    kratix.io/manual-reconciliation: \"2\"\n");
        assertThat(decision(plan(recorded, false, List.of()), ONE))
                .isEqualTo("run (kratix.io/manual-reconciliation is 2)");
    }

    @Test
    void anElapsedReconciliationIntervalRuns() throws Exception {
        writeApp("");
        PassPlan plan = plan(ranAsPlanned(NOW.minus(Duration.ofHours(10)), true), false, List.of());
        assertThat(decision(plan, ONE)).isEqualTo("run (reconciliation interval PT10H elapsed)");
    }

    @Test
    void aLastRunThatDidNotEndReconciledRuns() throws Exception {
        writeApp("");
        PassPlan plan = plan(ranAsPlanned(NOW.minusSeconds(60), false), false, List.of());
        assertThat(decision(plan, ONE)).isEqualTo("run (last run did not end reconciled)");
    }

    @Test
    void reconcileAllRunsEveryObject() throws Exception {
        writeApp("");
        PassPlan plan = plan(ranAsPlanned(NOW.minusSeconds(60), true), true, List.of());
        assertThat(decision(plan, APP)).isEqualTo("run (--reconcile-all)");
        assertThat(decision(plan, ONE)).isEqualTo("run (--reconcile-all)");
    }

    @Test
    void aPromiseWhoseRequiredPromiseIsMissingWaitsAndSoDoItsRequests() throws Exception {
        write("a.yaml", promise("app", "App", "    - name: db\n", false) + "---\n" + request("App", "one", ""));
        PassPlan plan = plan(Recorded.none(), false, List.of());
        assertThat(decision(plan, APP)).isEqualTo("waiting (required Promise db is not installed)");
        assertThat(decision(plan, ONE)).isEqualTo("waiting (Promise app is not available)");
    }

    @Test
    void aPromiseWithUnmetRequirementsIsHeldWhileAFileFailsToParse() throws Exception {
        write("a.yaml", promise("app", "App", "    - name: db\n", false) + "---\n" + request("App", "one", ""));
        Recorded recorded = recorded(Map.of(APP, "h", ONE, "h"), NOW, true);
        PassPlan plan = plan(recorded, false, List.of("db.yaml"));
        assertThat(decision(plan, APP))
                .isEqualTo("held (required Promise db is not installed, but platform files failed to load or"
                        + " Destinations were left out: [db.yaml])");
        assertThat(decision(plan, ONE)).isEqualTo("waiting (Promise app is not available)");
    }

    @Test
    void aGoneRequestIsHeldWhileAFileFailsToParse() throws Exception {
        writeApp("");
        Recorded recorded = withGone(ranAsPlanned(NOW.minusSeconds(60), true));
        PassPlan plan = plan(recorded, false, List.of("broken.yaml"));
        assertThat(decision(plan, GONE)).isEqualTo("held (deletion held: files failed to parse: [broken.yaml])");
    }

    @Test
    void anInvalidRequestIsInvalidAndHoldsDeletions() throws Exception {
        writeApp("");
        Recorded recorded = withGone(ranAsPlanned(NOW.minusSeconds(60), true));
        PassPlan plan = plan(recorded, false, List.of(), Set.of(ONE));
        assertThat(decision(plan, ONE)).isEqualTo("invalid (its previous outputs are kept)");
        assertThat(decision(plan, GONE)).isEqualTo("held (deletion held: this pass has input errors (see above))");
    }

    @Test
    void aGoneRequestRunsItsDeleteWorkflowWhenItsPromiseHasOne() throws Exception {
        write("a.yaml", promise("app", "App", "", true) + "---\n" + request("App", "one", ""));
        Recorded recorded = withGone(ranAsPlanned(NOW.minusSeconds(60), true));
        PassPlan plan = plan(recorded, false, List.of());
        assertThat(decision(plan, GONE))
                .isEqualTo("delete unless a pipeline writes it again (its delete workflow runs)");
        assertThat(plan.runsDeleteWorkflow(GONE)).isTrue();
    }

    @Test
    void aGoneRequestWithoutADeleteWorkflowIsPruned() throws Exception {
        writeApp("");
        Recorded recorded = withGone(ranAsPlanned(NOW.minusSeconds(60), true));
        PassPlan plan = plan(recorded, false, List.of());
        assertThat(plan.lines())
                .contains(
                        "App default/gone: delete unless a pipeline writes it again (no delete workflow; its outputs are"
                                + " pruned)");
        assertThat(plan.deletions(Set.of(APP, ONE), Set.of(), false))
                .isEqualTo(new DeletionPlan.Delete(List.of(GONE), List.of()));
        // A sub-request produced again in the pass is not deleted after all.
        assertThat(plan.deletions(Set.of(APP, ONE, GONE), Set.of(), false)).isEqualTo(new DeletionPlan.Nothing());
    }

    @Test
    void theGoneRequestsOfAnInvalidPromiseAreKeptWithIt() throws Exception {
        writeApp("");
        Recorded recorded = withGone(ranAsPlanned(NOW.minusSeconds(60), true));
        PassPlan plan = PassPlan.of(
                platform(),
                List.of(),
                new PassPlan.Checks(Set.of("app"), Map.of(), List.of(), false, true),
                recorded,
                recordedObjects,
                caching(false));
        assertThat(decision(plan, APP)).isEqualTo("invalid (its previous outputs are kept)");
        assertThat(decision(plan, ONE)).isEqualTo("waiting (Promise app is not available)");
        assertThat(decision(plan, GONE)).isEqualTo("held (its Promise app is kept as it was)");
    }

    @Test
    void aSubRequestIsDecidedWhenItAppearsByTheSameRules() throws Exception {
        writeApp("");
        PassPlan plan = plan(Recorded.none(), false, List.of());
        ResourceRequest sub = platform().requests().get(0);
        assertThat(plan.decideProduced(sub, Optional.of(sub.object())).line()).isEqualTo("App default/one: run (new)");
        assertThat(plan.decideProduced(sub, Optional.empty()).decision()).isEqualTo(new ObjectDecision.Invalid());
    }

    @Test
    void aPausedRequestOrPromiseIsPausedWhateverChangedAndAPausedGoneRequestIsHeld() throws Exception {
        writeApp("");
        Recorded recorded = withGone(ranAsPlanned(NOW.minusSeconds(60), true));
        writeApp("    kratix.io/paused: \"true\"\n", "large");
        PassPlan plan = plan(recorded, true, List.of());
        assertThat(decision(plan, APP)).isEqualTo("run (--reconcile-all)");
        assertThat(decision(plan, ONE)).isEqualTo("paused (kratix.io/paused on the request; what it delivered stays)");
        assertThat(decision(plan, GONE)).startsWith("delete");

        ((ObjectNode) recordedObjects.get(GONE).get("metadata"))
                .putObject("labels")
                .put("kratix.io/paused", "true");
        assertThat(decision(plan(recorded, false, List.of()), GONE))
                .isEqualTo("held (paused (kratix.io/paused): its deletion waits until it is unpaused)");

        write(
                "a.yaml",
                promise("app", "App", "", false)
                                .replaceFirst("name: app\n", "name: app\n  labels: {kratix.io/paused: \"true\"}\n")
                        + "---\n" + request("App", "one", ""));
        plan = plan(recorded, true, List.of());
        assertThat(decision(plan, APP)).isEqualTo("paused (kratix.io/paused on the Promise; what it delivered stays)");
        assertThat(decision(plan, ONE))
                .isEqualTo("paused (kratix.io/paused on its Promise app; what it delivered stays)");
    }

    // --- helpers

    private static String decision(PassPlan plan, ObjectKey key) {
        return plan.entry(key).orElseThrow().decision().text();
    }

    private void writeApp(String labels) throws Exception {
        writeApp(labels, "small");
    }

    private void writeApp(String labels, String size) throws Exception {
        write(
                "a.yaml",
                promise("app", "App", "", false) + "---\n"
                        + request("App", "one", labels).replace("size: small", "size: " + size));
    }

    private void write(String name, String yaml) throws Exception {
        Files.writeString(root.resolve(name), yaml);
    }

    private Platform platform() throws Exception {
        return PlatformLoader.load(root).platform();
    }

    private PassPlan plan(Recorded recorded, boolean reconcileAll, List<String> filesWithErrors) throws Exception {
        return plan(recorded, reconcileAll, filesWithErrors, Set.of());
    }

    /** Plans with every request valid as written, except {@code invalid}. */
    private PassPlan plan(Recorded recorded, boolean reconcileAll, List<String> filesWithErrors, Set<ObjectKey> invalid)
            throws Exception {
        Platform platform = platform();
        Map<ObjectKey, Optional<ObjectNode>> requests = new HashMap<>();
        for (ResourceRequest r : platform.requests()) {
            ObjectKey key = ObjectKey.request(r.promiseName(), r.namespace(), r.name());
            requests.put(key, invalid.contains(key) ? Optional.empty() : Optional.of(r.object()));
        }
        return PassPlan.of(
                platform,
                List.of(),
                new PassPlan.Checks(Set.of(), requests, filesWithErrors, false, false),
                recorded,
                recordedObjects,
                caching(reconcileAll));
    }

    private static PassPlan.Caching caching(boolean reconcileAll) {
        return new PassPlan.Caching(
                reconcileAll,
                Duration.ofHours(10),
                text -> Duration.parse("PT" + text.toUpperCase()),
                NOW,
                new DeleteGuard.Limits(1.0, false, "platform"));
    }

    /** Records of a run at {@code at} with the input hashes the platform has now. */
    private Recorded ranAsPlanned(Instant at, boolean reconciled) throws Exception {
        Map<ObjectKey, String> hashes = new HashMap<>();
        plan(Recorded.none(), false, List.of()).entries().forEach(e -> hashes.put(e.key(), e.inputHash()));
        return recorded(hashes, at, reconciled);
    }

    private Recorded recorded(Map<ObjectKey, String> hashes, Instant at, boolean reconciled) {
        SortedMap<ObjectKey, Recorded.LastRun> runs = new TreeMap<>();
        hashes.forEach((k, h) -> runs.put(k, new Recorded.LastRun(h, at.toString(), "")));
        TreeSet<WorkId> works = new TreeSet<>();
        hashes.keySet().stream()
                .filter(k -> !k.isPromise())
                .forEach(k -> works.add(WorkId.resource(k.promise(), k.namespace(), k.name(), "make")));
        hashes.keySet().forEach(k -> recordedObjects.put(k, object(k)));
        return new Recorded(
                runs, reconciled ? hashes.keySet() : Set.of(), new TreeSet<>(hashes.keySet()), works, new TreeMap<>());
    }

    /** {@code recorded} plus the request {@code gone}, which the platform no longer has. */
    private Recorded withGone(Recorded recorded) {
        SortedMap<ObjectKey, Recorded.LastRun> runs = new TreeMap<>(recorded.lastRuns());
        runs.put(GONE, new Recorded.LastRun("h", NOW.toString(), ""));
        TreeSet<ObjectKey> objects = new TreeSet<>(recorded.objects());
        objects.add(GONE);
        TreeSet<WorkId> works = new TreeSet<>(recorded.works());
        works.add(WorkId.resource("app", "default", "gone", "make"));
        Set<ObjectKey> reconciled = new java.util.HashSet<>(objects);
        recordedObjects.put(GONE, object(GONE));
        return new Recorded(runs, reconciled, objects, works, new TreeMap<>());
    }

    private static ObjectNode object(ObjectKey key) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("kind", key.isPromise() ? "Promise" : "App");
        node.putObject("metadata").put("name", key.isPromise() ? key.promise() : key.name());
        return node;
    }

    private static String request(String kind, String name, String labels) {
        return """
                apiVersion: example.com/v1
                kind: %s
                metadata:
                  name: %s
                  namespace: default
                %s
                spec:
                  size: small
                """.formatted(kind, name, labels.isEmpty() ? "" : "  labels:\n" + labels.stripTrailing());
    }

    private static String promise(String name, String kind, String required, boolean deleteWorkflow) {
        String lower = kind.toLowerCase();
        String delete = deleteWorkflow ? """
                      delete:
                        - apiVersion: platform.kratix.io/v1alpha1
                          kind: Pipeline
                          metadata:
                            name: remove
                          spec:
                            containers:
                              - name: remove
                                image: kbr.local/remove:v1
                """ : "";
        return """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata:
                  name: %s
                spec:
                %s  api:
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata:
                      name: %ss.example.com
                    spec:
                      group: example.com
                      names:
                        kind: %s
                        plural: %ss
                        singular: %s
                      scope: Namespaced
                      versions:
                        - name: v1
                          served: true
                          storage: true
                          schema:
                            openAPIV3Schema:
                              type: object
                  workflows:
                    resource:
                      configure:
                        - apiVersion: platform.kratix.io/v1alpha1
                          kind: Pipeline
                          metadata:
                            name: make
                          spec:
                            containers:
                              - name: make
                                image: kbr.local/make:v1
                %s""".formatted(
                name, required.isEmpty() ? "" : "  requiredPromises:\n" + required, lower, kind, lower, lower, delete);
    }
}
