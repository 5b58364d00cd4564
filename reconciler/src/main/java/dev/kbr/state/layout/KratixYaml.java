package dev.kbr.state.layout;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * YAML byte for byte as Kratix writes the files it serialises itself, so that a state store
 * Kratix wrote can be taken over without rewriting them.
 *
 * <p>Kratix writes a Promise's static dependencies ({@code static/<promise>-dependencies.yaml})
 * with {@code Dependencies.Marshal} in {@code api/v1alpha1/promise_types.go}: one {@code
 * gopkg.in/yaml.v2} (v2.4.0) {@code Encoder}, {@code Encode} called once per dependency's object
 * ({@code map[string]interface{}} decoded from the API server's JSON), and the encoder never
 * closed. The result is what this class writes:
 *
 * <ul>
 *   <li>documents separated by a {@code ---} line, none before the first and no {@code ...} after
 *       the last;
 *   <li>keys in yaml.v2's order, which compares runs of digits by value ({@code a2} before {@code
 *       a10}) and letters before other characters;
 *   <li>block style indented by 2, a sequence under a mapping key starting at the key's column,
 *       empty maps and lists as {@code {}} and {@code []}, null as {@code null};
 *   <li>a string that would read back as another type ({@code "yes"}, {@code "1.0"}, {@code ""},
 *       a date) in double quotes; one that may not be plain because of its characters (a leading
 *       {@code *}, {@code ": "} inside) in single quotes; one with a line feed as a literal block
 *       ({@code |}, {@code |-}, {@code |+}) unless it has trailing spaces on a line, tabs or other
 *       characters the emitter does not print, which force double quotes with escapes;
 *   <li>plain, single- and double-quoted scalars folded at the first space after column 80;
 *   <li>integers as written, floats that are whole numbers as integers (Kubernetes decodes them
 *       as int64) and other floats in Go's shortest {@code %g} form.
 * </ul>
 *
 * Input is a JSON tree as kbr loads it; a value that a YAML 1.1 reader would have typed
 * differently on its way into Kubernetes (an unquoted {@code yes} becomes {@code true} under
 * {@code kubectl apply}) is written as the tree holds it.
 */
public final class KratixYaml {
    private KratixYaml() {}

    /**
     * The documents encoded as one yaml.v2 stream, as UTF-8.
     *
     * @throws IllegalArgumentException if a node is not one JSON can hold (binary, POJO)
     */
    public static byte[] writeDocuments(List<? extends JsonNode> documents) {
        YamlV2Emitter emitter = new YamlV2Emitter();
        documents.forEach(emitter::document);
        return emitter.text().getBytes(StandardCharsets.UTF_8);
    }

    /** One document, as {@code yaml.Marshal} writes it. */
    public static byte[] write(JsonNode document) {
        return writeDocuments(List.of(document));
    }
}
