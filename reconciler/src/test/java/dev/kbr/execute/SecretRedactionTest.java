package dev.kbr.execute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kbr.model.Container;
import dev.kbr.model.EnvFromSource;
import dev.kbr.model.EnvVar;
import dev.kbr.model.KeySource;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SecretKeyRef;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeSource;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.pipeline.PipelineResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {
    private static final String TOKEN = "tok-3f9a7c21";
    private static final String KEY =
            "-----BEGIN KEY-----\nMIIBVwIBADANBgkqhkiG\n9w0BAQEFAASCAUEwggE9\n-----END KEY-----\n";
    private static final String PASSWORD = "pa55-w0rd";

    private static final Secrets SECRETS = (namespace, name) -> switch (namespace + "/" + name) {
        case "team-a/api" -> Optional.of(new TreeMap<>(Map.of("token", TOKEN, "blank", "  ")));
        case "team-a/db" -> Optional.of(new TreeMap<>(Map.of("password", PASSWORD + "\n", "key", KEY)));
        default -> Optional.empty();
    };

    /** A pipeline given the Secrets three ways, resolved by the same resolvers a run uses. */
    private static Pipeline resolved() throws Exception {
        Container first = new Container(
                "first",
                "img",
                List.of(),
                List.of(),
                List.of(
                        new EnvVar("TOKEN", "", Optional.of(new SecretKeyRef("api", "token", false))),
                        new EnvVar("BLANK", "", Optional.of(new SecretKeyRef("api", "blank", false))),
                        new EnvVar("REGION", "eu-west-2")),
                List.of(),
                List.of(),
                Optional.empty());
        Container second = new Container(
                "second",
                "img",
                List.of(),
                List.of(),
                List.of(),
                List.of(new EnvFromSource(true, "api", "API_", false)),
                List.of(),
                Optional.empty());
        Pipeline pipeline = new Pipeline(
                        "configure",
                        Map.of(),
                        List.of(first, second),
                        JsonNodeFactory.instance.objectNode(),
                        new SourceLocation("promises/sql.yaml", 0, 12))
                .withVolumes(List.of(new Volume(
                        "creds",
                        new VolumeSource.KeyFiles(
                                VolumeSource.Kind.SECRET,
                                List.of(new KeySource(true, "db", List.of(), false)),
                                0400))));
        return VolumeResolver.resolve(
                VariableResolver.resolve(pipeline, "team-a", SECRETS, ConfigMaps.none()),
                "team-a",
                SECRETS,
                ConfigMaps.none());
    }

    private static PipelineResult.Failed failed(String reason, String... logs) {
        return new PipelineResult.Failed(
                "first",
                reason,
                List.of(new ContainerLog("first", 0, logs[0]), new ContainerLog("second", 1, logs[1])),
                Duration.ofSeconds(1));
    }

    @Test
    void variablesFromSecretsAndSecretFilesAreTakenOutOfEveryLogAndTheReason() throws Exception {
        PipelineResult.Failed redacted = (PipelineResult.Failed) SecretRedaction.redacting(
                failed(
                        "exited with code 1: password " + PASSWORD + " refused",
                        "token=" + TOKEN + " region=eu-west-2\n",
                        "API_TOKEN=" + TOKEN + "\nconnecting with " + PASSWORD + "\n"),
                resolved());

        assertThat(redacted.logs().get(0).text()).isEqualTo("token=<Secret first env TOKEN> region=eu-west-2\n");
        assertThat(redacted.logs().get(1).text())
                .isEqualTo("API_TOKEN=<Secret first env TOKEN>\nconnecting with <Secret in volume creds: password>\n");
        assertThat(redacted.reason())
                .isEqualTo("exited with code 1: password <Secret in volume creds: password> refused");
    }

    @Test
    void aValueOfSeveralLinesIsTakenOutWholeAndLineByLineWhenALogHoldsOnlyPartOfIt() throws Exception {
        String tail = "9w0BAQEFAASCAUEwggE9\n-----END KEY-----\n";
        PipelineResult redacted = SecretRedaction.redacting(failed("exited", "key:\n" + KEY, tail), resolved());

        assertThat(redacted.logs().get(0).text()).isEqualTo("key:\n<Secret in volume creds: key>\n");
        assertThat(redacted.logs().get(1).text())
                .isEqualTo("<Secret in volume creds: key>\n<Secret in volume creds: key>\n")
                .doesNotContain("9w0BAQEF");
    }

    @Test
    void blankValuesAndPlainVariablesAreLeftAloneAndAResultWithoutSecretsIsUnchanged() throws Exception {
        PipelineResult.Failed original = failed("exited", "region=eu-west-2\n  \n", "nothing secret\n");
        PipelineResult redacted = SecretRedaction.redacting(original, resolved());
        assertThat(redacted.logs()).isEqualTo(original.logs());
    }

    @Test
    void aResolvedVariableNeverShowsItsValueInToString() throws Exception {
        assertThat(resolved().containers().toString())
                .doesNotContain(TOKEN)
                .contains("TOKEN=<from Secret api key token>")
                .contains("REGION=eu-west-2");
    }
}
