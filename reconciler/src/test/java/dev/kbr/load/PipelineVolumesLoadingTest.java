package dev.kbr.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.Diagnostic;
import dev.kbr.model.KeySource;
import dev.kbr.model.KeyToPath;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeSource;
import dev.kbr.testsupport.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PipelineVolumesLoadingTest {

    /** A Promise whose one pipeline has {@code volumes} (indented to fit under {@code spec:}). */
    private static PlatformLoader.Result load(String volumes) {
        return OnePipelinePromise.load("", "volumes:\n" + volumes.indent(0));
    }

    private static List<Volume> volumes(PlatformLoader.Result result) {
        assertThat(result.diagnostics()).isEmpty();
        Pipeline pipeline = result.platform()
                .promises()
                .get(0)
                .workflows()
                .resourceConfigure()
                .get(0);
        return pipeline.volumes();
    }

    private static List<String> errors(PlatformLoader.Result result) {
        return result.diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(d -> d.location().line() + " "
                        + d.field().replace("spec.workflows.resource.configure[0].spec.", "") + ": " + d.message())
                .toList();
    }

    @Test
    void mapsSecretConfigMapAndProjectedVolumesWithKubernetesDefaults() {
        var volumes = volumes(load("""
                - name: creds
                  secret:
                    secretName: gcp-credentials
                    defaultMode: 0400
                    items:
                    - {key: credentialsjson, path: credentials.json}
                    - {key: project_id, path: ./ids/project_id, mode: 0440}
                - name: settings
                  configMap: {name: settings, optional: true}
                - name: all
                  projected:
                    sources:
                    - secret: {name: token}
                    - configMap: {name: settings, items: [{key: region, path: region, mode: 420}]}
                - name: scratch
                  emptyDir: {}
                - name: defaulted
                """));

        assertThat(volumes)
                .containsExactly(
                        new Volume(
                                "creds",
                                new VolumeSource.KeyFiles(
                                        VolumeSource.Kind.SECRET,
                                        List.of(new KeySource(
                                                true,
                                                "gcp-credentials",
                                                List.of(
                                                        new KeyToPath(
                                                                "credentialsjson",
                                                                "credentials.json",
                                                                OptionalInt.empty()),
                                                        new KeyToPath(
                                                                "project_id", "ids/project_id", OptionalInt.of(0440))),
                                                false)),
                                        0400)),
                        new Volume(
                                "settings",
                                new VolumeSource.KeyFiles(
                                        VolumeSource.Kind.CONFIG_MAP,
                                        List.of(new KeySource(false, "settings", List.of(), true)),
                                        0644)),
                        new Volume(
                                "all",
                                new VolumeSource.KeyFiles(
                                        VolumeSource.Kind.PROJECTED,
                                        List.of(
                                                new KeySource(true, "token", List.of(), false),
                                                new KeySource(
                                                        false,
                                                        "settings",
                                                        List.of(new KeyToPath(
                                                                "region", "region", OptionalInt.of(0644))),
                                                        false)),
                                        0644)),
                        new Volume("scratch"),
                        new Volume("defaulted"));
        assertThat(volumes.get(0).alwaysReadOnly()).isTrue();
        assertThat(volumes.get(3).alwaysReadOnly()).isFalse();
    }

    @Test
    void reportsEachMistakeAtItsLineAndFieldAndKeepsNoBrokenVolume() {
        var result = load("""
                - name: no-name
                  secret: {items: [{key: a, path: a}]}
                - name: escapes
                  secret:
                    secretName: s
                    items:
                    - {key: a, path: /etc/a}
                    - {key: b, path: x/../../b}
                    - {path: c}
                - name: bad-mode
                  configMap: {name: c, defaultMode: 01000, items: [{key: a, path: a, mode: "0400"}]}
                - name: two
                  secret: {secretName: s}
                  configMap: {name: c}
                - name: host
                  hostPath: {path: /var}
                - name: mixed
                  projected:
                    sources:
                    - secret: {name: s, items: [{key: a, path: same}]}
                    - configMap: {name: c, items: [{key: b, path: same}]}
                    - downwardAPI: {items: []}
                - name: mixed
                  emptyDir: {}
                """);

        assertThat(errors(result))
                .containsExactly(
                        "17 volumes[0].secret.secretName: is required but missing; name the Secret whose keys become"
                                + " files",
                        "22 volumes[1].secret.items[0].path: must be a relative path without a `..` segment, not"
                                + " /etc/a",
                        "23 volumes[1].secret.items[1].path: must be a relative path without a `..` segment, not"
                                + " x/../../b",
                        "24 volumes[1].secret.items[2].key: is required but missing; name the key to project",
                        "26 volumes[2].configMap.defaultMode: must be a file mode from 0 to 0777 (511), e.g. 0400 or"
                                + " 0644, not 512",
                        "26 volumes[2].configMap.items[0].mode: must be a file mode from 0 to 0777 (511), e.g. 0400"
                                + " or 0644, not \"0400\"",
                        "27 volumes[3]: volume two has several sources [secret, configMap]; give it exactly one",
                        "31 volumes[4].hostPath: volume host is of kind hostPath, which kbr cannot provide outside a"
                                + " cluster; kbr provides emptyDir, secret, configMap and projected (of secret and"
                                + " configMap) volumes",
                        "33 volumes[5].projected: volume mixed projects two keys to path same; give each item its own"
                                + " path",
                        "37 volumes[5].projected.sources[2].downwardAPI: is a downwardAPI projection, which kbr cannot"
                                + " provide outside a cluster; project only secret and configMap sources",
                        "38 volumes[6].name: volume mixed is defined twice; give each volume its own name");
        assertThat(result.platform().promises()).isEmpty();
    }

    @Test
    void loadsTheMarketplaceSqlPromisesThatMountCredentialsFromASecret() throws IOException {
        for (String cloud : List.of("gcp", "azure")) {
            var file = SharedFiles.corpus("syntasso/kratix-marketplace/sql/" + cloud + "/promise.yaml");
            var docs = YamlReader.read("promise.yaml", Files.readAllBytes(file)).documents();
            var result = PlatformLoader.fromDocuments(docs);

            assertThat(result.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
            Pipeline configure = result.platform()
                    .promises()
                    .get(0)
                    .workflows()
                    .resourceConfigure()
                    .get(0);
            assertThat(configure.volumes()).singleElement().satisfies(volume -> {
                assertThat(volume.name()).isEqualTo("creds");
                var source = (VolumeSource.KeyFiles) volume.source();
                assertThat(source.kind()).isEqualTo(VolumeSource.Kind.SECRET);
                assertThat(source.sources().get(0).name()).isEqualTo(cloud + "-credentials");
                assertThat(source.sources().get(0).items()).isNotEmpty();
            });
        }
    }
}
