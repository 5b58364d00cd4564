package dev.kbr.model;

import java.util.Objects;

/**
 * A pipeline's {@code spec.volumes[]} entry, which Kratix copies into the pipeline Pod unchanged
 * ({@code api/v1alpha1/pipeline_factory.go}). kbr provides the kinds that make sense outside a
 * cluster: {@code emptyDir} (a folder that starts empty and is shared by the pipeline's
 * containers, in order, as a Pod's emptyDir is shared by its init containers), and {@code
 * secret}, {@code configMap} and {@code projected} (read-only files made from keys of Secrets and
 * ConfigMaps). Other kinds are rejected when loading.
 *
 * @param name the volume name, referenced by container volume mounts
 * @param source what the volume holds
 */
public record Volume(String name, VolumeSource source) {
    public Volume {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    /** An {@code emptyDir} volume. */
    public Volume(String name) {
        this(name, new VolumeSource.EmptyDir());
    }

    /** Whether Kubernetes mounts this volume read-only whatever the mount says (all but emptyDir). */
    public boolean alwaysReadOnly() {
        return !(source instanceof VolumeSource.EmptyDir);
    }
}
