package dev.kbr.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.ConfigMapKeyRef;
import dev.kbr.model.Container;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.EnvFromSource;
import dev.kbr.model.SecretKeyRef;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A pipeline container's {@code env} and {@code envFrom} as the loader reads them. */
class PipelineVariablesLoadingTest {

    /** A Promise whose one pipeline container has {@code variables} (its env and envFrom fields). */
    private static PlatformLoader.Result load(String variables) {
        return OnePipelinePromise.load(variables, "");
    }

    @Test
    void readsPlainSecretAndConfigMapVariablesAndBothKindsOfEnvFrom() {
        PlatformLoader.Result result = load("""
                env:
                - {name: PLAIN, value: "$(REGION)-a"}
                - name: TOKEN
                  valueFrom: {secretKeyRef: {name: api, key: token}}
                - name: REGION
                  valueFrom: {configMapKeyRef: {name: settings, key: region, optional: true}}
                envFrom:
                - secretRef: {name: db}
                - prefix: CFG_
                  configMapRef: {name: settings, optional: true}
                """);
        assertThat(result.diagnostics()).isEmpty();
        Container container = result.platform()
                .promises()
                .get(0)
                .workflows()
                .resourceConfigure()
                .get(0)
                .containers()
                .get(0);
        assertThat(container.env().get(0).fromReference()).isFalse();
        assertThat(container.env().get(1).secretKeyRef()).contains(new SecretKeyRef("api", "token", false));
        assertThat(container.env().get(2).configMapKeyRef()).contains(new ConfigMapKeyRef("settings", "region", true));
        assertThat(container.env().get(2).secretKeyRef()).isEqualTo(Optional.empty());
        assertThat(container.envFrom())
                .containsExactly(
                        new EnvFromSource(true, "db", "", false), new EnvFromSource(false, "settings", "CFG_", true));
    }

    @Test
    void aPodFieldOrAReferenceWithoutANameOrKeyIsAnErrorAtItsLine() {
        PlatformLoader.Result result = load("""
                env:
                - name: POD_NAMESPACE
                  valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
                - name: REGION
                  valueFrom: {configMapKeyRef: {name: settings}}
                envFrom:
                - {prefix: X_}
                """);
        assertThat(result.diagnostics().stream()
                        .filter(Diagnostic::isError)
                        .map(d -> d.location().line() + " "
                                + d.field().replace("spec.workflows.resource.configure[0].spec.containers[0].", "")
                                + ": " + d.message()))
                .containsExactly(
                        "17 env[0].valueFrom: give a secretKeyRef or a configMapKeyRef (a fieldRef or"
                                + " resourceFieldRef describes a Pod, which a pipeline run outside a cluster does not"
                                + " have); or give the variable a plain value",
                        "19 env[1].valueFrom.configMapKeyRef.key: is required but missing; name the key in the ConfigMap",
                        "21 envFrom[0]: give a secretRef or a configMapRef (kbr reads Secrets from --secrets-dir and"
                                + " ConfigMaps from the platform repository)");
    }
}
