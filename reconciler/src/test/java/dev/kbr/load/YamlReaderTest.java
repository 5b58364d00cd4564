package dev.kbr.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class YamlReaderTest {

    private static YamlReader.Result read(String text) {
        return YamlReader.read("f.yaml", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsDocumentsAndKeepsTheLineOfEveryField() {
        var result = read("---\n# a comment\napiVersion: v1\nkind: A\nspec:\n  size: small\n  items:\n  - name: x\n"
                + "---\napiVersion: v1\nkind: B\n");
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.documents()).hasSize(2);
        YamlDocument first = result.documents().get(0);
        assertThat(first.body().path("spec").path("size").asText()).isEqualTo("small");
        assertThat(first.lines().lineOf("spec.size")).isEqualTo(6);
        assertThat(first.lines().lineOf("spec.items[0].name")).isEqualTo(8);
        assertThat(first.lines().lineOf("spec.missing")).isEqualTo(5);
        assertThat(result.documents().get(1).location().documentIndex()).isEqualTo(1);
        assertThat(result.documents().get(1).location().line()).isEqualTo(10);
    }

    @Test
    void writesKeysThatAreNotPlainWordsInBrackets() {
        var doc = read("metadata:\n  labels:\n    kratix.io/promise-version: v1\n")
                .documents()
                .get(0);
        assertThat(doc.lines().lineOf("metadata.labels[\"kratix.io/promise-version\"]"))
                .isEqualTo(3);
    }

    @Test
    void acceptsCrlfLineEnds() {
        var result = read("apiVersion: v1\r\nkind: A\r\nmetadata:\r\n  name: x\r\n");
        assertThat(result.documents()
                        .get(0)
                        .body()
                        .path("metadata")
                        .path("name")
                        .asText())
                .isEqualTo("x");
    }

    @Test
    void typesScalarsTheWayKubernetesYaml11Does() {
        var doc = read("a: yes\nb: \"yes\"\nc: 12\nd: '12'\ne: 1.5\nf: ~\nyes: key\n")
                .documents()
                .get(0)
                .body();
        assertThat(doc.path("a").isBoolean()).isTrue();
        assertThat(doc.path("b").isTextual()).isTrue();
        assertThat(doc.path("c").isIntegralNumber()).isTrue();
        assertThat(doc.path("d").isTextual()).isTrue();
        assertThat(doc.path("e").isDouble()).isTrue();
        assertThat(doc.path("f").isNull()).isTrue();
        assertThat(doc.has("true"))
                .as("a bool key becomes \"true\" as in sigs.k8s.io/yaml")
                .isTrue();
    }

    @Test
    void expandsAliases() {
        var doc = read("base: &b {x: 1}\nother: *b\n").documents().get(0).body();
        assertThat(doc.path("other").path("x").asInt()).isEqualTo(1);
    }

    @Test
    void reportsBrokenYamlAtItsLine() {
        var result = read("a: 1\nb: [unclosed\nc: 3\n");
        assertThat(result.diagnostics()).hasSize(1);
        assertThat(result.diagnostics().get(0).toString()).startsWith("f.yaml:").contains("not valid YAML");
        assertThat(result.diagnostics().get(0).location().line()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void rejectsAliasBombs() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                bomb.append(i > 0 ? ", " : "").append('*').append(prev);
            }
            bomb.append("]\n");
            prev = c;
        }
        var result = read(bomb.toString());
        assertThat(result.diagnostics()).hasSize(1);
        assertThat(result.diagnostics().get(0).isError()).isTrue();
        assertThat(result.diagnostics().get(0).location().line()).isBetween(1, 11);
    }

    @Test
    void rejectsMoreAliasesThanTheLimitAtTheLineOfTheFirstOneTooMany() {
        StringBuilder text = new StringBuilder("list: &l [x]\nuses:\n");
        for (int i = 0; i <= YamlReader.MAX_ALIASES; i++) {
            text.append("- *l\n");
        }
        var result = read(text.toString());
        assertThat(result.documents()).isEmpty();
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.isError()).isTrue();
            // line 3 holds alias 1, so alias MAX_ALIASES + 1 is on line MAX_ALIASES + 3
            assertThat(d.location().line()).isEqualTo(YamlReader.MAX_ALIASES + 3);
            assertThat(d.message()).contains("aliases").contains("simplify the document");
        });
    }

    @Test
    void rejectsNestingDeeperThanTheLimitAtItsLine() {
        String deep =
                "a: 1\nb:\n  c: " + "[".repeat(YamlReader.MAX_DEPTH + 1) + "]".repeat(YamlReader.MAX_DEPTH + 1) + "\n";
        var result = read(deep);
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.location().line()).isEqualTo(3);
            assertThat(d.message()).contains("Nesting Depth").contains(YamlReader.MAX_DEPTH + " levels");
        });
        // Ten thousand levels are refused the same way, without overflowing any stack.
        var deeper = read("x: " + "[".repeat(10_000) + "]".repeat(10_000));
        assertThat(deeper.diagnostics())
                .singleElement()
                .satisfies(d -> assertThat(d.location().line()).isEqualTo(1));
    }

    @Test
    void rejectsARecursiveAnchorAndAMapAsAKeyAtTheirLines() {
        assertThat(read("a: 1\nb: &r [*r]\n").diagnostics())
                .singleElement()
                .satisfies(d -> assertThat(d.location().line()).isEqualTo(2));
        assertThat(read("a: 1\n? {k: v}\n: b\n").diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.location().line()).isEqualTo(2);
            assertThat(d.message()).contains("a map key must be a plain value");
        });
    }

    @Test
    void rejectsADocumentLargerThanTheGivenLimitAtItsFirstLine() {
        String text = "small: 1\n---\nbig: |\n" + ("  " + "x".repeat(98) + "\n").repeat(10) + "---\nnext: 2\n";
        var result = YamlReader.read("f.yaml", text.getBytes(StandardCharsets.UTF_8), 500);
        assertThat(result.documents()).isEmpty();
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.location().line()).isEqualTo(3);
            assertThat(d.message()).contains("more than the 500");
        });
        assertThat(YamlReader.read("f.yaml", text.getBytes(StandardCharsets.UTF_8), 2000)
                        .documents())
                .hasSize(3);
    }

    @Test
    void rejectsALineLongerThanTheLimitBeforeParsing() {
        // One long token costs SnakeYAML the square of its length; this one is refused at once.
        String text = "a: 1\nb: " + "x".repeat(10_000_000) + "\n";
        long started = System.nanoTime();
        var result = read(text);
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.location().line()).isEqualTo(2);
            assertThat(d.message()).contains("more than the " + YamlReader.MAX_LINE_CHARS);
        });
        System.out.printf(
                "YamlReaderTest: a 10 MB line is refused in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void rejectsTextThatIsNotUtf8() {
        var result = YamlReader.read(
                "f.yaml", new byte[] {'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertThat(result.diagnostics().get(0).message()).contains("not UTF-8");
        assertThat(result.diagnostics().get(0).location().line()).isEqualTo(2);
    }

    @Test
    void rejectsADuplicateKeyNamingBothLines() {
        var result = read("apiVersion: v1\nkind: A\nspec:\n  # sizes\n  size: small\n  replicas: 1\n  size: large\n");

        assertThat(result.documents()).isEmpty();
        assertThat(result.diagnostics())
                .singleElement()
                .hasToString("f.yaml:7: error: spec.size: duplicate key \"size\" (first at line 5); remove one");
    }

    @Test
    void treatsYesAndTrueKeysAsTheSameKeyAsKubernetesDoes() {
        var result = read("a:\n  yes: 1\n  true: 2\n");

        assertThat(result.diagnostics())
                .singleElement()
                .hasToString("f.yaml:3: error: a.true: duplicate key \"true\" (first at line 2); remove one");
    }

    @Test
    void reportsEveryDuplicateAndKeepsTheFileOtherDocuments() {
        var result = read("a: 1\nb: 2\na: 3\nb: 4\n---\nkind: Fine\n---\nx: {k: 1, k: 2}\n");

        assertThat(result.diagnostics())
                .extracting(d -> d.location().line() + " " + d.field() + " "
                        + d.location().documentIndex())
                .containsExactly("3 a 0", "4 b 0", "8 x.k 2");
        assertThat(result.documents())
                .singleElement()
                .satisfies(d -> assertThat(d.body().path("kind").asText()).isEqualTo("Fine"));
    }

    @Test
    void allowsTheSameKeyInDifferentMapsAndThroughAliases() {
        var result = read("a: &x {k: 1}\nb: *x\nc: {k: 2}\n");

        assertThat(result.diagnostics()).isEmpty();
    }
}
