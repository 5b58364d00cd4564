package dev.kbr.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Container;
import dev.kbr.model.KeySource;
import dev.kbr.model.KeyToPath;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeFile;
import dev.kbr.model.VolumeSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VolumeResolverTest {
    private static final String PASSWORD = "pa55-w0rd-s3cret";

    private static final Secrets SECRETS = (namespace, name) -> namespace.equals("team-a") && name.equals("db")
            ? Optional.of(new TreeMap<>(Map.of("username", "alice", "password", PASSWORD + "\n")))
            : Optional.empty();

    private static final ConfigMaps CONFIG_MAPS = ConfigMaps.of(List.of(
            configMap("team-a", "settings", "{\"region\": \"eu-west-2\", \"size\": \"small\"}", "{\"logo\": \"AAEC\"}"),
            configMap("team-b", "other", "{\"region\": \"us-east-1\"}", "{}")));

    private static ObjectNode configMap(String namespace, String name, String data, String binaryData) {
        try {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("apiVersion", "v1").put("kind", "ConfigMap");
            doc.putObject("metadata").put("name", name).put("namespace", namespace);
            ObjectMapper json = new ObjectMapper();
            doc.set("data", json.readTree(data));
            doc.set("binaryData", json.readTree(binaryData));
            return doc;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Pipeline pipeline(Volume... volumes) {
        Container c =
                new Container("c", "img", List.of(), List.of(), List.of(), List.of(), List.of(), Optional.empty());
        return new Pipeline(
                        "configure",
                        Map.of(),
                        List.of(c),
                        JsonNodeFactory.instance.objectNode(),
                        new SourceLocation("promises/sql.yaml", 0, 12))
                .withVolumes(List.of(volumes));
    }

    private static Volume volume(String name, VolumeSource.Kind kind, int defaultMode, KeySource... sources) {
        return new Volume(name, new VolumeSource.KeyFiles(kind, List.of(sources), defaultMode));
    }

    private static KeyToPath item(String key, String path, int... mode) {
        return new KeyToPath(key, path, mode.length == 0 ? OptionalInt.empty() : OptionalInt.of(mode[0]));
    }

    private static SortedMap<String, String> files(Pipeline resolved, int volume) {
        SortedMap<String, String> shown = new TreeMap<>();
        ((VolumeSource.Files) resolved.volumes().get(volume).source())
                .files()
                .forEach((path, file) -> shown.put(
                        path,
                        String.format("%04o ", file.mode())
                                + (file.secret() ? "secret " : "")
                                + new String(file.content(), StandardCharsets.UTF_8)));
        return shown;
    }

    @Test
    void fillsSecretConfigMapAndProjectedVolumesFromThePipelineNamespaceAsTheKubeletDoes() throws Exception {
        Pipeline resolved = VolumeResolver.resolve(
                pipeline(
                        volume("all-keys", VolumeSource.Kind.SECRET, 0644, new KeySource(true, "db", List.of(), false)),
                        volume(
                                "some-keys",
                                VolumeSource.Kind.CONFIG_MAP,
                                0440,
                                new KeySource(
                                        false,
                                        "settings",
                                        List.of(item("region", "conf/region"), item("logo", "logo.bin", 0400)),
                                        false)),
                        volume(
                                "both",
                                VolumeSource.Kind.PROJECTED,
                                0600,
                                new KeySource(true, "db", List.of(item("password", "db/password", 0400)), false),
                                new KeySource(false, "settings", List.of(), false)),
                        new Volume("scratch")),
                "team-a",
                SECRETS,
                CONFIG_MAPS);

        assertThat(files(resolved, 0))
                .containsExactly(
                        Map.entry("password", "0644 secret " + PASSWORD + "\n"),
                        Map.entry("username", "0644 secret alice"));
        assertThat(files(resolved, 1))
                .containsExactly(
                        Map.entry("conf/region", "0440 eu-west-2"), Map.entry("logo.bin", "0400 \u0000\u0001\u0002"));
        assertThat(files(resolved, 2))
                .containsExactly(
                        Map.entry("db/password", "0400 secret " + PASSWORD + "\n"),
                        Map.entry("logo", "0600 \u0000\u0001\u0002"),
                        Map.entry("region", "0600 eu-west-2"),
                        Map.entry("size", "0600 small"));
        assertThat(resolved.volumes().get(3)).isEqualTo(new Volume("scratch"));
    }

    @Test
    void aMissingObjectOrKeyFailsThePipelineNamingFileVolumeAndFixButNeverAValue() {
        assertThatThrownBy(() -> VolumeResolver.resolve(
                        pipeline(volume(
                                "creds",
                                VolumeSource.Kind.SECRET,
                                0644,
                                new KeySource(true, "db", List.of(item("username", "u"), item("token", "t")), false))),
                        "team-a",
                        SECRETS,
                        CONFIG_MAPS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pipeline configure (promises/sql.yaml:12) volume creds needs Secret team-a/db key token,"
                        + " which is not available; put it in --secrets-dir as team-a/db/token or set"
                        + " KBR_SECRET_TEAM_A_DB_TOKEN, or set optional: true on the volume's Secret");
        assertThatThrownBy(() -> VolumeResolver.resolve(
                        pipeline(volume(
                                "settings",
                                VolumeSource.Kind.CONFIG_MAP,
                                0644,
                                new KeySource(false, "other", List.of(), false))),
                        "team-a",
                        SECRETS,
                        CONFIG_MAPS))
                .hasMessage("pipeline configure (promises/sql.yaml:12) volume settings needs ConfigMap team-a/other,"
                        + " which is not available; add a v1 ConfigMap other in namespace team-a to the platform"
                        + " repository, or set optional: true on the volume's ConfigMap");
        assertThatThrownBy(() -> VolumeResolver.resolve(
                        pipeline(volume(
                                "both",
                                VolumeSource.Kind.PROJECTED,
                                0644,
                                new KeySource(true, "db", List.of(), false),
                                new KeySource(false, "settings", List.of(item("zone", "zone")), false))),
                        "team-a",
                        SECRETS,
                        CONFIG_MAPS))
                .hasMessageContaining("ConfigMap team-a/settings key zone")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void anItemFindsAKeyGivenAsAKbrSecretVariableWhoseNameLostTheKeysCaseAndPunctuation() throws Exception {
        // As MountedSecrets lists KBR_SECRET_TEAM_A_DB_API_TOKEN when no file names the key.
        Secrets fromVariables = (namespace, name) -> Optional.of(new TreeMap<>(Map.of("api_token", "t0ken")));

        Pipeline resolved = VolumeResolver.resolve(
                pipeline(volume(
                        "creds",
                        VolumeSource.Kind.SECRET,
                        0644,
                        new KeySource(true, "db", List.of(item("api-Token", "token")), false))),
                "team-a",
                fromVariables,
                ConfigMaps.none());

        assertThat(files(resolved, 0)).containsExactly(Map.entry("token", "0644 secret t0ken"));
    }

    @Test
    void optionalSourcesLeaveOutWhatIsMissing() throws Exception {
        Pipeline resolved = VolumeResolver.resolve(
                pipeline(
                        volume(
                                "creds",
                                VolumeSource.Kind.SECRET,
                                0644,
                                new KeySource(true, "absent", List.of(item("a", "a")), true)),
                        volume(
                                "both",
                                VolumeSource.Kind.PROJECTED,
                                0644,
                                new KeySource(true, "db", List.of(item("username", "user"), item("x", "x")), true),
                                new KeySource(false, "absent", List.of(), true))),
                "team-a",
                SECRETS,
                CONFIG_MAPS);

        assertThat(files(resolved, 0)).isEmpty();
        assertThat(files(resolved, 1)).containsExactly(Map.entry("user", "0644 secret alice"));
    }

    @Test
    void mountedSecretValuesNeverShowInToString() throws Exception {
        Pipeline resolved = VolumeResolver.resolve(
                pipeline(
                        volume("creds", VolumeSource.Kind.SECRET, 0400, new KeySource(true, "db", List.of(), false)),
                        volume(
                                "settings",
                                VolumeSource.Kind.CONFIG_MAP,
                                0644,
                                new KeySource(false, "settings", List.of(item("size", "size")), false))),
                "team-a",
                SECRETS,
                CONFIG_MAPS);
        assertThat(resolved.toString()).doesNotContain(PASSWORD).contains("from a Secret");
        VolumeFile file = ((VolumeSource.Files) resolved.volumes().get(0).source())
                .files()
                .get("password");
        assertThat(file.toString()).isEqualTo("VolumeFile[17 bytes, mode 0400, from a Secret]");
    }

    @Test
    void configMapsWithoutANamespaceAreInDefaultAndALaterDocumentWins() {
        ObjectNode first = configMap("default", "s", "{\"k\": \"1\"}", "{}");
        ((ObjectNode) first.path("metadata")).remove("namespace");
        ObjectNode second = configMap("default", "s", "{\"k\": \"2\"}", "{}");

        Optional<SortedMap<String, byte[]>> found =
                ConfigMaps.of(List.of(first, second)).configMap("default", "s");

        assertThat(found)
                .hasValueSatisfying(keys -> assertThat(keys.get("k")).isEqualTo("2".getBytes(StandardCharsets.UTF_8)));
        assertThat(ConfigMaps.of(List.of(first)).configMap("default", "s")).isPresent();
    }
}
