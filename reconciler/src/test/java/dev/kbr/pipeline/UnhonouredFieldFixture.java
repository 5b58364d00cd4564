package dev.kbr.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kbr.model.Container;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SourceLocation;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pipeline whose second container asks for {@code privileged: true}, and the words both
 * runners must refuse it with, so their tests prove the same field gets the same message.
 */
public final class UnhonouredFieldFixture {
    /** The reason of the {@link PipelineResult.Failed} both runners give, naming file, line and field. */
    public static final String PRIVILEGED_REJECTED = "pipelines/test.yaml:7: error: spec.containers[1].securityContext"
            + ".privileged: is true, but a privileged pipeline container would control the Docker host or the"
            + " Kubernetes node; kbr applies a field only when both its Docker and Kubernetes runners can, and one of"
            + " them cannot apply this one; remove it (docs/kubernetes-runner.md lists the fields kbr honours), or add"
            + " only the capabilities the container needs under capabilities.add";

    private UnhonouredFieldFixture() {}

    /** Containers {@code first} and {@code privileged}, both running {@code image}. */
    public static Pipeline privilegedPipeline(String name, String image) throws IOException {
        ObjectNode document =
                (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree("""
                apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata: {name: %s}
                spec:
                  containers:
                    - {name: first, image: %s}
                    - name: privileged
                      image: %s
                      securityContext: {privileged: true}
                """.formatted(name, image, image));
        List<Container> containers = List.of(
                new Container("first", image, List.of("true"), List.of(), List.of(), Optional.empty()),
                new Container("privileged", image, List.of("true"), List.of(), List.of(), Optional.empty()));
        return new Pipeline(name, Map.of(), containers, document, new SourceLocation("pipelines/test.yaml", 0, 7));
    }
}
