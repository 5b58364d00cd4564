package dev.kbr.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The text of a file as a diff may show it: nothing for binary or non-UTF-8 content (those files
 * are delivered byte for byte, only their diff is left out), and with the values of every {@code
 * kind: Secret}'s {@code data} and {@code stringData} replaced by their size and a short sha256,
 * so a change is still visible but the value is not. Only printed text is changed, never a
 * committed file.
 */
final class DiffText {
    /** The only Secret kind Kubernetes has ({@code v1}). */
    private static final String SECRET = "Secret";

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private DiffText() {}

    /** What a diff may show of one side of a change. */
    sealed interface Shown permits Text, Binary, Hidden {}

    /** Printable lines. */
    record Text(String text) implements Shown {}

    /** Bytes that are not UTF-8 text (or hold NUL): no line diff. */
    record Binary(int size) implements Shown {}

    /** A Secret that could not be redacted safely: nothing of it is shown. */
    record Hidden() implements Shown {}

    /**
     * @param bytes a file's content
     * @param showSecrets true to leave Secret values as they are ({@code --show-secrets})
     */
    static Shown of(byte[] bytes, boolean showSecrets) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new Binary(bytes.length);
        }
        if (text.indexOf('\0') >= 0) {
            return new Binary(bytes.length);
        }
        // Cheap test first: most files never mention a Secret and are shown exactly as written.
        if (showSecrets || !text.contains(SECRET)) {
            return new Text(text);
        }
        return redacted(text).<Shown>map(Text::new).orElseGet(Hidden::new);
    }

    /** The text with Secret values redacted; empty when it cannot be parsed (then it is hidden). */
    private static Optional<String> redacted(String text) {
        List<JsonNode> documents = new ArrayList<>();
        boolean secret = false;
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null
                        && doc.isObject()
                        && SECRET.equals(doc.path("kind").asText())) {
                    secret = true;
                    for (String field : List.of("data", "stringData")) {
                        if (doc.get(field) instanceof ObjectNode values) {
                            values.fields().forEachRemaining(e -> e.setValue(values.textNode(redact(e.getValue()))));
                        } else if (doc.has(field)) {
                            ((ObjectNode) doc).put(field, redact(doc.get(field)));
                        }
                    }
                }
                documents.add(doc);
            }
            if (!secret) {
                return Optional.of(text);
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < documents.size(); i++) {
                if (i > 0) {
                    out.append("---\n");
                }
                out.append(documents.get(i) == null ? "" : YAML.writeValueAsString(documents.get(i)));
            }
            return Optional.of(out.toString());
        } catch (IOException | RuntimeException e) {
            // A file that mentions a Secret but does not parse may still hold one: show nothing.
            return Optional.empty();
        }
    }

    /** {@code <redacted: N bytes, sha256 1a2b3c4d>} of a value as written. */
    static String redact(JsonNode value) {
        byte[] bytes = (value.isTextual() ? value.asText() : value.toString()).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "<redacted: " + bytes.length + " bytes, sha256 "
                    + HexFormat.of().formatHex(hash).substring(0, 8) + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
