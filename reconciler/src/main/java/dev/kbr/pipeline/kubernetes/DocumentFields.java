package dev.kbr.pipeline.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Pipeline;
import dev.kbr.pipeline.kubernetes.PipelinePod.InvalidPipeline;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields of a Pipeline document that kbr passes to the Pod as Kubernetes wrote them ({@code
 * spec.volumes}, {@code spec.tolerations}, {@code spec.imagePullSecrets}, {@code
 * spec.nodeSelector}, {@code metadata.annotations}), converted to fabric8 types; a field of the
 * wrong shape is an {@link InvalidPipeline} naming the Pipeline, its location and the field.
 */
final class DocumentFields {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private DocumentFields() {}

    /** {@code node} as a fabric8 {@code type}. */
    static <T> T convert(JsonNode node, Class<T> type, Pipeline pipeline, String path) throws InvalidPipeline {
        try {
            return SERIALIZATION.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            throw new InvalidPipeline(
                    pipeline.name(),
                    "Pipeline " + pipeline.name() + " (" + pipeline.location() + ") field " + path
                            + " is not a valid Kubernetes " + type.getSimpleName() + ": "
                            + firstLine(e.getMessage()));
        }
    }

    /** {@code node}, a list or absent, as a list of fabric8 {@code type}s. */
    static <T> List<T> convertList(JsonNode node, Class<T> type, Pipeline pipeline, String path)
            throws InvalidPipeline {
        List<T> result = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return result;
        }
        if (!node.isArray()) {
            throw new InvalidPipeline(
                    pipeline.name(),
                    "Pipeline " + pipeline.name() + " (" + pipeline.location() + ") field " + path + " must be a list");
        }
        for (int i = 0; i < node.size(); i++) {
            result.add(convert(node.get(i), type, pipeline, path + "[" + i + "]"));
        }
        return result;
    }

    /** {@code node}, a map or absent, as a map of strings in document order. */
    static Map<String, String> stringMap(JsonNode node, Pipeline pipeline, String path) throws InvalidPipeline {
        Map<String, String> result = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            throw new InvalidPipeline(
                    pipeline.name(),
                    "Pipeline " + pipeline.name() + " (" + pipeline.location() + ") field " + path
                            + " must be a map of strings");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            result.put(entry.getKey(), entry.getValue().asText());
        }
        return result;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable value";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
