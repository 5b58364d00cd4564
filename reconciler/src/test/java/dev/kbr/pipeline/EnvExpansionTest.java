package dev.kbr.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.EnvVar;
import dev.kbr.model.SecretKeyRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvExpansionTest {
    private static final Map<String, String> VARS = Map.of("NAME", "example", "NS", "default", "EMPTY", "");

    @Test
    void replacesAKnownReference() {
        assertThat(EnvExpansion.expand("--name=$(NAME)", VARS)).isEqualTo("--name=example");
        assertThat(EnvExpansion.expand("$(NAME)", VARS)).isEqualTo("example");
        assertThat(EnvExpansion.expand("[$(EMPTY)]", VARS)).isEqualTo("[]");
    }

    @Test
    void leavesAnUnknownReferenceAsWritten() {
        assertThat(EnvExpansion.expand("a $(UNKNOWN) b", VARS)).isEqualTo("a $(UNKNOWN) b");
        assertThat(EnvExpansion.expand("$()", VARS)).isEqualTo("$()");
    }

    @Test
    void reducesDoubleDollarSoThatReferencesCanBeEscaped() {
        assertThat(EnvExpansion.expand("$$(NAME)", VARS)).isEqualTo("$(NAME)");
        assertThat(EnvExpansion.expand("$$", VARS)).isEqualTo("$");
        assertThat(EnvExpansion.expand("cost: $$5", VARS)).isEqualTo("cost: $5");
        assertThat(EnvExpansion.expand("$$$(NAME)", VARS)).isEqualTo("$example");
        assertThat(EnvExpansion.expand("$$$$(NAME)", VARS)).isEqualTo("$$(NAME)");
        assertThat(EnvExpansion.expand("$$$", VARS)).isEqualTo("$$");
    }

    @Test
    void keepsALoneDollarAndOtherOperators() {
        assertThat(EnvExpansion.expand("$", VARS)).isEqualTo("$");
        assertThat(EnvExpansion.expand("ends with $", VARS)).isEqualTo("ends with $");
        assertThat(EnvExpansion.expand("$NAME ${NAME}", VARS)).isEqualTo("$NAME ${NAME}");
        assertThat(EnvExpansion.expand("no references", VARS)).isEqualTo("no references");
    }

    @Test
    void leavesUnterminatedReferencesAsTheyAre() {
        assertThat(EnvExpansion.expand("$(NAME", VARS)).isEqualTo("$(NAME");
        assertThat(EnvExpansion.expand("$(", VARS)).isEqualTo("$(");
        // Scanning goes on after the "$(", so a later escape still counts.
        assertThat(EnvExpansion.expand("$(x $$", VARS)).isEqualTo("$(x $");
    }

    @Test
    void readsANameUpToTheFirstClosingParenthesisSoNestingStaysUnchanged() {
        assertThat(EnvExpansion.expand("$(A$(NAME))", VARS)).isEqualTo("$(A$(NAME))");
        assertThat(EnvExpansion.expand("$(NAME))", VARS)).isEqualTo("example)");
    }

    @Test
    void expandsEveryReferenceOnceWithoutExpandingValuesAgain() {
        Map<String, String> vars = Map.of("A", "$(B)", "B", "b");

        assertThat(EnvExpansion.expand("$(NAME).$(NS)/$(NAME)", VARS)).isEqualTo("example.default/example");
        assertThat(EnvExpansion.expand("$(A)-$(B)", vars)).isEqualTo("$(B)-b");
    }

    @Test
    void expandsEachStringOfAList() {
        assertThat(EnvExpansion.expandAll(List.of("echo", "$(NAME)", "$$(NAME)"), VARS))
                .containsExactly("echo", "example", "$(NAME)");
    }

    @Test
    void expandsEnvValuesAgainstVariablesDefinedBeforeThem() {
        Map<String, String> kratix = Map.of("KRATIX_OBJECT_NAME", "one");
        List<EnvVar> own = List.of(
                new EnvVar("GREETING", "hello $(KRATIX_OBJECT_NAME)"),
                new EnvVar("LATER_REF", "$(DEFINED_LATER)"),
                new EnvVar("SHOUT", "$(GREETING)!"),
                new EnvVar("ESCAPED", "$$(GREETING)"),
                new EnvVar("DEFINED_LATER", "late"));

        assertThat(EnvExpansion.environment(kratix, own))
                .containsExactly(
                        Map.entry("KRATIX_OBJECT_NAME", "one"),
                        Map.entry("GREETING", "hello one"),
                        Map.entry("LATER_REF", "$(DEFINED_LATER)"),
                        Map.entry("SHOUT", "hello one!"),
                        Map.entry("ESCAPED", "$(GREETING)"),
                        Map.entry("DEFINED_LATER", "late"));
    }

    @Test
    void letsAVariableSetAgainWinAndSeeItsEarlierValue() {
        Map<String, String> kratix = Map.of("KRATIX_PROMISE_NAME", "redis", "KRATIX_OBJECT_NAME", "one");
        List<EnvVar> own = List.of(
                new EnvVar("KRATIX_PROMISE_NAME", "my-$(KRATIX_PROMISE_NAME)"),
                new EnvVar("X", "$(KRATIX_PROMISE_NAME)"));

        assertThat(EnvExpansion.environment(kratix, own))
                .containsEntry("KRATIX_PROMISE_NAME", "my-redis")
                .containsEntry("X", "my-redis")
                .containsEntry("KRATIX_OBJECT_NAME", "one");
    }

    @Test
    void neverExpandsValuesTakenFromSecrets() {
        List<EnvVar> own = List.of(
                new EnvVar("A", "a"),
                new EnvVar("TOKEN", "p$(A)ss$$", Optional.of(new SecretKeyRef("creds", "token", false))));

        assertThat(EnvExpansion.environment(Map.of(), own)).containsEntry("TOKEN", "p$(A)ss$$");
    }
}
