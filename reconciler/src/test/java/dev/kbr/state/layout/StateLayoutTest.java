package dev.kbr.state.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.model.Destination;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.StateStoreRef;
import dev.kbr.model.WorkId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateLayoutTest {
    private static Destination destination(String path) {
        return destination(path, FilepathMode.NESTED_BY_METADATA);
    }

    private static Destination destination(String path, FilepathMode mode) {
        return new Destination(
                "worker-1",
                Map.of(),
                path,
                new StateStoreRef("GitStateStore", "default"),
                false,
                mode,
                "aggregated.yaml",
                true,
                SourceLocation.of("test"));
    }

    @Test
    void nestsResourcesByNamespacePromiseNamePipelineAndGroup() {
        assertThat(StateLayout.filePath(
                        "",
                        destination("worker-1"),
                        WorkId.resource("redis", "default", "my-redis", "instance"),
                        "5058f",
                        "redis.yaml"))
                .isEqualTo("worker-1/resources/default/redis/my-redis/instance/5058f/redis.yaml");
    }

    @Test
    void prefixesTheStatePathAsKratixExampleShows() {
        assertThat(StateLayout.filePath(
                        "clusters",
                        destination("worker-1"),
                        WorkId.resource("redis", "default", "my-redis", "instance"),
                        "5058f",
                        "redis.yaml"))
                .isEqualTo("clusters/worker-1/resources/default/redis/my-redis/instance/5058f/redis.yaml");
    }

    @Test
    void dependenciesHaveNoNamespaceAndStaticOnesNoPipeline() {
        assertThat(StateLayout.filePath(
                        "", destination("w"), WorkId.promise("jenkins", "promise-configure"), "5058f", "op.yaml"))
                .isEqualTo("w/dependencies/jenkins/promise-configure/5058f/op.yaml");
        assertThat(StateLayout.filePath(
                        "",
                        destination("w"),
                        WorkId.staticDependencies("nginx"),
                        "5058f",
                        "static/nginx-dependencies.yaml"))
                .isEqualTo("w/dependencies/nginx/5058f/static/nginx-dependencies.yaml");
    }

    @Test
    void aRootDestinationWritesAtTheStoreRoot() {
        assertThat(StateLayout.filePath("", destination(""), WorkId.promise("p", "c"), "5058f", "a.yaml"))
                .isEqualTo("dependencies/p/c/5058f/a.yaml");
    }

    @Test
    void canaryFilesAreKratixsBytes() {
        var files = StateLayout.canaryFiles("", destination("worker-1"));
        assertThat(files)
                .containsOnlyKeys(
                        "worker-1/dependencies/kratix-canary-namespace.yaml",
                        "worker-1/resources/kratix-canary-configmap.yaml");
        // 116 bytes, as the Kratix docs list the file written by Go's yaml.Marshal.
        assertThat(files.get("worker-1/dependencies/kratix-canary-namespace.yaml"))
                .hasSize(116);
    }

    @Test
    void noneModeWritesFilesFlatAndStateFilesUnderDotKratix() {
        WorkId work = WorkId.resource("redis", "default", "my-redis", "instance");
        assertThat(StateLayout.filePath("clusters", destination("w", FilepathMode.NONE), work, "5058f", "a/b.yaml"))
                .isEqualTo("clusters/w/a/b.yaml");
        assertThat(StateLayout.kratixStateFilePath(
                        "clusters", destination("w", FilepathMode.NONE), work, "5058f1af8388633f609cadb75a75dc9d"))
                .isEqualTo("clusters/w/.kratix/default-" + WorkPlacementNames.workName(work) + ".worker-1-5058f.yaml");
    }

    @Test
    void aggregatedModeHasOneFileAndNoPerWorkloadPath() {
        Destination aggregated = destination("w", FilepathMode.AGGREGATED_YAML);
        assertThat(StateLayout.aggregatedFilePath("clusters", aggregated)).isEqualTo("clusters/w/aggregated.yaml");
        assertThatThrownBy(() -> StateLayout.filePath("", aggregated, WorkId.promise("p", "c"), "5058f", "a.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("w/aggregated.yaml");
        assertThat(StateLayout.canaryFiles("clusters", aggregated))
                .containsOnlyKeys("clusters/w/kratix-canary-namespace.yaml", "clusters/w/kratix-canary-configmap.yaml");
    }
}
