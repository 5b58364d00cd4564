package dev.kbr.model;

import java.util.Objects;

/**
 * Identity of one Work: Kratix keeps one Work per (Promise, [resource], pipeline), found by labels
 * ({@code lib/resourceutil/work.go}); kbr keys its records the same way.
 *
 * @param type static dependencies, promise workflow output or resource workflow output
 * @param promise the Promise name
 * @param namespace the resource request's namespace; empty unless {@code type} is RESOURCE
 * @param name the resource request's name; empty unless {@code type} is RESOURCE
 * @param pipeline the pipeline name; empty for static dependencies
 */
public record WorkId(WorkType type, String promise, String namespace, String name, String pipeline)
        implements Comparable<WorkId> {
    public WorkId {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(promise, "promise");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pipeline, "pipeline");
    }

    public static WorkId staticDependencies(String promise) {
        return new WorkId(WorkType.STATIC_DEPENDENCY, promise, "", "", "");
    }

    public static WorkId promise(String promise, String pipeline) {
        return new WorkId(WorkType.PROMISE, promise, "", "", pipeline);
    }

    public static WorkId resource(String promise, String namespace, String name, String pipeline) {
        return new WorkId(WorkType.RESOURCE, promise, namespace, name, pipeline);
    }

    /** The object this Work belongs to: the Promise, or the request. */
    public ObjectKey object() {
        return type == WorkType.RESOURCE ? ObjectKey.request(promise, namespace, name) : ObjectKey.promise(promise);
    }

    @Override
    public int compareTo(WorkId other) {
        // By promise, type, namespace, name, pipeline. Written out: records are kept in sorted
        // maps, and a comparator chain costs several times more per comparison.
        int c = promise.compareTo(other.promise);
        if (c == 0) {
            c = type.compareTo(other.type);
        }
        if (c == 0) {
            c = namespace.compareTo(other.namespace);
        }
        if (c == 0) {
            c = name.compareTo(other.name);
        }
        return c != 0 ? c : pipeline.compareTo(other.pipeline);
    }

    /** E.g. {@code redis/default/example-redis pipeline instance} or {@code redis static dependencies}. */
    @Override
    public String toString() {
        return switch (type) {
            case STATIC_DEPENDENCY -> promise + " static dependencies";
            case PROMISE -> promise + " pipeline " + pipeline;
            case RESOURCE -> promise + "/" + namespace + "/" + name + " pipeline " + pipeline;
        };
    }
}
