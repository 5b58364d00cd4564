package dev.kbr.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kbr.model.Container;
import dev.kbr.model.EnvFromSecret;
import dev.kbr.model.EnvVar;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SecretKeyRef;
import dev.kbr.model.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SecretResolverTest {
    private static final Secrets SECRETS = (namespace, name) -> namespace.equals("team-a") && name.equals("creds")
            ? Optional.of(new TreeMap<>(Map.of("username", "alice", "apiToken", "s3cr3t")))
            : Optional.empty();

    private static Pipeline pipeline(List<EnvVar> env, List<EnvFromSecret> from) {
        Container c = new Container("c", "img", List.of(), List.of(), env, from, List.of(), Optional.empty());
        return new Pipeline("p", Map.of(), List.of(c), JsonNodeFactory.instance.objectNode(), SourceLocation.of("t"));
    }

    @Test
    void envFromComesFirstAndEnvOverridesIt() throws Exception {
        Pipeline resolved = SecretResolver.resolve(
                pipeline(
                        List.of(
                                new EnvVar("username", "bob"),
                                new EnvVar("TOKEN", "", Optional.of(new SecretKeyRef("creds", "apiToken", false)))),
                        List.of(new EnvFromSecret("creds", "", false))),
                "team-a",
                SECRETS);
        assertThat(resolved.containers().get(0).env())
                .extracting(e -> e.name() + "=" + e.value())
                .containsExactly("apiToken=s3cr3t", "username=bob", "TOKEN=s3cr3t");
        assertThat(resolved.containers().get(0).envFrom()).isEmpty();
    }

    @Test
    void aMissingSecretNamesItButNeverAValue() {
        assertThatThrownBy(() -> SecretResolver.resolve(
                        pipeline(
                                List.of(new EnvVar("X", "", Optional.of(new SecretKeyRef("creds", "nope", false)))),
                                List.of()),
                        "team-a",
                        SECRETS))
                .hasMessageContaining("Secret team-a/creds key nope")
                .hasMessageContaining("--secrets-dir")
                .hasMessageContaining("KBR_SECRET_TEAM_A_CREDS_NOPE")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void optionalReferencesMayBeMissing() throws Exception {
        Pipeline resolved = SecretResolver.resolve(
                pipeline(
                        List.of(new EnvVar("X", "", Optional.of(new SecretKeyRef("other", "k", true)))),
                        List.of(new EnvFromSecret("other", "P_", true))),
                "team-a",
                SECRETS);
        assertThat(resolved.containers().get(0).env()).isEmpty();
    }
}
