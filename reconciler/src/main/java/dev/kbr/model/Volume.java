package dev.kbr.model;

import java.util.Objects;

/**
 * A pipeline's {@code spec.volumes[]} entry. Only {@code emptyDir} volumes make sense outside a
 * cluster: a folder that starts empty and is shared by the pipeline's containers, in order, as a
 * Pod's emptyDir is shared by its init containers. Other kinds are rejected when loading.
 *
 * @param name the volume name, referenced by container volume mounts
 */
public record Volume(String name) {
    public Volume {
        Objects.requireNonNull(name, "name");
    }
}
