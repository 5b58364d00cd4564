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
 * expand too far (an "alias bomb") is rejected.
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
     * The result of reading a file: its documents, or the diagnostic that stopped reading.
     *
     * @param documents documents read before any error, in order
     * @param diagnostics at most one error: where parsing stopped and why
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
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(options);
        List<YamlDocument> documents = new ArrayList<>();
        int index = 0;
        try {
            for (Node node : yaml.composeAll(new StringReader(text))) {
                Map<String, Integer> lines = new HashMap<>();
                int[] budget = {MAX_NODES};
                JsonNode body = node == null ? JsonNodeFactory.instance.nullNode() : convert(node, "", lines, budget);
                int line = node == null ? 0 : node.getStartMark().getLine() + 1;
                documents.add(new YamlDocument(new SourceLocation(file, index, line), body, new LineMap(lines)));
                index++;
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ", " : "";
            return new Result(
                    documents,
                    List.of(Diagnostic.error(
                            new SourceLocation(file, index, line),
                            "",
                            "is not valid YAML: " + context + problem + "; fix the YAML syntax")));
        } catch (YAMLException | TooLargeException e) {
            return new Result(
                    documents,
                    List.of(Diagnostic.error(
                            new SourceLocation(file, index, 0),
                            "",
                            "cannot be read: " + e.getMessage() + "; simplify the document")));
        }
        return new Result(documents, List.of());
    }

    private static JsonNode convert(Node node, String path, Map<String, Integer> lines, int[] budget) {
        if (--budget[0] < 0) {
            throw new TooLargeException("it expands to more than " + MAX_NODES + " values (alias bomb?)");
        }
        lines.putIfAbsent(path, node.getStartMark().getLine() + 1);
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof MappingNode mapping) {
            ObjectNode object = f.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = keyText(tuple.getKeyNode());
                String childPath = YamlPath.child(path, key);
                lines.put(childPath, tuple.getKeyNode().getStartMark().getLine() + 1);
                object.set(key, convert(tuple.getValueNode(), childPath, lines, budget));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = f.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                array.add(convert(items.get(i), YamlPath.index(path, i), lines, budget));
            }
            return array;
        }
        return scalar((ScalarNode) node);
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
