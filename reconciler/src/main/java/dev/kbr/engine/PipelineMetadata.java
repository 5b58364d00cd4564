package dev.kbr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.load.YamlReader;
import dev.kbr.schedule.DestinationSelectorsFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading the files a pipeline writes to {@code /kratix/metadata}. */
final class PipelineMetadata {
    private PipelineMetadata() {}

    /**
     * The first YAML document of a metadata file, or null-node when it has none.
     *
     * @throws IllegalArgumentException naming the file when it is not valid YAML
     */
    static JsonNode parse(String file, byte[] bytes) {
        YamlReader.Result read = YamlReader.read("/kratix/metadata/" + file, bytes);
        if (!read.diagnostics().isEmpty()) {
            throw new IllegalArgumentException(read.diagnostics().get(0).toString());
        }
        return read.documents().isEmpty()
                ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                : read.documents().get(0).body();
    }

    /**
     * The entries of {@code destination-selectors.yaml}; none when {@code bytes} is null.
     *
     * @throws IllegalArgumentException when it is not a list of {directory, matchLabels} maps
     */
    static List<DestinationSelectorsFile.Entry> destinationSelectors(byte[] bytes) {
        if (bytes == null) {
            return List.of();
        }
        JsonNode parsed = parse("destination-selectors.yaml", bytes);
        if (!parsed.isNull() && !parsed.isArray()) {
            throw new IllegalArgumentException(
                    "destination-selectors.yaml must be a list of {directory, matchLabels} entries");
        }
        List<Map<String, Object>> raw = new ArrayList<>();
        for (JsonNode item : parsed) {
            raw.add(toMap(item));
        }
        return DestinationSelectorsFile.parse(raw);
    }

    private static Map<String, Object> toMap(JsonNode item) {
        if (!item.isObject()) {
            throw new IllegalArgumentException("destination-selectors.yaml entries must be maps");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        item.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                Map<String, Object> inner = new LinkedHashMap<>();
                e.getValue()
                        .fields()
                        .forEachRemaining(
                                l -> inner.put(l.getKey(), l.getValue().asText()));
                map.put(e.getKey(), inner);
            } else {
                map.put(e.getKey(), e.getValue().asText());
            }
        });
        return map;
    }
}
