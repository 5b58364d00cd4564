package dev.kbr.model;

/**
 * What kind of Work an output is, as Kratix labels it ({@code kratix.io/work-type},
 * {@code lib/resourceutil/work.go}): it decides {@code dependencies/} versus {@code resources/}
 * and whether a group goes to every matching Destination or to exactly one.
 */
public enum WorkType {
    /** A Promise's static {@code spec.dependencies}. */
    STATIC_DEPENDENCY,
    /** The output of a promise.configure pipeline. */
    PROMISE,
    /** The output of a resource.configure pipeline. */
    RESOURCE;

    /** Dependencies are delivered to every matching Destination, resources to one. */
    public boolean isDependency() {
        return this != RESOURCE;
    }
}
