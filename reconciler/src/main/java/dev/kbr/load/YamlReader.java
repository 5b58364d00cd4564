package dev.kbr.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.LineMap;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.YamlPath;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Splits YAML text into documents and converts each to a Jackson tree, keeping the line of every
 * field.
 *
 * <p>Scalars are typed with YAML 1.1 rules, as Kubernetes' {@code sigs.k8s.io/yaml} (go-yaml v2)
 * does: unquoted {@code true}/{@code yes}/{@code on} are booleans, and a boolean map key becomes
 * the string {@code "true"} or {@code "false"}. Aliases are expanded; a document whose aliases
 * expand too far (an "alias bomb") is rejected. A map that names a key twice (also once as
 * {@code yes} and once as {@code true}, which Kubernetes reads as the same key) is an error, and
 * its document is left out; the file's other documents are still read.
 */
public final class YamlReader {
    /** Aliases allowed per document before it is rejected as an alias bomb. */
    static final int MAX_ALIASES = 100;

    /** Largest file accepted, in characters. */
    static final int MAX_CHARS = 16 * 1024 * 1024;

    /** Expanded nodes allowed per document, so aliases cannot multiply a small file. */
    static final int MAX_NODES = 2_000_000;

    private YamlReader() {}

    /**
     * The result of reading a file: its documents, and what was wrong.
     *
     * @param documents documents read, in order, without those that name a key twice in a map
     *     and without any after a syntax error
     * @param diagnostics one error per duplicate key (at the second key, naming the line of the
     *     first), then at most one error where parsing stopped and why
     */
    public record Result(List<YamlDocument> documents, List<Diagnostic> diagnostics) {
        public Result {
            documents = List.copyOf(documents);
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /**
     * Reads every document of {@code bytes}, which must be UTF-8 (a BOM and CRLF line ends are
     * accepted).
     *
     * @param file how diagnostics name the file
     * @param bytes the file's content
     * @return the documents and, when the YAML is broken, one error at the line where it broke
     */
    public static Result read(String file, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new Result(
                    List.of(),
                    List.of(Diagnostic.error(SourceLocation.of(file), "", "is not UTF-8 text; save it as UTF-8")));
        }
        if (text.length() > MAX_CHARS) {
            return new Result(
                    List.of(),
                    List.of(Diagnostic.error(
                            SourceLocation.of(file),
                            "",
                            "is " + text.length() + " characters, more than the " + MAX_CHARS
                                    + " kbr reads; split it into smaller files")));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(MAX_CHARS);
        Yaml yaml = new Yaml(options);
        List<YamlDocument> documents = new ArrayList<>();
        List<Diagnostic> duplicates = new ArrayList<>();
        int index = 0;
        try {
            for (Node node : yaml.composeAll(new StringReader(text))) {
                int line = node == null ? 0 : node.getStartMark().getLine() + 1;
                SourceLocation location = new SourceLocation(file, index, line);
                Converter converter = new Converter(location);
                JsonNode body = node == null ? JsonNodeFactory.instance.nullNode() : converter.convert(node, "");
                if (converter.duplicates.isEmpty()) {
                    documents.add(new YamlDocument(location, body, new LineMap(converter.lines)));
                } else {
                    // Which of two values is meant is anyone's guess, so the document is left
                    // out rather than read with the last value winning.
                    duplicates.addAll(converter.duplicates);
                }
                index++;
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ", " : "";
            duplicates.add(Diagnostic.error(
                    new SourceLocation(file, index, line),
                    "",
                    "is not valid YAML: " + context + problem + "; fix the YAML syntax"));
            return new Result(documents, duplicates);
        } catch (YAMLException | TooLargeException e) {
            duplicates.add(Diagnostic.error(
                    new SourceLocation(file, index, 0),
                    "",
                    "cannot be read: " + e.getMessage() + "; simplify the document"));
            return new Result(documents, duplicates);
        }
        return new Result(documents, duplicates);
    }

    /** Converts one document, collecting the lines of its fields and its duplicate keys. */
    private static final class Converter {
        final SourceLocation document;
        final Map<String, Integer> lines = new HashMap<>();
        final List<Diagnostic> duplicates = new ArrayList<>();
        int budget = MAX_NODES;

        Converter(SourceLocation document) {
            this.document = document;
        }

        JsonNode convert(Node node, String path) {
            if (--budget < 0) {
                throw new TooLargeException("it expands to more than " + MAX_NODES + " values (alias bomb?)");
            }
            lines.putIfAbsent(path, node.getStartMark().getLine() + 1);
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (node instanceof MappingNode mapping) {
                ObjectNode object = f.objectNode();
                for (NodeTuple tuple : mapping.getValue()) {
                    String key = keyText(tuple.getKeyNode());
                    String childPath = YamlPath.child(path, key);
                    int keyLine = tuple.getKeyNode().getStartMark().getLine() + 1;
                    if (object.has(key)) {
                        duplicate(key, childPath, keyLine);
                        continue;
                    }
                    lines.put(childPath, keyLine);
                    object.set(key, convert(tuple.getValueNode(), childPath));
                }
                return object;
            }
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = f.arrayNode();
                List<Node> items = sequence.getValue();
                for (int i = 0; i < items.size(); i++) {
                    array.add(convert(items.get(i), YamlPath.index(path, i)));
                }
                return array;
            }
            return scalar((ScalarNode) node);
        }

        /**
         * Kubernetes ({@code sigs.k8s.io/yaml} in strict mode, as {@code kubectl apply} uses it)
         * rejects a map that names a key twice; so does kbr, naming both lines.
         */
        private void duplicate(String key, String path, int line) {
            Integer first = lines.get(path);
            String shown = first == null ? "" : " (first at line " + first + ")";
            duplicates.add(Diagnostic.error(
                    document.atLine(line), path, "duplicate key " + YamlPath.quote(key) + shown + "; remove one"));
        }
    }

    private static String keyText(Node key) {
        if (key instanceof ScalarNode scalar) {
            JsonNode typed = scalar(scalar);
            return typed.isNull() ? "null" : typed.asText();
        }
        throw new YAMLException(
                "line " + (key.getStartMark().getLine() + 1) + ": a map key must be a plain value, not a list or map");
    }

    private static JsonNode scalar(ScalarNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String value = node.getValue();
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return f.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            String v = value.toLowerCase(java.util.Locale.ROOT);
            return f.booleanNode(v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y"));
        }
        if (Tag.INT.equals(tag)) {
            return integer(value);
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return f.numberNode(Double.parseDouble(value.replace("_", "")));
            } catch (NumberFormatException e) {
                return f.textNode(value);
            }
        }
        return f.textNode(value);
    }

    private static JsonNode integer(String raw) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String v = raw.replace("_", "");
        boolean negative = v.startsWith("-");
        String digits = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
        int radix = 10;
        if (digits.startsWith("0x")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0b")) {
            radix = 2;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
        }
        try {
            BigInteger n = new BigInteger(digits, radix);
            if (negative) {
                n = n.negate();
            }
            return n.bitLength() < 64 ? f.numberNode(n.longValue()) : f.numberNode(n);
        } catch (NumberFormatException e) {
            // Sexagesimal and other YAML 1.1 oddities: keep the text rather than guess.
            return f.textNode(raw);
        }
    }

    private static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }
}
