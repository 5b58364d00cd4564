package dev.kbr.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kbr.model.ConfigMapKeyRef;
import dev.kbr.model.Container;
import dev.kbr.model.EnvFromSource;
import dev.kbr.model.EnvVar;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SecretKeyRef;
import dev.kbr.model.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VariableResolverTest {
    private static final Secrets SECRETS = (namespace, name) -> namespace.equals("team-a") && name.equals("creds")
            ? Optional.of(new TreeMap<>(Map.of("username", "alice", "apiToken", "s3cr3t")))
            : Optional.empty();

    private static Pipeline pipeline(List<EnvVar> env, List<EnvFromSource> from) {
        Container c = new Container("c", "img", List.of(), List.of(), env, from, List.of(), Optional.empty());
        return new Pipeline("p", Map.of(), List.of(c), JsonNodeFactory.instance.objectNode(), SourceLocation.of("t"));
    }

    @Test
    void envFromComesFirstAndEnvOverridesIt() throws Exception {
        Pipeline resolved = VariableResolver.resolve(
                pipeline(
                        List.of(
                                new EnvVar("username", "bob"),
                                new EnvVar("TOKEN", "", Optional.of(new SecretKeyRef("creds", "apiToken", false)))),
                        List.of(new EnvFromSource(true, "creds", "", false))),
                "team-a",
                SECRETS,
                ConfigMaps.none());
        assertThat(resolved.containers().get(0).env())
                .extracting(e -> e.name() + "=" + e.value())
                .containsExactly("apiToken=s3cr3t", "username=bob", "TOKEN=s3cr3t");
        assertThat(resolved.containers().get(0).envFrom()).isEmpty();
    }

    @Test
    void aMissingSecretNamesItButNeverAValue() {
        assertThatThrownBy(() -> VariableResolver.resolve(
                        pipeline(
                                List.of(new EnvVar("X", "", Optional.of(new SecretKeyRef("creds", "nope", false)))),
                                List.of()),
                        "team-a",
                        SECRETS,
                        ConfigMaps.none()))
                .hasMessageContaining("Secret team-a/creds key nope")
                .hasMessageContaining("--secrets-dir")
                .hasMessageContaining("KBR_SECRET_TEAM_A_CREDS_NOPE")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void optionalReferencesMayBeMissing() throws Exception {
        Pipeline resolved = VariableResolver.resolve(
                pipeline(
                        List.of(new EnvVar("X", "", Optional.of(new SecretKeyRef("other", "k", true)))),
                        List.of(new EnvFromSource(true, "other", "P_", true))),
                "team-a",
                SECRETS,
                ConfigMaps.none());
        assertThat(resolved.containers().get(0).env()).isEmpty();
    }

    private static final ConfigMaps CONFIG_MAPS = ConfigMaps.of(List.of(configMap()));

    private static com.fasterxml.jackson.databind.node.ObjectNode configMap() {
        var doc = JsonNodeFactory.instance.objectNode();
        doc.put("apiVersion", "v1").put("kind", "ConfigMap");
        doc.putObject("metadata").put("name", "settings").put("namespace", "team-a");
        doc.putObject("data").put("region", "eu-west-2").put("greeting", "$(HOME) stays");
        doc.putObject("binaryData").put("logo", "AAEC");
        return doc;
    }

    private static EnvVar fromConfigMap(String name, String configMap, String key, boolean optional) {
        return new EnvVar(name, "", Optional.empty(), Optional.of(new ConfigMapKeyRef(configMap, key, optional)));
    }

    @Test
    void configMapVariablesComeFromItsDataInOrderAndKeepTheirReference() throws Exception {
        Pipeline resolved = VariableResolver.resolve(
                pipeline(
                        List.of(
                                new EnvVar("region", "overridden"),
                                fromConfigMap("WHERE", "settings", "region", false),
                                fromConfigMap("GONE", "settings", "absent", true)),
                        List.of(
                                new EnvFromSource(false, "settings", "", false),
                                new EnvFromSource(false, "elsewhere", "X_", true))),
                "team-a",
                SECRETS,
                CONFIG_MAPS);
        List<EnvVar> env = resolved.containers().get(0).env();
        assertThat(env)
                .extracting(e -> e.name() + "=" + e.value())
                .as("data only (no binaryData), envFrom first, env overriding it")
                .containsExactly("greeting=$(HOME) stays", "region=overridden", "WHERE=eu-west-2");
        assertThat(env.get(0).fromReference()).isTrue();
        assertThat(env.get(1).fromReference()).isFalse();
        assertThat(env.get(2).configMapKeyRef()).contains(new ConfigMapKeyRef("settings", "region", false));
    }

    @Test
    void aMissingConfigMapOrKeyNamesItAndWhereToAddIt() {
        assertThatThrownBy(() -> VariableResolver.resolve(
                        pipeline(List.of(fromConfigMap("X", "settings", "size", false)), List.of()),
                        "team-a",
                        SECRETS,
                        CONFIG_MAPS))
                .hasMessage("container c needs ConfigMap team-a/settings key size, which is not available; add a v1"
                        + " ConfigMap settings in namespace team-a with data.size to the platform repository, or"
                        + " mark the reference optional");
        assertThatThrownBy(() -> VariableResolver.resolve(
                        pipeline(List.of(), List.of(new EnvFromSource(false, "settings", "", false))),
                        "team-b",
                        SECRETS,
                        CONFIG_MAPS))
                .hasMessageContaining("needs ConfigMap team-b/settings,");
    }
}
