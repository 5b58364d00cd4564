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
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
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
    /**
     * Aliases of lists and maps allowed per document before it is rejected as an alias bomb
     * ("billion laughs"); SnakeYAML counts them as it composes, before anything is expanded.
     */
    public static final int MAX_ALIASES = 100;

    /** Largest file accepted, in characters (16 MiB). */
    public static final int MAX_CHARS = 16 * 1024 * 1024;

    /**
     * Deepest nesting of lists and maps accepted. Real CRD schemas nest a few dozen levels; a
     * document nested thousands deep is an attack on the parser's stack.
     */
    public static final int MAX_DEPTH = 200;

    /**
     * Longest line accepted, in characters (1 MiB). SnakeYAML's reader copies its buffer for
     * every kilobyte of a token it has not finished, so scanning one long token costs the square
     * of its length: a 10 MB one-line value takes minutes. Kubernetes refuses a ConfigMap or
     * Secret over 1 MiB anyway.
     */
    public static final int MAX_LINE_CHARS = 1024 * 1024;

    /**
     * Expanded values allowed per document, so aliases under {@link #MAX_ALIASES} still cannot
     * multiply a small file; the largest real CRDs have a few tens of thousands.
     */
    static final int MAX_NODES = 250_000;

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
     * accepted), with no limit on the size of one document below {@link #MAX_CHARS}.
     *
     * @param file how diagnostics name the file
     * @param bytes the file's content
     * @return the documents and, when the YAML is broken, one error at the line where it broke
     */
    public static Result read(String file, byte[] bytes) {
        return read(file, bytes, MAX_CHARS);
    }

    // A Yaml holds no state between composeAll calls but is not thread-safe, and making one (its
    // resolver's patterns) costs more than reading a small file: one per thread.
    private static final ThreadLocal<Yaml> YAML = ThreadLocal.withInitial(() -> {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(MAX_CHARS);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowRecursiveKeys(false);
        return new Yaml(options);
    });

    /**
     * Reads every document of {@code bytes} (see {@link #read(String, byte[])}), rejecting a
     * document longer than {@code maxDocumentChars}. Every problem is a diagnostic with a line
     * of at least 1 (the line where the problem was found), never an exception.
     *
     * @param file how diagnostics name the file
     * @param bytes the file's content
     * @param maxDocumentChars largest document accepted, in characters from its first to its
     *     last token
     * @return the documents read and the errors found
     */
    public static Result read(String file, byte[] bytes, int maxDocumentChars) {
        String text;
        CharBuffer decoded = CharBuffer.allocate(bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult coded = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, decoded, true);
        if (coded.isError()) {
            return new Result(
                    List.of(),
                    List.of(Diagnostic.error(
                            new SourceLocation(file, 0, lineAt(bytes, in.position())),
                            "",
                            "is not UTF-8 text (byte " + (in.position() + 1) + " is not); save it as UTF-8")));
        }
        decoded.flip();
        text = decoded.toString();
        if (text.length() > MAX_CHARS) {
            return new Result(
                    List.of(),
                    List.of(Diagnostic.error(
                            new SourceLocation(file, 0, lineAt(text, MAX_CHARS)),
                            "",
                            "is " + text.length() + " characters, more than the " + MAX_CHARS
                                    + " kbr reads (the limit is passed at this line); split it into smaller files")));
        }
        Optional<Diagnostic> tooLong = tooLong(file, text, maxDocumentChars);
        if (tooLong.isPresent()) {
            return new Result(List.of(), List.of(tooLong.get()));
        }
        Yaml yaml = YAML.get();
        List<YamlDocument> documents = new ArrayList<>();
        List<Diagnostic> duplicates = new ArrayList<>();
        int index = 0;
        try {
            for (Node node : yaml.composeAll(new StringReader(text))) {
                int line = node == null ? 1 : node.getStartMark().getLine() + 1;
                SourceLocation location = new SourceLocation(file, index, line);
                if (node != null
                        && node.getEndMark().getIndex() - node.getStartMark().getIndex() > maxDocumentChars) {
                    duplicates.add(Diagnostic.error(
                            location,
                            "",
                            "this document is "
                                    + (node.getEndMark().getIndex()
                                            - node.getStartMark().getIndex())
                                    + " characters, more than the " + maxDocumentChars
                                    + " allowed for one object; make it smaller (move large values elsewhere)"));
                    index++;
                    continue;
                }
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
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : lineOfLimit(text, index);
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ", " : "";
            duplicates.add(Diagnostic.error(
                    new SourceLocation(file, index, line),
                    "",
                    "is not valid YAML: " + context + problem + "; fix the YAML syntax"));
            return new Result(documents, duplicates);
        } catch (TooLargeException e) {
            duplicates.add(Diagnostic.error(
                    new SourceLocation(file, index, e.line),
                    "",
                    "cannot be read: " + e.getMessage() + "; simplify the document"));
            return new Result(documents, duplicates);
        } catch (YAMLException e) {
            // SnakeYAML's limits (aliases, nesting) are thrown without a position: find it.
            duplicates.add(Diagnostic.error(
                    new SourceLocation(file, index, lineOfLimit(text, index)),
                    "",
                    "cannot be read: " + e.getMessage()
                            + " (kbr allows " + MAX_ALIASES + " aliases of lists and maps per document and "
                            + MAX_DEPTH + " levels of nesting); simplify the document"));
            return new Result(documents, duplicates);
        }
        return new Result(documents, duplicates);
    }

    /**
     * Checks, before SnakeYAML sees the text, that no line is longer than {@link #MAX_LINE_CHARS}
     * and no stretch between {@code ---} lines is longer than {@code maxDocumentChars} (such a
     * stretch lies inside one document, so that document is too large, comments included).
     */
    private static Optional<Diagnostic> tooLong(String file, String text, int maxDocumentChars) {
        int line = 1;
        int lineStart = 0;
        int documentStart = 0;
        int documentLine = 1;
        int documentIndex = 0;
        for (int i = 0; i <= text.length(); i++) {
            boolean end = i == text.length() || text.charAt(i) == '\n';
            if (!end) {
                continue;
            }
            if (i - lineStart > MAX_LINE_CHARS) {
                return Optional.of(Diagnostic.error(
                        new SourceLocation(file, documentIndex, line),
                        "",
                        "this line is " + (i - lineStart) + " characters, more than the " + MAX_LINE_CHARS
                                + " kbr reads; break the value over several lines (a | block) or make it smaller"));
            }
            boolean separator = text.startsWith("---", lineStart)
                    && (lineStart + 3 == i || Character.isWhitespace(text.charAt(lineStart + 3)));
            if (separator || i == text.length()) {
                int stop = separator ? lineStart : i;
                if (stop - documentStart > maxDocumentChars) {
                    return Optional.of(Diagnostic.error(
                            new SourceLocation(file, documentIndex, documentLine),
                            "",
                            "this document is " + (stop - documentStart) + " characters, more than the "
                                    + maxDocumentChars
                                    + " allowed for one object; make it smaller (move large values elsewhere)"));
                }
                if (separator && lineStart > 0) {
                    documentIndex++;
                }
                documentStart = i;
                documentLine = line + 1;
            }
            line++;
            lineStart = i + 1;
        }
        return Optional.empty();
    }

    /** 1-based line of character {@code offset} of {@code text}. */
    private static int lineAt(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** 1-based line of byte {@code offset} of {@code bytes}. */
    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * The line where document {@code index} of {@code text} passes a limit that SnakeYAML reports
     * without a position: the alias of a list or map past {@link #MAX_ALIASES}, or the list or
     * map nested past {@link #MAX_DEPTH}. Replays the parser's events (which check neither);
     * falls back to the document's first line, and to line 1.
     */
    private static int lineOfLimit(String text, int index) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CHARS);
        int document = -1;
        int depth = 0;
        int aliases = 0;
        int documentLine = 1;
        java.util.Set<String> collections = new java.util.HashSet<>();
        try {
            for (Event event : new Yaml(options).parse(new StringReader(text))) {
                int line =
                        event.getStartMark() == null ? 1 : event.getStartMark().getLine() + 1;
                if (event instanceof DocumentStartEvent) {
                    document++;
                    depth = 0;
                    aliases = 0;
                    collections.clear();
                    documentLine = line;
                }
                if (document != index) {
                    continue;
                }
                if (event instanceof CollectionStartEvent start) {
                    if (start.getAnchor() != null) {
                        collections.add(start.getAnchor());
                    }
                    if (++depth > MAX_DEPTH) {
                        return line;
                    }
                } else if (event instanceof CollectionEndEvent) {
                    depth--;
                } else if (event instanceof AliasEvent alias
                        && collections.contains(alias.getAnchor())
                        && ++aliases > MAX_ALIASES) {
                    return line;
                } else if (event instanceof DocumentEndEvent) {
                    return documentLine;
                }
            }
        } catch (YAMLException e) {
            // The limit is then not where the parser stopped; the document's first line will do.
        }
        return Math.max(1, documentLine);
    }

    /** Converts one document, collecting the lines of its fields and its duplicate keys. */
    private static final class Converter {
        final SourceLocation document;
        final Map<String, Integer> lines = new HashMap<>();
        final List<Diagnostic> duplicates = new ArrayList<>();
        int budget = MAX_NODES;
        int depth = 0;
        // Lists and maps being converted: meeting one again means it contains itself.
        final java.util.Set<Node> open = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        Converter(SourceLocation document) {
            this.document = document;
        }

        JsonNode convert(Node node, String path) {
            if (--budget < 0) {
                throw new TooLargeException(
                        "it expands to more than " + MAX_NODES + " values (alias bomb?)",
                        node.getStartMark().getLine() + 1);
            }
            lines.putIfAbsent(path, node.getStartMark().getLine() + 1);
            if (node instanceof ScalarNode scalarNode) {
                return scalar(scalarNode);
            }
            if (!open.add(node)) {
                throw new TooLargeException(
                        "a list or map contains itself (a recursive anchor)",
                        node.getStartMark().getLine() + 1);
            }
            if (++depth > MAX_DEPTH) {
                // Aliases can nest documents deeper than SnakeYAML's limit, which counts only
                // what is written.
                throw new TooLargeException(
                        "its aliases nest lists and maps more than " + MAX_DEPTH + " levels deep",
                        node.getStartMark().getLine() + 1);
            }
            try {
                return collection(node, path);
            } finally {
                depth--;
                open.remove(node);
            }
        }

        private JsonNode collection(Node node, String path) {
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
        throw new MarkedYAMLException(
                "while reading a map", null, "a map key must be a plain value, not a list or map", key.getStartMark()) {
            private static final long serialVersionUID = 1L;
        };
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

        final int line;

        TooLargeException(String message, int line) {
            super(message);
            this.line = line;
        }
    }
}
