package dev.kbr.state.layout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.load.YamlReader;
import dev.kbr.testsupport.SharedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected bytes are written by hand from the rules of yaml.v2's encoder and emitter ({@code
 * encode.go}, {@code emitterc.go}, {@code resolve.go}, {@code sorter.go}); see {@link
 * KratixYaml}.
 */
class KratixYamlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi"
            + " omicron pi rho sigma tau upsilon";

    private static String yaml(String json) {
        try {
            return new String(KratixYaml.write(JSON.readTree(json)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static ObjectNode object(String key, String value) {
        return JSON.createObjectNode().put(key, value);
    }

    @Test
    void sortsKeysAtEveryLevelWithDigitRunsByValue() {
        assertThat(yaml("{\"spec\":{\"z\":1,\"a\":true,\"m\":{\"y\":null,\"b\":\"x\"}},\"kind\":\"K\","
                        + "\"apiVersion\":\"v1\",\"a10\":1,\"a9\":2,\"a-b\":3,\"B\":4}"))
                .isEqualTo("""
                        B: 4
                        a-b: 3
                        a9: 2
                        a10: 1
                        apiVersion: v1
                        kind: K
                        spec:
                          a: true
                          m:
                            b: x
                            "y": null
                          z: 1
                        """);
    }

    @Test
    void writesListsUnderAKeyAtTheKeysColumn() {
        assertThat(yaml("{\"rules\":[{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"]},{\"resources\":[[\"a\"]]}],"
                        + "\"top\":{\"items\":[\"x\"]}}"))
                .isEqualTo("""
                        rules:
                        - apiGroups:
                          - ""
                          verbs:
                          - get
                          - list
                        - resources:
                          - - a
                        top:
                          items:
                          - x
                        """);
    }

    @Test
    void foldsLongScalarsAtTheFirstSpaceAfterColumnEighty() {
        assertThat(new String(KratixYaml.write(object("description", WORDS + " " + WORDS)), StandardCharsets.UTF_8))
                .isEqualTo("""
                        description: alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu
                          xi omicron pi rho sigma tau upsilon alpha beta gamma delta epsilon zeta eta theta
                          iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon
                        """);
        assertThat(new String(KratixYaml.write(object("q", "*" + WORDS + " " + WORDS)), StandardCharsets.UTF_8))
                .isEqualTo("""
                        q: '*alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron
                          pi rho sigma tau upsilon alpha beta gamma delta epsilon zeta eta theta iota kappa
                          lambda mu nu xi omicron pi rho sigma tau upsilon'
                        """);
        // A tab cannot be printed, so double quotes; a fold before a second space escapes it.
        assertThat(new String(KratixYaml.write(object("d", "\t" + "x".repeat(78) + "  y z")), StandardCharsets.UTF_8))
                .isEqualTo("d: \"\\t" + "x".repeat(78) + "\n  \\ y z\"\n");
    }

    @Test
    void writesMultiLineStringsAsLiteralBlocksWithChompingHints() {
        assertThat(yaml("{\"clip\":\"a\\n\\nb\\n\",\"keep\":\"a\\n\\n\",\"strip\":\"a\\nb\",\"lead\":\" x\\ny\\n\","
                        + "\"list\":[\"one\\ntwo\\n\"],\"nested\":{\"script\":\"#!/bin/sh\\necho hi\\n\"}}"))
                .isEqualTo("""
                        clip: |
                          a

                          b
                        keep: |+
                          a

                        lead: |2
                           x
                          y
                        list:
                        - |
                          one
                          two
                        nested:
                          script: |
                            #!/bin/sh
                            echo hi
                        strip: |-
                          a
                          b
                        """);
    }

    @Test
    void doubleQuotesMultiLineStringsTheEmitterCannotWriteAsBlocks() {
        assertThat(yaml("{\"trailing\":\"a \\nb\\n\",\"tab\":\"a\\n\\tb\\n\",\"cr\":\"a\\r\\nb\"}"))
                .isEqualTo("""
                        cr: "a\\r\\nb"
                        tab: "a\\n\\tb\\n"
                        trailing: "a \\nb\\n"
                        """);
    }

    @Test
    void quotesStringsThatWouldReadBackAsOtherTypesOrIndicators() {
        assertThat(yaml("{\"v\":[\"yes\",\"y\",\"On\",\"1.0\",\"\",\"null\",\"~\",\"0x1F\",\"1e3\",\"08\",\"12:30\","
                        + "\"2024-01-02\",\".5\",\"<<\",\"a: b\",\"*ref\",\"- x\",\"#c\",\"a #c\",\" lead\","
                        + "\"it's\",\"'q'\",\"say \\\"hi\\\"\",\"a:b\",\"a#b\",\"-x\",\"yES\",\"2024-13-01\","
                        + "\"1e999\",\"smile \\uD83D\\uDE00\",\"h\\u00e9\"]}"))
                .isEqualTo("""
                        v:
                        - "yes"
                        - "y"
                        - "On"
                        - "1.0"
                        - ""
                        - "null"
                        - "~"
                        - "0x1F"
                        - "1e3"
                        - "08"
                        - "12:30"
                        - "2024-01-02"
                        - ".5"
                        - "<<"
                        - 'a: b'
                        - '*ref'
                        - '- x'
                        - '#c'
                        - 'a #c'
                        - ' lead'
                        - it's
                        - '''q'''
                        - say "hi"
                        - a:b
                        - a#b
                        - -x
                        - yES
                        - 2024-13-01
                        - 1e999
                        - "smile \\U0001F600"
                        - hé
                        """);
    }

    @Test
    void writesEmptyCollectionsInFlowStyleAndNullsAsNull() {
        assertThat(yaml("{\"m\":{},\"l\":[],\"n\":null,\"in\":[{},[]],\"s\":{\"e\":{}}}"))
                .isEqualTo("""
                        in:
                        - {}
                        - []
                        l: []
                        m: {}
                        "n": null
                        s:
                          e: {}
                        """);
    }

    @Test
    void writesNumbersAsKubernetesDecodesThemAndGoPrintsThem() {
        assertThat(yaml("{\"nums\":[1,-2,1.0,1.5,0.0001,0.00001,1234567.5,1e21,9223372036854775807]}"))
                .isEqualTo("""
                        nums:
                        - 1
                        - -2
                        - 1
                        - 1.5
                        - 0.0001
                        - 1e-05
                        - 1.2345675e+06
                        - 1e+21
                        - 9223372036854775807
                        """);
    }

    @Test
    void usesTheExplicitKeyFormForLongAndMultiLineKeys() {
        String key = "k".repeat(129);
        assertThat(yaml("{\"" + key + "\":\"v\",\"a\\nb\":1}")).isEqualTo("? |-\n  a\n  b\n: 1\n? " + key + "\n: v\n");
    }

    @Test
    void separatesDocumentsAsOneEncoderStream() {
        assertThat(new String(
                        KratixYaml.writeDocuments(List.of(object("a", "1"), JSON.createObjectNode(), object("b", "x"))),
                        StandardCharsets.UTF_8))
                .isEqualTo("a: \"1\"\n--- {}\n---\nb: x\n");
    }

    /** Kratix's {@code .kratix} state file is yaml.v2's {@code Marshal} of {@code {files: [...]}}. */
    @Test
    void writesKratixStateFilesIncludingLongPathsWithSpaces() {
        String longPath = "dev/" + "a folder name with spaces ".repeat(4) + "file.yaml";
        assertThat(yaml("{\"files\":[\"dev/app.yaml\",\"dev/yes\",\"" + longPath + "\"]}"))
                .isEqualTo("files:\n- dev/app.yaml\n- dev/yes\n"
                        + "- dev/a folder name with spaces a folder name with spaces a folder name with spaces\n"
                        + "  a folder name with spaces file.yaml\n");
        assertThat(yaml("{\"files\":[]}")).isEqualTo("files: []\n");
    }

    /**
     * The corpus' largest static dependencies (inline CRDs with long descriptions, scripts, empty
     * values). The digest pins the bytes, which matched libyaml's C emitter (the origin of
     * yaml.v2's) fed the same styled events when this test was written.
     */
    @Test
    void writesTheCorpusLargestDependenciesStablyAndLosslessly() throws IOException {
        Path file = SharedFiles.corpus("syntasso/kratix/samples/easy-app/promise.yaml");
        List<JsonNode> dependencies = dependencies(file);
        assertThat(dependencies.size())
                .as("Promises with inline dependencies of their own")
                .isEqualTo(2);

        byte[] written = KratixYaml.writeDocuments(dependencies);

        assertThat(KratixYaml.writeDocuments(dependencies)).isEqualTo(written);
        List<JsonNode> reread = new ArrayList<>();
        YamlReader.read("reread.yaml", written).documents().forEach(d -> reread.add(d.body()));
        assertThat(reread).isEqualTo(dependencies);
        assertThat(KratixYaml.writeDocuments(reread)).isEqualTo(written);
        assertThat(sha256(written)).isEqualTo("7b7d4b062b0704c12621925bcee2d889cc7c9d555853703be48a555444b3b70f");
    }

    private static List<JsonNode> dependencies(Path promise) throws IOException {
        YamlReader.Result result = YamlReader.read(promise.toString(), Files.readAllBytes(promise));
        assertThat(result.diagnostics()).isEmpty();
        List<JsonNode> out = new ArrayList<>();
        result.documents().get(0).body().path("spec").path("dependencies").forEach(out::add);
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
