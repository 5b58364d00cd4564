package dev.kbr.pipeline.docker;

import dev.kbr.model.Container;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeMount;
import dev.kbr.model.VolumeSource;
import dev.kbr.pipeline.PlatformAccess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a pipeline's volumes and its containers' mounts of them against what {@link
 * DockerPipelineRunner} can mirror by copying each volume in and out, and normalises the mount
 * paths. Pure.
 *
 * <p>Beyond what the loader checks, this also rejects what Kubernetes allows but copies cannot
 * mirror: one container mounting a volume inside another of its mounts, or one volume twice
 * (Kubernetes shows one live directory at both paths; two copies would drift apart).
 */
final class VolumeMounts {
    private VolumeMounts() {}

    /**
     * A checked mount.
     *
     * @param volume the volume's name
     * @param path where it is mounted, relative to {@code /}: normalised, not empty, outside
     *     {@code kratix}, e.g. {@code data/cache}
     * @param readOnly whether later containers must not see this container's changes
     */
    record Mount(String volume, String path, boolean readOnly) {
        /** The absolute mount path, e.g. {@code /data/cache}. */
        String absolutePath() {
            return "/" + path;
        }

        /** The mount path's last segment, which prefixes every entry of a copy of it. */
        String baseName() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** The outcome of a check. */
    sealed interface Check {
        /**
         * Every mount is usable.
         *
         * @param perContainer each container's mounts, in container order
         */
        record Valid(List<List<Mount>> perContainer) implements Check {
            public Valid {
                perContainer = perContainer.stream().map(List::copyOf).toList();
            }
        }

        /**
         * The first problem found.
         *
         * @param where the container at fault, or the pipeline's name for its volume list
         * @param reason what is wrong, worded for the Promise author
         */
        record Invalid(String where, String reason) implements Check {}
    }

    /**
     * The volume holding the platform API's token, CA and namespace, mounted read-only at {@link
     * PlatformAccess#SERVICE_ACCOUNT_DIRECTORY} in every container, as the kubelet mounts {@code
     * kube-api-access-*}; its name cannot clash with a pipeline's, which must be a DNS label.
     */
    static final String SERVICE_ACCOUNT_VOLUME = "kbr.kube-api-access";

    /**
     * A container's mounts with the platform API's service account directory added read-only,
     * unless the container mounts a volume there itself (as a Pod may replace the kubelet's).
     */
    static List<Mount> withServiceAccount(List<Mount> mounts) {
        String path = normalise(PlatformAccess.SERVICE_ACCOUNT_DIRECTORY);
        if (mounts.stream().anyMatch(m -> m.path().equals(path) || path.startsWith(m.path() + "/"))) {
            return mounts;
        }
        List<Mount> all = new ArrayList<>(mounts);
        all.add(new Mount(SERVICE_ACCOUNT_VOLUME, path, true));
        return List.copyOf(all);
    }

    /** Checks every volume and mount of the pipeline, stopping at the first problem. */
    static Check check(Pipeline pipeline) {
        Set<String> volumes = new HashSet<>();
        Set<String> readOnly = new HashSet<>();
        for (Volume volume : pipeline.volumes()) {
            if (!volumes.add(volume.name())) {
                return new Check.Invalid(pipeline.name(), "defines volume `" + volume.name() + "` twice");
            }
            if (volume.source() instanceof VolumeSource.KeyFiles) {
                return new Check.Invalid(
                        pipeline.name(),
                        "volume `" + volume.name() + "` was not filled from its Secrets and ConfigMaps before the run");
            }
            if (volume.alwaysReadOnly()) {
                readOnly.add(volume.name());
            }
        }
        List<List<Mount>> perContainer = new ArrayList<>();
        for (Container container : pipeline.containers()) {
            List<Mount> mounts = new ArrayList<>();
            for (VolumeMount mount : container.volumeMounts()) {
                String problem = problem(mount, volumes, mounts);
                if (problem != null) {
                    return new Check.Invalid(container.name(), problem);
                }
                // Kubernetes mounts Secret, ConfigMap and projected volumes read-only whatever
                // the mount says.
                mounts.add(new Mount(
                        mount.name(),
                        normalise(mount.mountPath()),
                        mount.readOnly() || readOnly.contains(mount.name())));
            }
            perContainer.add(mounts);
        }
        return new Check.Valid(perContainer);
    }

    /** What is wrong with one mount given the container's earlier ones, or {@code null}. */
    private static String problem(VolumeMount mount, Set<String> volumes, List<Mount> earlier) {
        String at = "mounts volume `" + mount.name() + "` at `" + mount.mountPath() + "`";
        if (!volumes.contains(mount.name())) {
            return at + ", but the pipeline's spec.volumes does not define that volume";
        }
        if (!mount.mountPath().startsWith("/")) {
            return at + ", which is not an absolute path";
        }
        for (String segment : mount.mountPath().split("/", -1)) {
            if (segment.equals("..")) {
                return at + ", which has a `..` segment; give the path without it";
            }
        }
        String path = normalise(mount.mountPath());
        if (path.isEmpty()) {
            return at + ", which would hide the whole image";
        }
        if (path.equals("kratix") || path.startsWith("kratix/")) {
            return at + ", inside /kratix, which kbr provides";
        }
        for (Mount other : earlier) {
            if (other.volume().equals(mount.name())) {
                return at + " and again at `" + other.absolutePath()
                        + "`; kbr copies each mount in and out on its own and cannot keep two views of one volume"
                        + " in step";
            }
            if (other.path().equals(path)
                    || other.path().startsWith(path + "/")
                    || path.startsWith(other.path() + "/")) {
                return at + ", which overlaps its mount of volume `" + other.volume() + "` at `" + other.absolutePath()
                        + "`; kbr copies volumes in and out and cannot nest them";
            }
        }
        return null;
    }

    /** An absolute path without empty or {@code .} segments and without the leading {@code /}. */
    private static String normalise(String absolutePath) {
        List<String> segments = new ArrayList<>();
        for (String segment : absolutePath.split("/", -1)) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
    }
}
