package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.execute.Secrets;
import dev.kbr.model.Destination;
import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.GitStateStore;
import dev.kbr.model.Selector;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.StateStoreRef;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkflowType;
import dev.kbr.report.Notice;
import dev.kbr.report.StoreReport;
import dev.kbr.schedule.DestinationSelectorsFile;
import dev.kbr.schedule.Work;
import dev.kbr.schedule.WorkloadGroups;
import dev.kbr.state.FileChange;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.layout.RecordsFormat;
import dev.kbr.state.layout.WorkPlacementNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The render half of a pass against an in-memory store: layouts, ownership and Destination removal. */
class StateRendererTest {
    private static final GitStateStore MODEL = new GitStateStore(
            "default", "mem:", "clusters", "main", Optional.empty(), "basicAuth", "kratix", "", SourceLocation.of("t"));
    private static final WorkId PROMISE = WorkId.promise("catalog", "promise-configure");
    private static final WorkId R1 = WorkId.resource("catalog", "default", "r1", "resource-configure");
    private static final WorkId R2 = WorkId.resource("catalog", "default", "r2", "resource-configure");
    private static final WorkId R3 = WorkId.resource("catalog", "default", "r3", "resource-configure");
    private static final String DEFAULT_GROUP = "5058f1af8388633f609cadb75a75dc9d";

    private final InMemoryStateStore store = new InMemoryStateStore();

    private record Pass(List<String> notices, List<String> errors, List<StoreReport> reports) {}

    private static Destination destination(
            String name, String layout, FilepathMode mode, boolean canaries, DestinationCleanup cleanup) {
        return new Destination(
                name,
                Map.of("fleet", "test", "layout", layout),
                name,
                new StateStoreRef("GitStateStore", "default"),
                false,
                mode,
                "catalog.yaml",
                canaries,
                cleanup,
                SourceLocation.of(name + ".yaml"));
    }

    private static Destination destination(String name, FilepathMode mode) {
        return destination(name, name, mode, true, DestinationCleanup.NONE);
    }

    private static SortedMap<String, byte[]> files(String... pathsAndContents) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    /** A resource Work whose default group selects Destinations labelled {@code layout: target}. */
    private static Work resource(WorkId id, String target, String... pathsAndContents) {
        return new Work(
                id,
                WorkloadGroups.build(
                        files(pathsAndContents),
                        List.of(new DestinationSelectorsFile.Entry(".", Selector.of(Map.of("layout", target)))),
                        List.of(),
                        WorkflowType.RESOURCE));
    }

    private static Work promise(String... pathsAndContents) {
        return new Work(
                PROMISE,
                WorkloadGroups.build(
                        files(pathsAndContents),
                        List.of(),
                        List.of(Selector.of(Map.of("fleet", "test"))),
                        WorkflowType.PROMISE));
    }

    /** Rendering tests delete freely; the mass-delete guard has its own test below. */
    private PassOptions options = new PassOptions(
            dev.kbr.load.PlatformSource.folder(Path.of("platform")),
            Map.of(),
            true,
            new PassOptions.Pipelines(Duration.ofMinutes(1), 8, Secrets.none(), 1),
            new PassOptions.Caching(false, Duration.ZERO),
            new PassOptions.Safety(PassOptions.DEFAULT_MAX_DELETE_FRACTION, true, PassOptions.DEFAULT_PUSH_RETRIES));

    @Test
    void aPassDeletingMoreThanTheMaxDeleteFractionWritesNothing() throws IOException {
        List<Destination> destinations = List.of(destination("flat", FilepathMode.NONE));
        pass(
                destinations,
                resource(R1, "flat", "r1.yaml", "r1\n"),
                resource(R2, "flat", "r2.yaml", "r2\n"),
                resource(R3, "flat", "r3.yaml", "r3\n"));
        options = new PassOptions(
                dev.kbr.load.PlatformSource.folder(Path.of("platform")),
                Map.of(),
                true,
                Duration.ofMinutes(1),
                8,
                Secrets.none());
        List<String> before = paths("clusters/");

        Pass refused = pass(destinations, resource(R3, "flat", "r3.yaml", "r3\n"));

        assertThat(refused.errors()).singleElement().asString().startsWith("Refusing to delete 2 of 3 recorded works");
        assertThat(refused.reports().get(0).changes().isEmpty()).isTrue();
        assertThat(paths("clusters/")).isEqualTo(before);
    }

    private Pass pass(List<Destination> destinations, List<Work> works, Set<WorkId> kept, List<Diagnostic> diagnostics)
            throws IOException {
        StateSnapshot snapshot = store.read();
        var ctx = new StoreContext(MODEL, store, snapshot, RecordsFormat.read(snapshot, MODEL.path()));
        Map<String, Destination> byName = new TreeMap<>();
        destinations.forEach(d -> byName.put(d.name(), d));
        java.util.SortedMap<WorkId, Work> fresh = new TreeMap<>();
        works.forEach(w -> fresh.put(w.id(), w));
        StoresRead read = StoresRead.of(new TreeMap<>(Map.of(MODEL.name(), ctx)), new TreeMap<>(byName), false);
        Execution execution = new Execution(
                fresh, new TreeSet<>(kept), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        boolean inputErrors = diagnostics.stream().anyMatch(Diagnostic::isError);
        StateRenderer.Rendered rendered = new StateRenderer(
                        options, read, execution, inputErrors, java.time.Instant.EPOCH, java.util.Set.of())
                .render();
        StoreCommits.Committed committed = new StoreCommits(options)
                .commit(rendered.stores(), rendered.refusal().isPresent(), Map.of());
        List<String> notices = rendered.notices().stream().map(Notice::message).toList();
        List<String> errors = new ArrayList<>();
        rendered.errors().forEach(e -> errors.add(e.message()));
        committed.errors().forEach(e -> errors.add(e.message()));
        List<StoreReport> reports = committed.stores();
        return new Pass(notices, errors, reports);
    }

    private Pass pass(List<Destination> destinations, Work... works) throws IOException {
        return pass(destinations, List.of(works), Set.of(), List.of());
    }

    private List<String> paths(String prefix) {
        return store.files().keySet().stream().filter(p -> p.startsWith(prefix)).toList();
    }

    private static String stateFile(String destination, WorkId work) {
        return "clusters/" + destination + "/.kratix/default-"
                + WorkPlacementNames.workPlacementName(work, destination, DEFAULT_GROUP) + ".yaml";
    }

    @Test
    void aRecordEditedByHandIsWrittenAgainWhileUnchangedRecordsAreLeftAsTheyAre() throws IOException {
        List<Destination> destinations = List.of(destination("flat", FilepathMode.NONE));
        Work[] works = {resource(R1, "flat", "r1.yaml", "r1\n"), resource(R2, "flat", "r2.yaml", "r2\n")};
        pass(destinations, works);
        String edited = RecordsFormat.path(MODEL.path(), R1);
        String untouched = RecordsFormat.path(MODEL.path(), R2);
        String untouchedId = store.files().get(untouched);
        String original = store.text(edited);
        byte[] tampered = original.replace("\"r1.yaml\"", "\"r9.yaml\"").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(tampered, StandardCharsets.UTF_8)).isNotEqualTo(original);
        store.editByHand(edited, tampered);

        Pass again = pass(destinations, works);

        assertThat(again.errors()).isEmpty();
        assertThat(again.reports().get(0).changes().changes())
                .extracting(FileChange::path)
                .containsExactly(edited);
        assertThat(store.text(edited)).isEqualTo(original);
        assertThat(store.files().get(untouched)).isEqualTo(untouchedId);
    }

    @Test
    void writesEveryModeInOneCommitAndNothingOnTheSecondPass() throws IOException {
        List<Destination> destinations = List.of(
                destination("nested", FilepathMode.NESTED_BY_METADATA),
                destination("flat", FilepathMode.NONE),
                destination("aggregated", FilepathMode.AGGREGATED_YAML));
        Work[] works = {
            promise("dependencies/ns.yaml", "kind: Namespace\n"),
            resource(R1, "flat", "resources/r1.yaml", "name: r1\n"),
            resource(R2, "aggregated", "resources/r2.yaml", "name: r2\n")
        };

        Pass first = pass(destinations, works);

        assertThat(first.errors()).isEmpty();
        assertThat(store.commits()).isEqualTo(1);
        assertThat(paths("clusters/flat/"))
                .containsExactlyInAnyOrder(
                        "clusters/flat/kratix-canary-namespace.yaml",
                        "clusters/flat/kratix-canary-configmap.yaml",
                        "clusters/flat/dependencies/ns.yaml",
                        "clusters/flat/resources/r1.yaml",
                        stateFile("flat", R1),
                        "clusters/flat/.kratix/kratix-platform-system-"
                                + WorkPlacementNames.workPlacementName(PROMISE, "flat", DEFAULT_GROUP) + ".yaml");
        assertThat(store.text(stateFile("flat", R1))).isEqualTo("files:\n- flat/resources/r1.yaml\n");
        assertThat(paths("clusters/aggregated/"))
                .containsExactlyInAnyOrder(
                        "clusters/aggregated/kratix-canary-namespace.yaml",
                        "clusters/aggregated/kratix-canary-configmap.yaml",
                        "clusters/aggregated/catalog.yaml");
        // WorkPlacements by name: catalog-promise-configure-… before catalog-r2-resource-configure-…
        assertThat(store.text("clusters/aggregated/catalog.yaml")).isEqualTo("kind: Namespace\n\n---\nname: r2\n");
        assertThat(paths("clusters/nested/"))
                .contains(
                        "clusters/nested/dependencies/catalog/promise-configure/5058f/dependencies/ns.yaml",
                        "clusters/nested/dependencies/kratix-canary-namespace.yaml");
        assertThat(paths("clusters/.kbr/destinations/"))
                .containsExactly(
                        "clusters/.kbr/destinations/aggregated.json",
                        "clusters/.kbr/destinations/flat.json",
                        "clusters/.kbr/destinations/nested.json");

        Pass second = pass(destinations, works);
        assertThat(second.reports().get(0).changes().isEmpty()).isTrue();
        assertThat(store.commits()).isEqualTo(1);
    }

    @Test
    void removingAWorkRewritesTheAggregatedFileAndDeletesItsFlatFiles() throws IOException {
        List<Destination> destinations = List.of(
                destination("flat", FilepathMode.NONE), destination("aggregated", FilepathMode.AGGREGATED_YAML));
        pass(
                destinations,
                resource(R1, "flat", "r1.yaml", "r1\n"),
                resource(R2, "aggregated", "r2.yaml", "r2\n"),
                resource(R3, "aggregated", "r3.yaml", "r3\n"));
        assertThat(store.text("clusters/aggregated/catalog.yaml")).isEqualTo("r2\n\n---\nr3\n");

        pass(destinations, resource(R3, "aggregated", "r3.yaml", "r3\n"));

        assertThat(store.text("clusters/aggregated/catalog.yaml")).isEqualTo("r3\n");
        assertThat(paths("clusters/flat/"))
                .containsExactlyInAnyOrder(
                        "clusters/flat/kratix-canary-namespace.yaml", "clusters/flat/kratix-canary-configmap.yaml");

        pass(destinations);
        assertThat(paths("clusters/aggregated/")).doesNotContain("clusters/aggregated/catalog.yaml");
    }

    @Test
    void aKeptWorkIsAggregatedAgainFromItsRecordedContent() throws IOException {
        List<Destination> destinations = List.of(destination("aggregated", FilepathMode.AGGREGATED_YAML));
        pass(
                destinations,
                resource(R2, "aggregated", "r2.yaml", "r2 v1\n"),
                resource(R3, "aggregated", "r3.yaml", "v1"));

        // R2's pipeline failed this time: its Work is kept from the records while R3 changes.
        Pass kept = pass(destinations, List.of(resource(R3, "aggregated", "r3.yaml", "v2")), Set.of(R2), List.of());

        assertThat(kept.errors()).isEmpty();
        assertThat(store.text("clusters/aggregated/catalog.yaml")).isEqualTo("r2 v1\n\n---\nv2");
    }

    @Test
    void turningInitWorkloadsOffDeletesTheCanariesKbrWrote() throws IOException {
        pass(List.of(destination("flat", FilepathMode.NONE)));
        assertThat(paths("clusters/flat/")).hasSize(2);

        pass(List.of(destination("flat", "flat", FilepathMode.NONE, false, DestinationCleanup.NONE)));

        assertThat(paths("clusters/flat/")).isEmpty();
        assertThat(store.text("clusters/.kbr/destinations/flat.json")).contains("\"canaries\" : { }");
    }

    @Test
    void twoWorksWritingOneFlatPathFailTheStoreAndNothingIsCommitted() throws IOException {
        Pass conflict = pass(
                List.of(destination("flat", FilepathMode.NONE)),
                resource(R1, "flat", "app.yaml", "one"),
                resource(R2, "flat", "app.yaml", "two"));

        assertThat(conflict.errors())
                .singleElement()
                .asString()
                .startsWith("Tried to write state store default (memory://default) but its files conflict")
                .contains("clusters/flat/app.yaml is written by both WorkPlacement default/catalog-r1-");
        assertThat(conflict.reports().get(0).changes().isEmpty()).isTrue();
        assertThat(store.commits()).isZero();
    }

    @Test
    void aGoneDestinationWithCleanupNoneKeepsItsFilesAndItsResourceGroups() throws IOException {
        pass(List.of(destination("flat", FilepathMode.NONE)), resource(R1, "flat", "r1.yaml", "r1\n"));
        SortedMap<String, String> before = new TreeMap<>(store.files());

        // flat is replaced by flat2 with the same labels: R1 stays where it was, as Kratix keeps its WorkPlacement.
        Destination flat2 = destination("flat2", "flat", FilepathMode.NONE, true, DestinationCleanup.NONE);
        Pass gone = pass(List.of(flat2), resource(R1, "flat", "r1.yaml", "r1 changed\n"));

        assertThat(gone.notices())
                .anySatisfy(n -> assertThat(n)
                        .startsWith("Destination flat is gone from the platform and has cleanup:"
                                + " none, so the 4 file(s) kbr wrote for it stay in state store default"));
        before.forEach((path, id) -> {
            if (!path.startsWith("clusters/.kbr/")) {
                assertThat(store.files()).containsEntry(path, id);
            }
        });
        assertThat(store.text("clusters/.kbr/destinations/flat.json")).isNotNull();
        assertThat(paths("clusters/flat2/"))
                .containsExactlyInAnyOrder(
                        "clusters/flat2/kratix-canary-namespace.yaml", "clusters/flat2/kratix-canary-configmap.yaml");

        // Even once R1 is gone, Kratix could not delete its files from a Destination that no longer exists.
        pass(List.of(flat2));
        assertThat(store.files()).containsEntry("clusters/flat/r1.yaml", before.get("clusters/flat/r1.yaml"));
    }

    @Test
    void aGoneDestinationWithCleanupAllIsEmptiedAndItsResourceGroupsArePlacedAgain() throws IOException {
        Destination flat = destination("flat", "flat", FilepathMode.NONE, true, DestinationCleanup.ALL);
        pass(List.of(flat), resource(R1, "flat", "r1.yaml", "r1\n"));
        assertThat(paths("clusters/flat/")).hasSize(4);

        Destination flat2 = destination("flat2", "flat", FilepathMode.NONE, true, DestinationCleanup.NONE);
        Pass gone = pass(List.of(flat2), resource(R1, "flat", "r1.yaml", "r1\n"));

        assertThat(gone.errors()).isEmpty();
        assertThat(paths("clusters/flat/")).isEmpty();
        assertThat(store.text("clusters/.kbr/destinations/flat.json")).isNull();
        assertThat(paths("clusters/flat2/"))
                .containsExactlyInAnyOrder(
                        "clusters/flat2/kratix-canary-namespace.yaml",
                        "clusters/flat2/kratix-canary-configmap.yaml",
                        "clusters/flat2/r1.yaml",
                        stateFile("flat2", R1));
        assertThat(gone.reports().get(0).destinationOf("clusters/flat/r1.yaml")).contains("flat (removed)");
    }

    @Test
    void cleanupIsHeldBackInAPassWithInputErrors() throws IOException {
        Destination flat = destination("flat", "flat", FilepathMode.NONE, true, DestinationCleanup.ALL);
        pass(List.of(flat), resource(R1, "flat", "r1.yaml", "r1\n"));

        Pass broken = pass(
                List.of(),
                List.of(),
                Set.of(),
                List.of(Diagnostic.error(SourceLocation.of("flat.yaml"), "", "is not valid YAML")));

        assertThat(paths("clusters/flat/")).hasSize(4);
        assertThat(broken.notices())
                .anySatisfy(n -> assertThat(n).contains("has cleanup: all, but this pass has input errors"));
    }
}
