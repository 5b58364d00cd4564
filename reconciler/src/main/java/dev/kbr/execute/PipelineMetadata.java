package dev.kbr.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.load.YamlReader;
import dev.kbr.model.WorkflowType;
import dev.kbr.schedule.DestinationSelectorsFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reading the files a pipeline writes to {@code /kratix/metadata}. */
public final class PipelineMetadata {
    private PipelineMetadata() {}

    /**
     * The first YAML document of a metadata file, or null-node when it has none.
     *
     * @throws IllegalArgumentException naming the file when it is not valid YAML
     */
    public static JsonNode parse(String file, byte[] bytes) {
        YamlReader.Result read = YamlReader.read("/kratix/metadata/" + file, bytes);
        if (!read.diagnostics().isEmpty()) {
            throw new IllegalArgumentException(read.diagnostics().get(0).toString());
        }
        return read.documents().isEmpty()
                ? NullNode.getInstance()
                : read.documents().get(0).body();
    }

    /**
     * Merges {@code status.yaml} into {@code object} and reads {@code workflow-control.yaml}, as
     * Kratix's status-writer does after a configure or delete pipeline. For a Promise only {@code
     * message} is kept, as its status schema prunes the rest ({@code kratix} is kept so that the
     * merge refuses it); every other key is named to {@code dropped}.
     *
     * @param metadata the pipeline's {@code /kratix/metadata} files by relative path
     * @return the workflow control; "carry on" when the file is absent
     * @throws IllegalArgumentException naming the file when one is not valid YAML, or when the
     *     status cannot be merged
     */
    public static WorkflowControl applyTo(
            WorkflowType type, ObjectNode object, Map<String, byte[]> metadata, Consumer<String> dropped) {
        byte[] status = metadata.get("status.yaml");
        if (status != null) {
            JsonNode parsed = parse("status.yaml", status);
            ObjectStatus.merge(object, type == WorkflowType.PROMISE ? promiseStatus(parsed, dropped) : parsed);
        }
        byte[] control = metadata.get("workflow-control.yaml");
        return WorkflowControl.parse(
                control == null ? NullNode.getInstance() : parse("workflow-control.yaml", control));
    }

    private static JsonNode promiseStatus(JsonNode parsed, Consumer<String> dropped) {
        if (!parsed.isObject()) {
            return parsed;
        }
        ObjectNode kept = ((ObjectNode) parsed).objectNode();
        parsed.fields().forEachRemaining(field -> {
            if (field.getKey().equals("message") || field.getKey().equals("kratix")) {
                kept.set(field.getKey(), field.getValue());
            } else {
                dropped.accept(field.getKey());
            }
        });
        return kept;
    }

    /**
     * The entries of {@code destination-selectors.yaml}; none when {@code bytes} is null.
     *
     * @throws IllegalArgumentException when it is not a list of {directory, matchLabels} maps
     */
    public static List<DestinationSelectorsFile.Entry> destinationSelectors(byte[] bytes) {
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
