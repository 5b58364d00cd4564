package dev.kbr.pipeline.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Pipeline;
import dev.kbr.pipeline.PlatformAccess;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;

/** The volumes of a pipeline Pod: kbr's shared {@code /kratix} ones, the Pipeline's, and the platform API's. */
final class PodVolumes {
    private PodVolumes() {}

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
        for (int i = 0; i < declared.size(); i++) {
            JsonNode volume = declared.get(i);
            String volumeName = volume.path("name").asText();
            // Only the volumes kbr loaded (emptyDirs) are used; the loader reported the rest.
            if (pipeline.volumes().stream().anyMatch(v -> v.name().equals(volumeName))) {
                volumes.add(DocumentFields.convert(volume, Volume.class, pipeline, "spec.volumes[" + i + "]"));
            }
        }
        return volumes;
    }

    private static Volume emptyDir(String name) {
        return new VolumeBuilder()
                .withName(name)
                .withNewEmptyDir()
                .endEmptyDir()
                .build();
    }
}
