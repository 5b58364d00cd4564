package dev.kbr.load;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Promise {@code sql} with one resource configure pipeline of one busybox container, loaded from
 * YAML, for tests of how the loader reads a pipeline's fields. Lines of the container start at
 * line 15 of {@code promise.yaml}.
 */
final class OnePipelinePromise {
    private OnePipelinePromise() {}

    /**
     * @param containerFields more fields of the container ({@code env:}, {@code envFrom:}, …), not
     *     indented
     * @param pipelineFields more fields of the pipeline's {@code spec} ({@code volumes:}, …), not
     *     indented
     */
    static PlatformLoader.Result load(String containerFields, String pipelineFields) {
        String yaml = """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata: {name: sql}
                spec:
                  workflows:
                    resource:
                      configure:
                      - apiVersion: platform.kratix.io/v1alpha1
                        kind: Pipeline
                        metadata: {name: configure}
                        spec:
                          containers:
                          - name: configure
                            image: busybox
                """ + containerFields.indent(12) + pipelineFields.indent(10);
        YamlDocument doc = YamlReader.read("promise.yaml", yaml.getBytes(StandardCharsets.UTF_8))
                .documents()
                .get(0);
        return PlatformLoader.fromDocuments(List.of(doc));
    }
}
