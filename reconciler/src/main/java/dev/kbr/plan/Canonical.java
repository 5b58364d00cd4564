package dev.kbr.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Canonical JSON (keys sorted at every level, as Go's {@code json.Marshal} of maps, which Kratix
 * hashes in {@code lib/hash/hasher.go}) and its hash, so equal inputs hash equally whatever their
 * key order in the YAML.
 */
public final class Canonical {
    private Canonical() {}

    /** Hex SHA-256 of the canonical JSON of {@code node}. */
    public static String sha256(JsonNode node) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(sorted(node).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    /**
     * {@code node}'s canonical JSON, made once, as a node that {@link #sha256} and {@link #sorted}
     * take verbatim: a value hashed into many inputs (a Promise's spec is part of each of its
     * requests' inputs, and may be megabytes of dependencies) is then sorted and written once
     * instead of once per input. Hashes stay exactly those of the node itself. Scalars and
     * missing nodes are returned as they are.
     */
    public static JsonNode presorted(JsonNode node) {
        if (!node.isContainerNode()) {
            return node;
        }
        return JsonNodeFactory.instance.rawValueNode(new RawValue(sorted(node).toString()));
    }

    /** A copy with object keys sorted at every level. */
    public static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(name -> copy.set(name, sorted(node.get(name))));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(item -> copy.add(sorted(item)));
            return copy;
        }
        return node;
    }
}
