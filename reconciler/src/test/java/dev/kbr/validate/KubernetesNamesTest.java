package dev.kbr.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"app", "kratix.io/promise-name", "a.b-c_d", "example.com/A_b.C"})
    void acceptsValidLabelKeys(String key) {
        assertThat(KubernetesNames.labelKeyProblem(key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/name", "Kratix.io/name", "a/b/c", "-app", "app-", "has space", "kratix.io/"})
    void rejectsInvalidLabelKeys(String key) {
        assertThat(KubernetesNames.labelKeyProblem(key)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "true", "v1.0.0-beta.3", "A_b-c.D"})
    void acceptsValidLabelValues(String value) {
        assertThat(KubernetesNames.labelValueProblem(value)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-x", "x-", "a b", "a/b"})
    void rejectsInvalidLabelValues(String value) {
        assertThat(KubernetesNames.labelValueProblem(value)).isPresent();
        assertThat(KubernetesNames.labelValueProblem("a".repeat(64))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "my-app-1", "0abc"})
    void acceptsDns1123Labels(String name) {
        assertThat(KubernetesNames.dns1123LabelProblem(name)).isEmpty();
        assertThat(KubernetesNames.dns1123SubdomainProblem(name + ".example.com"))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "My-App", "my_app", "-app", "app-", "a.b"})
    void rejectsInvalidDns1123Labels(String name) {
        assertThat(KubernetesNames.dns1123LabelProblem(name)).isPresent();
    }
}
