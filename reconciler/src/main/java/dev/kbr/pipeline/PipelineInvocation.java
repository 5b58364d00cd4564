package dev.kbr.pipeline;

import dev.kbr.model.Pipeline;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One pipeline to run, fully resolved: the pipeline, the bytes of {@code
 * /kratix/input/object.yaml}, and the {@code KRATIX_*} environment every container gets (the
 * container's own {@code env} is appended after it, as in Kratix).
 *
 * @param description how reports name this run, e.g. {@code redis/default/example-redis
 *     resource.configure instance-configure}
 * @param pipeline the pipeline and its containers
 * @param objectYaml the input object, YAML
 * @param environment the {@code KRATIX_*} variables, sorted by name
 * @param timeout how long the whole pipeline may take
 * @param platformAccess how its containers reach the platform API; empty when it is off
 */
public record PipelineInvocation(
        String description,
        Pipeline pipeline,
        byte[] objectYaml,
        SortedMap<String, String> environment,
        Duration timeout,
        Optional<PlatformAccess> platformAccess) {
    public PipelineInvocation {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(pipeline, "pipeline");
        objectYaml = objectYaml.clone();
        environment = new TreeMap<>(environment);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(platformAccess, "platformAccess");
    }

    /** An invocation without the platform API. */
    public PipelineInvocation(
            String description,
            Pipeline pipeline,
            byte[] objectYaml,
            SortedMap<String, String> environment,
            Duration timeout) {
        this(description, pipeline, objectYaml, environment, timeout, Optional.empty());
    }

    /** This invocation with its containers reaching the platform API through {@code access}. */
    public PipelineInvocation withPlatformAccess(PlatformAccess access) {
        return new PipelineInvocation(description, pipeline, objectYaml, environment, timeout, Optional.of(access));
    }

    @Override
    public byte[] objectYaml() {
        return objectYaml.clone();
    }

    /**
     * The variables, unmodifiable: the {@code KRATIX_*} ones, and with the platform API the {@code
     * KUBERNETES_SERVICE_*} ones.
     */
    public Map<String, String> env() {
        SortedMap<String, String> all = new TreeMap<>(environment);
        platformAccess.ifPresent(access -> all.putAll(access.environment()));
        return java.util.Collections.unmodifiableSortedMap(all);
    }
}
