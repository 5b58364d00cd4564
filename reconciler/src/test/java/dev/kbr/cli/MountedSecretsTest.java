package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.execute.ConfigMaps;
import dev.kbr.execute.VolumeResolver;
import dev.kbr.model.Container;
import dev.kbr.model.KeySource;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets read from a folder laid out as a mounted Secret, and from {@code KBR_SECRET_*} variables. */
class MountedSecretsTest {
    /** Not UTF-8: a DER certificate or a keystore starts with bytes like these. */
    private static final byte[] BINARY = {0x30, (byte) 0x82, 0x01, (byte) 0xff, 0x00, (byte) 0xc3, 0x28};

    @TempDir
    Path dir;

    @Test
    void aBinaryKeyKeepsItsBytesInAVolumeAndTextKeysAndVariablesStayText() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("team-a/store"));
        Files.write(folder.resolve("keystore.p12"), BINARY);
        Files.writeString(folder.resolve("password"), "from-file");
        Files.writeString(folder.resolve(".hidden"), "skipped");
        MountedSecrets secrets =
                new MountedSecrets(Optional.of(dir), Map.of("KBR_SECRET_TEAM_A_STORE_PASSWORD", "from-variable"));

        assertThat(secrets.secretBytes("team-a", "store").orElseThrow())
                .containsOnlyKeys("keystore.p12", "password")
                .hasEntrySatisfying("keystore.p12", bytes -> assertThat(bytes).isEqualTo(BINARY))
                .hasEntrySatisfying(
                        "password", bytes -> assertThat(new String(bytes)).isEqualTo("from-variable"));
        assertThat(secrets.secret("team-a", "store").orElseThrow())
                .as("a key that is not text reads as text without failing")
                .containsEntry("password", "from-variable")
                .containsKey("keystore.p12");
        assertThat(secrets.secretBytes("team-a", "absent")).isEmpty();

        Container container = new Container("c", "img", List.of(), List.of(), List.of(), Optional.empty());
        Pipeline pipeline = new Pipeline(
                        "p",
                        Map.of(),
                        List.of(container),
                        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(),
                        SourceLocation.of("t"))
                .withVolumes(List.of(new Volume(
                        "store",
                        new VolumeSource.KeyFiles(
                                VolumeSource.Kind.SECRET,
                                List.of(new KeySource(true, "store", List.of(), false)),
                                0400))));
        var files = ((VolumeSource.Files) VolumeResolver.resolve(pipeline, "team-a", secrets, ConfigMaps.none())
                        .volumes()
                        .get(0)
                        .source())
                .files();
        assertThat(files.get("keystore.p12").content())
                .as("the volume's file holds the bytes")
                .isEqualTo(BINARY);
    }
}
