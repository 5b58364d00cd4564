package dev.kbr.state.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.Destination;
import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.StateStoreRef;
import dev.kbr.model.WorkId;
import dev.kbr.state.DesiredFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DestinationLayoutTest {
    private static final String DEFAULT_GROUP = "5058f1af8388633f609cadb75a75dc9d";
    private static final String MONITORING_GROUP = "89948c7f4890af5ff18524b4fc3f3611";
    private static final WorkId PROMISE = WorkId.promise("catalog", "promise-configure");
    private static final WorkId A1 = WorkId.resource("catalog", "default", "a1", "resource-configure");
    private static final WorkId A2 = WorkId.resource("catalog", "team-a", "a2", "resource-configure");

    private static Destination destination(String name, FilepathMode mode, boolean canaries) {
        return new Destination(
                name,
                Map.of(),
                name,
                new StateStoreRef("GitStateStore", "default"),
                false,
                mode,
                "catalog.yaml",
                canaries,
                DestinationCleanup.NONE,
                SourceLocation.of("test"));
    }

    private static PlacedGroup group(WorkId work, String groupId, String... pathsAndContents) {
        List<Workload> workloads = new ArrayList<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            workloads.add(new Workload(
                    pathsAndContents[i],
                    new DesiredFile.Bytes(pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8))));
        }
        return new PlacedGroup(work, groupId, workloads);
    }

    private static SortedMap<String, String> text(SortedMap<String, DesiredFile> files) {
        SortedMap<String, String> text = new TreeMap<>();
        files.forEach((path, file) ->
                text.put(path, new String(((DesiredFile.Bytes) file).content(), StandardCharsets.UTF_8)));
        return text;
    }

    @Test
    void nestsEachGroupUnderItsOwnFolderBelowTheStorePath() {
        DestinationFiles files = DestinationLayout.render(
                "clusters",
                destination("nested", FilepathMode.NESTED_BY_METADATA, true),
                List.of(
                        group(A1, DEFAULT_GROUP, "resources/default-a1.yaml", "a1"),
                        group(A1, MONITORING_GROUP, "monitoring/default-a1.yaml", "m"),
                        group(PROMISE, DEFAULT_GROUP, "dependencies/catalog-system.yaml", "ns")));
        assertThat(files.problems()).isEmpty();
        assertThat(text(files.all()))
                .containsOnlyKeys(
                        "clusters/nested/dependencies/kratix-canary-namespace.yaml",
                        "clusters/nested/resources/kratix-canary-configmap.yaml",
                        "clusters/nested/resources/default/catalog/a1/resource-configure/5058f/resources/default-a1.yaml",
                        "clusters/nested/resources/default/catalog/a1/resource-configure/89948/monitoring/default-a1.yaml",
                        "clusters/nested/dependencies/catalog/promise-configure/5058f/dependencies/catalog-system.yaml");
        assertThat(files.groupFiles().get(1))
                .containsOnlyKeys(
                        "clusters/nested/resources/default/catalog/a1/resource-configure/89948/monitoring/default-a1.yaml");
        assertThat(files.aggregate()).isEmpty();
    }

    @Test
    void writesFlatFilesAndOneKratixStateFilePerWorkPlacementInNoneMode() {
        DestinationFiles files = DestinationLayout.render(
                "clusters",
                destination("flat", FilepathMode.NONE, true),
                List.of(
                        group(A1, DEFAULT_GROUP, "resources/default-a1.yaml", "a1", "resources/a/x.yaml", "x"),
                        group(PROMISE, DEFAULT_GROUP, "dependencies/catalog-system.yaml", "ns")));
        assertThat(files.problems()).isEmpty();
        String a1 = WorkPlacementNames.workPlacementName(A1, "flat", DEFAULT_GROUP);
        String promise = WorkPlacementNames.workPlacementName(PROMISE, "flat", DEFAULT_GROUP);
        assertThat(a1).isEqualTo("catalog-a1-resource-configure-861ce.flat-5058f");
        assertThat(text(files.all()))
                .containsOnlyKeys(
                        "clusters/flat/kratix-canary-namespace.yaml",
                        "clusters/flat/kratix-canary-configmap.yaml",
                        "clusters/flat/resources/default-a1.yaml",
                        "clusters/flat/resources/a/x.yaml",
                        "clusters/flat/dependencies/catalog-system.yaml",
                        "clusters/flat/.kratix/default-" + a1 + ".yaml",
                        "clusters/flat/.kratix/kratix-platform-system-" + promise + ".yaml")
                // Work order: Kratix walks folders depth first, so resources/a/x.yaml precedes
                // resources/default-a1.yaml; paths are relative to the store path, not below it.
                .containsEntry(
                        "clusters/flat/.kratix/default-" + a1 + ".yaml",
                        "files:\n- flat/resources/a/x.yaml\n- flat/resources/default-a1.yaml\n")
                .containsEntry(
                        "clusters/flat/.kratix/kratix-platform-system-" + promise + ".yaml",
                        "files:\n- flat/dependencies/catalog-system.yaml\n");
    }

    @Test
    void listsBareFilepathsForADestinationAtTheStoreRoot() {
        Destination root = new Destination(
                "root",
                Map.of(),
                "",
                new StateStoreRef("GitStateStore", "default"),
                false,
                FilepathMode.NONE,
                "aggregated.yaml",
                false,
                SourceLocation.of("test"));
        DestinationFiles files = DestinationLayout.render("", root, List.of(group(A1, DEFAULT_GROUP, "a.yaml", "a")));
        assertThat(text(files.all()))
                .containsOnlyKeys("a.yaml", ".kratix/default-catalog-a1-resource-configure-861ce.root-5058f.yaml")
                .containsEntry(
                        ".kratix/default-catalog-a1-resource-configure-861ce.root-5058f.yaml", "files:\n- a.yaml\n");
    }

    @Test
    void twoWorksWritingOneFlatPathIsAProblem() {
        DestinationFiles files = DestinationLayout.render(
                "",
                destination("flat", FilepathMode.NONE, true),
                List.of(
                        group(A1, DEFAULT_GROUP, "app.yaml", "one"),
                        group(A2, DEFAULT_GROUP, "app.yaml", "two", "kratix-canary-namespace.yaml", "mine")));
        assertThat(files.problems())
                .containsExactly(
                        "flat/app.yaml is written by both WorkPlacement default/"
                                + WorkPlacementNames.workPlacementName(A1, "flat", DEFAULT_GROUP)
                                + " (catalog/default/a1 pipeline resource-configure) and WorkPlacement team-a/"
                                + WorkPlacementNames.workPlacementName(A2, "flat", DEFAULT_GROUP)
                                + " (catalog/team-a/a2 pipeline resource-configure); make the pipelines write different"
                                + " paths (or use another filepath mode)",
                        "flat/kratix-canary-namespace.yaml is written by both the canary files of Destination flat and"
                                + " WorkPlacement team-a/"
                                + WorkPlacementNames.workPlacementName(A2, "flat", DEFAULT_GROUP)
                                + " (catalog/team-a/a2 pipeline resource-configure); make the pipelines write different"
                                + " paths (or use another filepath mode)");
    }

    @Test
    void aFileWhereAnotherWorkNeedsAFolderIsAProblem() {
        DestinationFiles files = DestinationLayout.render(
                "",
                destination("flat", FilepathMode.NONE, false),
                List.of(group(A1, DEFAULT_GROUP, "app", "one"), group(A2, DEFAULT_GROUP, "app/x.yaml", "two")));
        assertThat(files.problems()).singleElement().asString().startsWith("flat/app is written as a file by");
    }

    @Test
    void aggregatesEveryWorkloadOrderedByWorkPlacementNameThenWorkOrder() {
        DestinationFiles files = DestinationLayout.render(
                "clusters",
                destination("aggregated", FilepathMode.AGGREGATED_YAML, true),
                List.of(
                        group(PROMISE, DEFAULT_GROUP, "dependencies/catalog-system.yaml", "kind: Namespace\n"),
                        group(A2, DEFAULT_GROUP, "resources/team-a-a2.yaml", "name: a2\n"),
                        group(A1, MONITORING_GROUP, "monitoring/default-a1.yaml", "name: monitor-a1"),
                        group(A1, DEFAULT_GROUP, "z.yaml", "z\n", "a/b.yaml", "ab\n", "a-b.yaml", "a-b\n")));
        assertThat(files.problems()).isEmpty();
        // catalog-a1-….aggregated-5058f < catalog-a1-….aggregated-89948 < catalog-a2-… < catalog-promise-…
        assertThat(text(files.aggregate()))
                .containsExactly(Map.entry(
                        "clusters/aggregated/catalog.yaml",
                        "ab\n\n---\na-b\n\n---\nz\n\n---\nname: monitor-a1\n---\nname: a2\n\n---\nkind: Namespace\n"));
        assertThat(files.canaries())
                .containsOnlyKeys(
                        "clusters/aggregated/kratix-canary-namespace.yaml",
                        "clusters/aggregated/kratix-canary-configmap.yaml");
        assertThat(files.groupFiles()).hasSize(4).allMatch(SortedMap::isEmpty);
    }

    @Test
    void writesNoAggregatedFileWhenNothingIsPlaced() {
        DestinationFiles files =
                DestinationLayout.render("", destination("aggregated", FilepathMode.AGGREGATED_YAML, false), List.of());
        assertThat(files.all()).isEmpty();
        assertThat(files.problems()).isEmpty();
    }

    @Test
    void cannotAggregateAWorkloadKeptWithoutItsContent() {
        DestinationFiles files = DestinationLayout.render(
                "",
                destination("aggregated", FilepathMode.AGGREGATED_YAML, false),
                List.of(new PlacedGroup(
                        A1, DEFAULT_GROUP, List.of(new Workload("a.yaml", new DesiredFile.Existing("0".repeat(40)))))));
        assertThat(files.aggregate()).isEmpty();
        assertThat(files.problems()).singleElement().asString().startsWith("cannot rebuild aggregated/catalog.yaml");
    }

    @Test
    void writesNoCanariesWhenInitWorkloadsIsOff() {
        assertThat(DestinationLayout.render("", destination("flat", FilepathMode.NONE, false), List.of())
                        .canaries())
                .isEmpty();
    }
}
