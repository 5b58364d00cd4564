package dev.kbr.model;

import java.util.Objects;

/**
 * A container's {@code volumeMounts[]} entry.
 *
 * @param name the pipeline volume mounted
 * @param mountPath absolute path in the container
 * @param readOnly whether the container may only read it
 */
public record VolumeMount(String name, String mountPath, boolean readOnly) {
    public VolumeMount {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mountPath, "mountPath");
    }
}
