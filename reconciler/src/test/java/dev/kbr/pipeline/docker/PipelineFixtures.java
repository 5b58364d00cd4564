package dev.kbr.pipeline.docker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kbr.model.Container;
import dev.kbr.model.VolumeMount;
import dev.kbr.pipeline.PipelineResult;
import java.util.List;

/** Containers and result checks shared by the Docker runner's integration tests. */
final class PipelineFixtures {
    private PipelineFixtures() {}

    /** The same container with these volume mounts. */
    static Container mounting(Container container, VolumeMount... mounts) {
        return new Container(
                container.name(),
                container.image(),
                container.command(),
                container.args(),
                container.env(),
                container.envFrom(),
                List.of(mounts),
                container.imagePullPolicy());
    }

    /** The result as a success, or a test failure naming the container, reason and logs. */
    static PipelineResult.Succeeded succeeded(PipelineResult result) {
        if (result instanceof PipelineResult.Failed failed) {
            fail("Pipeline failed in " + failed.container() + ": " + failed.reason() + "; logs: " + failed.logs());
        }
        return (PipelineResult.Succeeded) result;
    }

    /** A file's content as UTF-8; fails when the file is missing. */
    static String text(byte[] bytes) {
        assertThat(bytes).as("file content").isNotNull();
        return new String(bytes, UTF_8);
    }
}
