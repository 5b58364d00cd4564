package dev.kbr.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.model.Destination;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.Selector;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.StateStoreRef;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkflowType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final Destination DEV = destination("worker-1", Map.of("environment", "dev"), false);
    private static final Destination DEV2 = destination("worker-2", Map.of("environment", "dev"), false);
    private static final Destination PLATFORM =
            destination("platform-cluster", Map.of("environment", "platform"), true);

    private static Destination destination(String name, Map<String, String> labels, boolean strict) {
        return new Destination(
                name,
                labels,
                name,
                new StateStoreRef("GitStateStore", "default"),
                strict,
                FilepathMode.NESTED_BY_METADATA,
                "aggregated.yaml",
                true,
                SourceLocation.of("test"));
    }

    private static SortedMap<String, byte[]> files(String... paths) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (String p : paths) {
            files.put(p, p.getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    private static Work resourceWork(String name, List<Selector> promiseSelectors) {
        return new Work(
                WorkId.resource("redis", "default", name, "instance"),
                WorkloadGroups.build(files("a.yaml"), List.of(), promiseSelectors, WorkflowType.RESOURCE));
    }

    @Test
    void defaultGroupIdIsMd5OfDot() {
        assertThat(WorkloadGroup.idOf(".")).isEqualTo("5058f1af8388633f609cadb75a75dc9d");
    }

    @Test
    void dependenciesGoToEveryMatchingDestination() {
        Work work = new Work(
                WorkId.promise("redis", "promise-configure"),
                WorkloadGroups.build(
                        files("op.yaml"),
                        List.of(),
                        List.of(Selector.of(Map.of("environment", "dev"))),
                        WorkflowType.PROMISE));
        List<Placement> placements = Scheduler.place(work, List.of(DEV, DEV2, PLATFORM), Map.of());
        assertThat(placements)
                .singleElement()
                .satisfies(p -> assertThat(p.destinations()).containsExactly("worker-1", "worker-2"));
    }

    @Test
    void strictMatchLabelsDestinationsAreLeftOutOnlyWhenTheSelectorIsEmpty() {
        assertThat(Scheduler.candidates(Selector.empty(), List.of(DEV, PLATFORM)))
                .extracting(Destination::name)
                .containsExactly("worker-1");
        assertThat(Scheduler.candidates(Selector.of(Map.of("environment", "platform")), List.of(DEV, PLATFORM)))
                .extracting(Destination::name)
                .containsExactly("platform-cluster");
    }

    @Test
    void aResourceGroupGoesToExactlyOneDestinationDeterministically() {
        Work work = resourceWork("example", List.of(Selector.of(Map.of("environment", "dev"))));
        List<Placement> first = Scheduler.place(work, List.of(DEV, DEV2, PLATFORM), Map.of());
        List<Placement> again = Scheduler.place(work, List.of(PLATFORM, DEV2, DEV), Map.of());
        assertThat(first.get(0).destinations()).hasSize(1);
        assertThat(again.get(0).destinations()).isEqualTo(first.get(0).destinations());
    }

    @Test
    void rendezvousSpreadsRequestsOverMatchingDestinations() {
        long onWorker1 = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> Scheduler.place(
                                resourceWork("r" + i, List.of(Selector.of(Map.of("environment", "dev")))),
                                List.of(DEV, DEV2),
                                Map.of())
                        .get(0)
                        .destinations()
                        .get(0))
                .filter("worker-1"::equals)
                .count();
        assertThat(onWorker1).isBetween(60L, 140L);
    }

    @Test
    void placementIsStickyAndMarkedMisplacedWhenTheSelectorNoLongerMatches() {
        Work work = resourceWork("example", List.of(Selector.of(Map.of("environment", "dev"))));
        String group = work.groups().get(0).id();
        Placement sticky = Scheduler.place(work, List.of(DEV, DEV2, PLATFORM), Map.of(group, List.of("worker-2")))
                .get(0);
        assertThat(sticky.destinations()).containsExactly("worker-2");
        assertThat(sticky.misplaced()).isFalse();
        Placement misplaced = Scheduler.place(work, List.of(DEV, PLATFORM), Map.of(group, List.of("platform-cluster")))
                .get(0);
        assertThat(misplaced.destinations()).containsExactly("platform-cluster");
        assertThat(misplaced.misplaced()).isTrue();
    }

    @Test
    void aGroupWithNoMatchingDestinationIsUnscheduled() {
        Work work = resourceWork("example", List.of(Selector.of(Map.of("environment", "prod"))));
        assertThat(Scheduler.place(work, List.of(DEV, PLATFORM), Map.of())
                        .get(0)
                        .unscheduled())
                .isTrue();
    }

    @Test
    void promiseSelectorsWinOverWorkflowSelectorsOnConflictingKeys() {
        var entries = DestinationSelectorsFile.parse(
                List.of(Map.of("matchLabels", Map.of("environment", "platform", "zone", "a"))));
        List<WorkloadGroup> groups = WorkloadGroups.build(
                files("a.yaml"), entries, List.of(Selector.of(Map.of("environment", "dev"))), WorkflowType.RESOURCE);
        assertThat(WorkloadGroups.resolve(groups.get(0)).matchLabels())
                .containsExactlyEntriesOf(new TreeMap<>(Map.of("environment", "dev", "zone", "a")));
    }

    @Test
    void directoryEntriesMakeTheirOwnGroupsWithoutPromiseSelectors() {
        var entries = DestinationSelectorsFile.parse(
                List.of(Map.of("directory", "platform", "matchLabels", Map.of("environment", "platform"))));
        List<WorkloadGroup> groups = WorkloadGroups.build(
                files("a.yaml", "platform/b.yaml"),
                entries,
                List.of(Selector.of(Map.of("environment", "dev"))),
                WorkflowType.RESOURCE);
        assertThat(groups).extracting(WorkloadGroup::directory).containsExactly("platform", ".");
        assertThat(groups.get(0).files()).containsOnlyKeys("platform/b.yaml");
        assertThat(groups.get(0).shortId())
                .isEqualTo(WorkloadGroup.idOf("platform").substring(0, 5));
        assertThat(WorkloadGroups.resolve(groups.get(0)).matchLabels()).containsEntry("environment", "platform");
        assertThat(groups.get(1).files()).containsOnlyKeys("a.yaml");
    }

    @Test
    void rejectsSelectorFilesKratixRejects() {
        assertThatThrownBy(() -> DestinationSelectorsFile.parse(List.of(Map.of("matchLabels", Map.of()))))
                .hasMessageContaining("at least one label");
        assertThatThrownBy(() -> DestinationSelectorsFile.parse(
                        List.of(Map.of("directory", "a/b", "matchLabels", Map.of("x", "y")))))
                .hasMessageContaining("single top-level directory");
        // A directory can never name a folder outside /kratix/output, so never outside its
        // Destination's folder once placed.
        for (String escape : List.of("..", "../x", "./..", "a/../..", "/etc")) {
            assertThatThrownBy(() -> DestinationSelectorsFile.parse(
                            List.of(Map.of("directory", escape, "matchLabels", Map.of("x", "y")))))
                    .as(escape)
                    .hasMessageContaining("single top-level directory");
        }
        assertThatThrownBy(() -> DestinationSelectorsFile.parse(
                        List.of(Map.of("matchLabels", Map.of("x", "y")), Map.of("matchLabels", Map.of("x", "z")))))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> WorkloadGroups.build(
                        files("a.yaml"),
                        DestinationSelectorsFile.parse(
                                List.of(Map.of("directory", "missing", "matchLabels", Map.of("x", "y")))),
                        List.of(),
                        WorkflowType.RESOURCE))
                .hasMessageContaining("no such directory");
    }
}
