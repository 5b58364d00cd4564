package dev.kbr.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where ConfigMaps come from outside a cluster: the {@code v1 ConfigMap} documents of the platform
 * repository, the ones its platform API serves.
 */
public interface ConfigMaps {
    /**
     * The keys of a ConfigMap: its {@code data} (as UTF-8) and its {@code binaryData} (decoded).
     *
     * @param namespace the ConfigMap's namespace
     * @param name its name
     * @return key to bytes, sorted; empty when there is no such ConfigMap
     */
    Optional<SortedMap<String, byte[]>> configMap(String namespace, String name);

    /**
     * The {@code data} of a ConfigMap alone, which is what variables read ({@code configMapKeyRef}
     * and {@code envFrom[].configMapRef} never see {@code binaryData}).
     *
     * @param namespace the ConfigMap's namespace
     * @param name its name
     * @return key to value, sorted; empty when there is no such ConfigMap
     */
    Optional<SortedMap<String, String>> data(String namespace, String name);

    /** No ConfigMaps at all. */
    static ConfigMaps none() {
        return of(List.of());
    }

    /**
     * The given ConfigMap documents; a later one of the same namespace and name wins, as a later
     * apply would. A document without a namespace is in {@code default}, as {@code kubectl apply}
     * puts it. A {@code binaryData} value that is not base64 is left out.
     *
     * @param documents {@code v1 ConfigMap} documents as loaded
     */
    static ConfigMaps of(List<ObjectNode> documents) {
        Map<String, SortedMap<String, byte[]>> byName = new HashMap<>();
        Map<String, SortedMap<String, String>> dataByName = new HashMap<>();
        for (ObjectNode document : documents) {
            JsonNode meta = document.path("metadata");
            String id = meta.path("namespace").asText("default") + "/"
                    + meta.path("name").asText();
            SortedMap<String, byte[]> keys = new TreeMap<>();
            SortedMap<String, String> data = new TreeMap<>();
            for (Map.Entry<String, JsonNode> entry : document.path("data").properties()) {
                data.put(entry.getKey(), entry.getValue().asText());
                keys.put(entry.getKey(), entry.getValue().asText().getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, JsonNode> binary :
                    document.path("binaryData").properties()) {
                try {
                    keys.put(
                            binary.getKey(),
                            Base64.getDecoder().decode(binary.getValue().asText()));
                } catch (IllegalArgumentException notBase64) {
                    // The API server would have refused the document; there is no value to give.
                }
            }
            byName.put(id, keys);
            dataByName.put(id, data);
        }
        return new ConfigMaps() {
            @Override
            public Optional<SortedMap<String, byte[]>> configMap(String namespace, String name) {
                return Optional.ofNullable(byName.get(namespace + "/" + name)).map(TreeMap::new);
            }

            @Override
            public Optional<SortedMap<String, String>> data(String namespace, String name) {
                return Optional.ofNullable(dataByName.get(namespace + "/" + name))
                        .map(TreeMap::new);
            }
        };
    }
}
