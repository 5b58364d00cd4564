package dev.kbr.execute;

import dev.kbr.model.KeySource;
import dev.kbr.model.KeyToPath;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeFile;
import dev.kbr.model.VolumeSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Resolves a pipeline's {@code secret}, {@code configMap} and {@code projected} volumes into their
 * files, from the Secrets and ConfigMaps of the pipeline's namespace, as the kubelet fills them
 * ({@code pkg/volume/secret/secret.go}, {@code pkg/volume/configmap/configmap.go}, {@code
 * pkg/volume/projected/projected.go}): without {@code items} every key is a file named after it,
 * with {@code items} only those keys, at their paths; a file's mode is its item's {@code mode},
 * else the volume's {@code defaultMode}; a missing object or key fails the pipeline unless its
 * source is {@code optional}, when it is left out. Kratix passes the volumes to the pipeline Pod
 * unchanged ({@code api/v1alpha1/pipeline_factory.go}).
 */
public final class VolumeResolver {
    private VolumeResolver() {}

    /**
     * @param pipeline the pipeline as loaded
     * @param namespace the pipeline namespace, where its Secrets and ConfigMaps live
     * @param secrets the Secret source
     * @param configMaps the ConfigMap source
     * @return the pipeline with every {@link VolumeSource.KeyFiles} volume replaced by its {@link
     *     VolumeSource.Files}
     * @throws IllegalArgumentException naming the Promise file, the volume, the object and key
     *     (never a value) and where to put it, when a required one is missing
     * @throws IOException when a Secret cannot be read
     */
    public static Pipeline resolve(Pipeline pipeline, String namespace, Secrets secrets, ConfigMaps configMaps)
            throws IOException {
        if (pipeline.volumes().stream().noneMatch(v -> v.source() instanceof VolumeSource.KeyFiles)) {
            return pipeline;
        }
        List<Volume> volumes = new ArrayList<>();
        for (Volume volume : pipeline.volumes()) {
            if (!(volume.source() instanceof VolumeSource.KeyFiles keyFiles)) {
                volumes.add(volume);
                continue;
            }
            SortedMap<String, VolumeFile> files = new TreeMap<>();
            for (KeySource source : keyFiles.sources()) {
                Optional<SortedMap<String, byte[]>> keys = keys(source, namespace, secrets, configMaps);
                if (keys.isEmpty()) {
                    if (!source.optional()) {
                        throw missing(pipeline, volume, namespace, source, null);
                    }
                    continue;
                }
                if (source.items().isEmpty()) {
                    keys.get()
                            .forEach((key, value) ->
                                    files.put(key, new VolumeFile(value, keyFiles.defaultMode(), source.secret())));
                    continue;
                }
                for (KeyToPath item : source.items()) {
                    Optional<byte[]> value = value(keys.get(), item.key(), source.secret());
                    if (value.isEmpty()) {
                        if (!source.optional()) {
                            throw missing(pipeline, volume, namespace, source, item.key());
                        }
                        continue;
                    }
                    files.put(
                            item.path(),
                            new VolumeFile(value.get(), item.mode().orElse(keyFiles.defaultMode()), source.secret()));
                }
            }
            volumes.add(new Volume(volume.name(), new VolumeSource.Files(keyFiles.kind(), files)));
        }
        return pipeline.withVolumes(volumes);
    }

    private static Optional<SortedMap<String, byte[]>> keys(
            KeySource source, String namespace, Secrets secrets, ConfigMaps configMaps) throws IOException {
        return source.secret()
                ? secrets.secretBytes(namespace, source.name())
                : configMaps.configMap(namespace, source.name());
    }

    /** A key; of a Secret, also in its {@code KBR_SECRET_*} form, as {@link VariableResolver} finds it. */
    private static Optional<byte[]> value(SortedMap<String, byte[]> keys, String key, boolean secret) {
        return secret ? VariableResolver.key(keys, key) : Optional.ofNullable(keys.get(key));
    }

    private static IllegalArgumentException missing(
            Pipeline pipeline, Volume volume, String namespace, KeySource source, String key) {
        String what = source.describe().replace(" ", " " + namespace + "/") + (key != null ? " key " + key : "");
        String fix = source.secret()
                ? "put it in --secrets-dir as " + namespace + "/" + source.name() + "/" + (key != null ? key : "<key>")
                        + " or set KBR_SECRET_" + Secrets.envName(namespace) + "_" + Secrets.envName(source.name())
                        + "_" + (key != null ? Secrets.envName(key) : "<KEY>")
                : "add a v1 ConfigMap " + source.name() + " in namespace " + namespace
                        + (key != null ? " with key " + key : "") + " to the platform repository";
        return new IllegalArgumentException("pipeline " + pipeline.name() + " (" + pipeline.location() + ") volume "
                + volume.name() + " needs " + what + ", which is not available; " + fix
                + ", or set optional: true on the volume's " + source.describe().split(" ")[0]);
    }
}
