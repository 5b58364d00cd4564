package dev.kbr.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kbr.model.Container;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SourceLocation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ImageMirrorsTest {
    private static ImageMirrors mirrors(String... values) {
        return ImageMirrors.parse(List.of(values));
    }

    @Test
    void rewritesARegistryPrefixKeepingPathTagAndDigest() {
        ImageMirrors m = mirrors("docker.io=mirror.example.com/hub");

        assertThat(m.rewrite("docker.io/library/redis:7")).isEqualTo("mirror.example.com/hub/library/redis:7");
        assertThat(m.rewrite("docker.io/x/y@sha256:abc")).isEqualTo("mirror.example.com/hub/x/y@sha256:abc");
    }

    @Test
    void matchesOnlyAtAPathBoundary() {
        ImageMirrors m = mirrors("docker.io/lib=mirror/lib");

        assertThat(m.rewrite("docker.io/library/x")).isEqualTo("docker.io/library/x");
        assertThat(m.rewrite("docker.io/lib/x")).isEqualTo("mirror/lib/x");
        assertThat(m.rewrite("docker.io/lib:1")).isEqualTo("mirror/lib:1");
        assertThat(m.rewrite("docker.io/lib")).isEqualTo("mirror/lib");
        assertThat(m.rewrite("docker.io/lib@sha256:abc")).isEqualTo("mirror/lib@sha256:abc");
    }

    @Test
    void aRegistryPortIsNotATag() {
        ImageMirrors m = mirrors("registry=mirror");

        assertThat(m.rewrite("registry:5000/app:1")).isEqualTo("registry:5000/app:1");
        assertThat(m.rewrite("registry:1")).isEqualTo("mirror:1");
        assertThat(mirrors("registry:5000=mirror").rewrite("registry:5000/app:1"))
                .isEqualTo("mirror/app:1");
    }

    @Test
    void theLongestFromWinsWhateverTheOrderGiven() {
        ImageMirrors m = mirrors("ghcr.io=a", "ghcr.io/org/team=c", "ghcr.io/org=b");

        assertThat(m.rewrite("ghcr.io/org/team/app:1")).isEqualTo("c/app:1");
        assertThat(m.rewrite("ghcr.io/org/other:1")).isEqualTo("b/other:1");
        assertThat(m.rewrite("ghcr.io/else:1")).isEqualTo("a/else:1");
        assertThat(m.rewrite("quay.io/else:1")).isEqualTo("quay.io/else:1");
    }

    @Test
    void aTrailingSlashOnEitherSideIsIgnored() {
        assertThat(mirrors("kbr.local/=mirror.local/kbr/").rewrite("kbr.local/app:1"))
                .isEqualTo("mirror.local/kbr/app:1");
    }

    @Test
    void malformedValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> mirrors("docker.io"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--image-mirror 'docker.io' has no '='");
        assertThatThrownBy(() -> mirrors("=mirror"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty FROM");
        assertThatThrownBy(() -> mirrors("docker.io="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty TO");
        assertThatThrownBy(() -> mirrors("a=b", "a=c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("given twice");
    }

    @Test
    void theDecoratorRunsRewrittenImagesAndKeepsEverythingElse() throws Exception {
        List<PipelineInvocation> seen = new java.util.ArrayList<>();
        PipelineRunner recording = new PipelineRunner() {
            @Override
            public PipelineResult run(PipelineInvocation invocation) {
                seen.add(invocation);
                return new PipelineResult.Failed("c", "stopped", List.of(), Duration.ZERO);
            }

            @Override
            public void close() throws IOException {}
        };
        Pipeline pipeline = new Pipeline(
                "p",
                Map.of(),
                List.of(
                        new Container("a", "kbr.local/x:1", List.of(), List.of("go"), List.of(), Optional.of("Never")),
                        new Container("b", "quay.io/y:2", List.of(), List.of(), List.of(), Optional.empty())),
                JsonNodeFactory.instance.objectNode(),
                SourceLocation.of("test"));
        PipelineInvocation invocation = new PipelineInvocation(
                "desc", pipeline, "kind: X\n".getBytes(), new TreeMap<>(Map.of("K", "v")), Duration.ofSeconds(5));

        try (PipelineRunner runner = MirroredImages.wrap(recording, mirrors("kbr.local=mirror.local/kbr"))) {
            runner.run(invocation);
        }

        PipelineInvocation ran = seen.get(0);
        assertThat(ran.pipeline().containers())
                .extracting(Container::image)
                .containsExactly("mirror.local/kbr/x:1", "quay.io/y:2");
        assertThat(ran.pipeline().containers().get(0).args()).containsExactly("go");
        assertThat(ran.pipeline().containers().get(0).imagePullPolicy()).contains("Never");
        assertThat(ran.objectYaml()).isEqualTo(invocation.objectYaml());
        assertThat(ran.env()).isEqualTo(invocation.env());
        assertThat(ran.description()).isEqualTo("desc");
        assertThat(invocation.pipeline().containers().get(0).image()).isEqualTo("kbr.local/x:1");
        assertThat(MirroredImages.wrap(recording, ImageMirrors.NONE)).isSameAs(recording);
    }
}
