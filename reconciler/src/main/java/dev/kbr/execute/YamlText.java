package dev.kbr.execute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.kbr.plan.Canonical;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** YAML as kbr writes it: block style, quotes only where needed, no document start marker. */
public final class YamlText {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private YamlText() {}

    public static byte[] write(JsonNode node) {
        try {
            return YAML.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    /**
     * Documents joined with {@code ---}, keys sorted at every level, as Go's {@code yaml.Marshal}
     * of Kubernetes objects orders them (Kratix's static dependencies file).
     */
    public static byte[] writeSortedDocuments(List<? extends JsonNode> documents) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < documents.size(); i++) {
            if (i > 0) {
                out.append("---\n");
            }
            out.append(new String(write(Canonical.sorted(documents.get(i))), StandardCharsets.UTF_8));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
