package dev.kbr.pipeline.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kbr.model.Container;
import dev.kbr.model.KeySource;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeMount;
import dev.kbr.model.VolumeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VolumeMountsTest {
    @Test
    void normalisesMountPathsPerContainer() {
        Pipeline pipeline = pipeline(
                List.of(new Volume("cache"), new Volume("scratch")),
                container("first", new VolumeMount("cache", "/data//cache/./", false)),
                container("second"),
                container(
                        "third",
                        new VolumeMount("cache", "/mnt/cache", true),
                        new VolumeMount("scratch", "/mnt/cache-2", false)));

        VolumeMounts.Check check = VolumeMounts.check(pipeline);

        assertThat(check).isInstanceOf(VolumeMounts.Check.Valid.class);
        List<List<VolumeMounts.Mount>> mounts = ((VolumeMounts.Check.Valid) check).perContainer();
        assertThat(mounts)
                .containsExactly(
                        List.of(new VolumeMounts.Mount("cache", "data/cache", false)),
                        List.of(),
                        List.of(
                                new VolumeMounts.Mount("cache", "mnt/cache", true),
                                new VolumeMounts.Mount("scratch", "mnt/cache-2", false)));
        assertThat(mounts.get(0).get(0).absolutePath()).isEqualTo("/data/cache");
        assertThat(mounts.get(0).get(0).baseName()).isEqualTo("cache");
    }

    @Test
    void rejectsMountsThatCopiesCannotMirrorNamingTheContainer() {
        List<Volume> volumes = List.of(new Volume("a"), new Volume("b"));
        Map<List<VolumeMount>, String> cases = Map.of(
                List.of(new VolumeMount("missing", "/x", false)), "does not define that volume",
                List.of(new VolumeMount("a", "relative", false)), "not an absolute path",
                List.of(new VolumeMount("a", "/x/../kratix", false)), "`..` segment",
                List.of(new VolumeMount("a", "//", false)), "hide the whole image",
                List.of(new VolumeMount("a", "//kratix/./output", false)), "inside /kratix",
                List.of(new VolumeMount("a", "/x", false), new VolumeMount("a", "/y", true)), "two views of one volume",
                List.of(new VolumeMount("a", "/x", false), new VolumeMount("b", "/x/", false)), "cannot nest them",
                List.of(new VolumeMount("a", "/x/y", false), new VolumeMount("b", "/x", false)), "cannot nest them");

        cases.forEach((mounts, reason) -> {
            VolumeMounts.Check check = VolumeMounts.check(
                    pipeline(volumes, container("fine"), container("bad", mounts.toArray(VolumeMount[]::new))));

            assertThat(check).as(reason).isInstanceOf(VolumeMounts.Check.Invalid.class);
            VolumeMounts.Check.Invalid invalid = (VolumeMounts.Check.Invalid) check;
            assertThat(invalid.where()).isEqualTo("bad");
            assertThat(invalid.reason()).contains(reason);
        });
    }

    @Test
    void rejectsAVolumeDefinedTwiceNamingThePipeline() {
        VolumeMounts.Check check = VolumeMounts.check(pipeline(List.of(new Volume("a"), new Volume("a"))));

        assertThat(check).isEqualTo(new VolumeMounts.Check.Invalid("p", "defines volume `a` twice"));
    }

    @Test
    void secretConfigMapAndProjectedVolumesAreMountedReadOnlyWhateverTheMountSays() {
        Volume creds = new Volume("creds", new VolumeSource.Files(VolumeSource.Kind.SECRET, new TreeMap<>()));
        Volume settings = new Volume("settings", new VolumeSource.Files(VolumeSource.Kind.CONFIG_MAP, new TreeMap<>()));
        Pipeline pipeline = pipeline(
                List.of(creds, settings, new Volume("scratch")),
                container(
                        "c",
                        new VolumeMount("creds", "/creds", false),
                        new VolumeMount("settings", "/settings", true),
                        new VolumeMount("scratch", "/scratch", false)));

        VolumeMounts.Check check = VolumeMounts.check(pipeline);

        assertThat(((VolumeMounts.Check.Valid) check).perContainer().get(0))
                .containsExactly(
                        new VolumeMounts.Mount("creds", "creds", true),
                        new VolumeMounts.Mount("settings", "settings", true),
                        new VolumeMounts.Mount("scratch", "scratch", false));
    }

    @Test
    void aVolumeNotYetFilledFromItsSecretsIsRefused() {
        Volume creds = new Volume(
                "creds",
                new VolumeSource.KeyFiles(
                        VolumeSource.Kind.SECRET, List.of(new KeySource(true, "db", List.of(), false)), 0644));

        assertThat(VolumeMounts.check(pipeline(List.of(creds))))
                .isEqualTo(new VolumeMounts.Check.Invalid(
                        "p", "volume `creds` was not filled from its Secrets and ConfigMaps before the run"));
    }

    private static Pipeline pipeline(List<Volume> volumes, Container... containers) {
        return new Pipeline(
                "p",
                Map.of(),
                List.of(containers),
                volumes,
                JsonNodeFactory.instance.objectNode(),
                SourceLocation.of("test"));
    }

    private static Container container(String name, VolumeMount... mounts) {
        return new Container(
                name, "image", List.of(), List.of(), List.of(), List.of(), List.of(mounts), Optional.empty());
    }
}
