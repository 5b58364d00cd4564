package dev.kbr.state.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.WorkId;
import org.junit.jupiter.api.Test;

class WorkPlacementNamesTest {
    private static final WorkId RESOURCE = WorkId.resource("redis", "default", "example", "instance-configure");

    @Test
    void namesWorksLikeKratixWithAHashOfTheWorkInsteadOfRandomCharacters() {
        // md5("RESOURCE\0redis\0default\0example\0instance-configure") starts with dbb53.
        assertThat(WorkPlacementNames.workName(RESOURCE)).isEqualTo("redis-example-instance-configure-dbb53");
        assertThat(WorkPlacementNames.workName(WorkId.promise("redis", "promise-configure")))
                .isEqualTo("redis-promise-configure-cc38a");
        assertThat(WorkPlacementNames.workName(WorkId.staticDependencies("nginx")))
                .isEqualTo("nginx-static-deps-d73db");
    }

    @Test
    void namesWorkPlacementsWorkDotDestinationDashShortGroupId() {
        assertThat(WorkPlacementNames.workPlacementName(RESOURCE, "worker-1", "5058f1af8388633f609cadb75a75dc9d"))
                .isEqualTo("redis-example-instance-configure-dbb53.worker-1-5058f");
    }

    @Test
    void placesResourceWorksInTheRequestNamespaceAndOthersInTheSystemNamespace() {
        assertThat(WorkPlacementNames.namespace(RESOURCE)).isEqualTo("default");
        assertThat(WorkPlacementNames.namespace(WorkId.promise("redis", "p"))).isEqualTo("kratix-platform-system");
        assertThat(WorkPlacementNames.namespace(WorkId.staticDependencies("redis")))
                .isEqualTo("kratix-platform-system");
    }

    @Test
    void cutsBasesLongerThan57CharactersTo56AndDropsTrailingSeparators() {
        String fiftyThree = "a".repeat(53);
        // "p-" + 53 a + "-pipe" is 60 long: cut to 56 it ends in "-", which Kratix drops.
        assertThat(WorkPlacementNames.workName(WorkId.resource("p", "default", fiftyThree, "pipe")))
                .isEqualTo("p-" + fiftyThree + "-cde37");
        String fifty = "a".repeat(50);
        // Exactly 57 characters is not cut.
        assertThat(WorkPlacementNames.workName(WorkId.resource("p", "default", fifty, "pipe")))
                .isEqualTo("p-" + fifty + "-pipe-0f9f4");
    }

    @Test
    void sameBaseInAnotherNamespaceGetsAnotherName() {
        assertThat(WorkPlacementNames.workName(WorkId.resource("redis", "team-a", "example", "instance-configure")))
                .startsWith("redis-example-instance-configure-")
                .isNotEqualTo(WorkPlacementNames.workName(RESOURCE));
    }
}
