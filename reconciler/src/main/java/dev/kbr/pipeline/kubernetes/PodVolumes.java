package dev.kbr.pipeline.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Pipeline;
import dev.kbr.model.VolumeFile;
import dev.kbr.model.VolumeSource;
import dev.kbr.pipeline.PlatformAccess;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The volumes of a pipeline Pod: kbr's shared {@code /kratix} ones, the Pipeline's, and the platform API's. */
final class PodVolumes {
    /** Prefix of the keys of the run's Secret and ConfigMap holding the files of the Pipeline's volumes. */
    static final String VOLUME_KEY_PREFIX = "kbr-volume-";

    private PodVolumes() {}

    /**
     * The files of the Pipeline's Secret, ConfigMap and projected volumes, by their key in the
     * run's Secret (those a Secret filled) or ConfigMap (the rest): {@code kbr-volume-<volume
     * index>.<file index>}, so that no name or path of the Pipeline needs to fit a key's syntax.
     *
     * @param secret true for the files a Secret filled, false for the others
     */
    static SortedMap<String, byte[]> files(Pipeline pipeline, boolean secret) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (int v = 0; v < pipeline.volumes().size(); v++) {
            if (pipeline.volumes().get(v).source() instanceof VolumeSource.Files resolved) {
                int n = 0;
                for (VolumeFile file : resolved.files().values()) {
                    if (file.secret() == secret) {
                        files.put(key(v, n), file.content());
                    }
                    n++;
                }
            }
        }
        return files;
    }

    /**
     * The platform API's token, CA and namespace from the run's Secret, as Kubernetes' projected
     * {@code kube-api-access} volume lays them out (files readable by any user, as its default mode
     * 0644 makes them).
     */
    static Volume serviceAccount(String name, PlatformAccess access) {
        var secret = new VolumeBuilder()
                .withName(PipelinePod.SERVICE_ACCOUNT_VOLUME)
                .withNewSecret()
                .withSecretName(name)
                .withDefaultMode(0644);
        for (String file : access.serviceAccountFiles().keySet()) {
            secret.addNewItem()
                    .withKey(PipelinePod.SERVICE_ACCOUNT_KEY_PREFIX + file)
                    .withPath(file)
                    .endItem();
        }
        return secret.endSecret().build();
    }

    /**
     * The Pod's volumes: kbr's, then the Pipeline's in order. An emptyDir is passed as the
     * Pipeline wrote it; a Secret, ConfigMap or projected volume keeps its kind but takes its
     * files from the run's Secret and ConfigMap ({@link #files}), each item with its mode.
     *
     * @param name the run's name, which its Secret and ConfigMap have
     */
    static List<Volume> of(Pipeline pipeline, String name) throws PipelinePod.InvalidPipeline {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(emptyDir(PipelinePod.INPUT_VOLUME));
        volumes.add(emptyDir(PipelinePod.OUTPUT_VOLUME));
        volumes.add(emptyDir(PipelinePod.METADATA_VOLUME));
        volumes.add(new VolumeBuilder()
                .withName(PipelinePod.OBJECT_VOLUME)
                .withNewConfigMap()
                .withName(name)
                .addNewItem()
                .withKey(PipelinePod.OBJECT_KEY)
                .withPath(PipelinePod.OBJECT_KEY)
                .endItem()
                .endConfigMap()
                .build());
        JsonNode declared = pipeline.document().path("spec").path("volumes");
        for (int v = 0; v < pipeline.volumes().size(); v++) {
            dev.kbr.model.Volume volume = pipeline.volumes().get(v);
            if (volume.source() instanceof VolumeSource.Files resolved) {
                volumes.add(filesVolume(volume.name(), resolved, v, name));
                continue;
            }
            for (int i = 0; i < declared.size(); i++) {
                if (declared.get(i).path("name").asText().equals(volume.name())) {
                    volumes.add(
                            DocumentFields.convert(declared.get(i), Volume.class, pipeline, "spec.volumes[" + i + "]"));
                }
            }
        }
        return volumes;
    }

    private static Volume filesVolume(String volumeName, VolumeSource.Files resolved, int index, String run) {
        List<KeyToPath> secretItems = new ArrayList<>();
        List<KeyToPath> configMapItems = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, VolumeFile> file : resolved.files().entrySet()) {
            KeyToPath item = new KeyToPathBuilder()
                    .withKey(key(index, n++))
                    .withPath(file.getKey())
                    .withMode(file.getValue().mode())
                    .build();
            (file.getValue().secret() ? secretItems : configMapItems).add(item);
        }
        VolumeBuilder volume = new VolumeBuilder().withName(volumeName);
        // No items would mean every key of the run's Secret or ConfigMap; an empty volume (its
        // only source optional and missing) is a projection of nothing instead.
        if (resolved.kind() == VolumeSource.Kind.SECRET && !secretItems.isEmpty()) {
            return volume.withNewSecret()
                    .withSecretName(run)
                    .withItems(secretItems)
                    .endSecret()
                    .build();
        }
        if (resolved.kind() == VolumeSource.Kind.CONFIG_MAP && !configMapItems.isEmpty()) {
            return volume.withNewConfigMap()
                    .withName(run)
                    .withItems(configMapItems)
                    .endConfigMap()
                    .build();
        }
        List<VolumeProjection> sources = new ArrayList<>();
        if (!secretItems.isEmpty()) {
            sources.add(new VolumeProjectionBuilder()
                    .withNewSecret()
                    .withName(run)
                    .withItems(secretItems)
                    .endSecret()
                    .build());
        }
        if (!configMapItems.isEmpty()) {
            sources.add(new VolumeProjectionBuilder()
                    .withNewConfigMap()
                    .withName(run)
                    .withItems(configMapItems)
                    .endConfigMap()
                    .build());
        }
        return volume.withNewProjected().withSources(sources).endProjected().build();
    }

    private static String key(int volume, int file) {
        return VOLUME_KEY_PREFIX + volume + "." + file;
    }

    private static Volume emptyDir(String name) {
        return new VolumeBuilder()
                .withName(name)
                .withNewEmptyDir()
                .endEmptyDir()
                .build();
    }
}
