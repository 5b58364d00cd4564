package dev.kbr.platformapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The fields a Kubernetes API server sets on every object it stores, given to kbr's objects so
 * that they look as a pipeline in a cluster gets them: {@code metadata.namespace} ({@code default}
 * when a namespaced document has none, as {@code kubectl apply} into the default namespace gives),
 * {@code uid}, {@code generation}, {@code creationTimestamp} and {@code resourceVersion}. Each is
 * stable from pass to pass: the uid is derived from where the object lives, the creation time and
 * generation are carried over from kbr's record of the object, and the resource version is derived
 * from the object's content.
 */
public final class ServerFields {
    private ServerFields() {}

    /**
     * Whether two trees hold the same values, whatever node type holds each number: a record read
     * back from JSON may hold {@code 8080} in another node type than the document it came from.
     */
    public static boolean sameContent(JsonNode a, JsonNode b) {
        return a.equals(SAME_VALUE, b);
    }

    /** The {@code metadata} fields this class sets, besides {@code namespace}. */
    public static final List<String> SET_BY_SERVER =
            List.of("uid", "creationTimestamp", "generation", "resourceVersion");

    /** A copy of {@code object} without the fields of {@link #SET_BY_SERVER}. */
    public static ObjectNode withoutServerFields(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove(SET_BY_SERVER);
        }
        return copy;
    }

    /**
     * Equal values, whatever node type holds a number: a record read back from JSON may hold
     * {@code 8080} in another node type than the document it was written from.
     */
    private static final java.util.Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        return a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
    };

    /**
     * Sets the server's fields on {@code object}, in place.
     *
     * @param object the object to complete (its {@code metadata} is created when missing)
     * @param namespaced whether it lives in a namespace
     * @param recorded kbr's last record of it, whose creation time and generation carry over
     * @param now when it is first seen, for {@code creationTimestamp}
     * @return {@code object}
     */
    public static ObjectNode complete(
            ObjectNode object, boolean namespaced, Optional<ObjectNode> recorded, Instant now) {
        ObjectNode metadata = object.has("metadata") && object.get("metadata").isObject()
                ? (ObjectNode) object.get("metadata")
                : object.putObject("metadata");
        if (namespaced && metadata.path("namespace").asText("").isEmpty()) {
            metadata.put("namespace", "default");
        }
        String namespace = metadata.path("namespace").asText("");
        String apiVersion = object.path("apiVersion").asText("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String identity = group + "/" + object.path("kind").asText("") + "/" + namespace + "/"
                + metadata.path("name").asText("");
        metadata.put(
                "uid",
                UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8))
                        .toString());
        JsonNode recordedMetadata = recorded.map(r -> r.path("metadata")).orElse(null);
        String created = recordedMetadata == null
                ? ""
                : recordedMetadata.path("creationTimestamp").asText("");
        metadata.put(
                "creationTimestamp",
                created.isEmpty() ? now.truncatedTo(ChronoUnit.SECONDS).toString() : created);
        long generation = recordedMetadata == null
                ? 1
                : Math.max(1, recordedMetadata.path("generation").asLong(1));
        if (recorded.isPresent() && !sameContent(recorded.get().path("spec"), object.path("spec"))) {
            generation++;
        }
        metadata.put("generation", generation);
        metadata.put("resourceVersion", resourceVersion(object));
        return object;
    }

    /**
     * A resource version derived from what the object's author wrote: its content without its
     * status and the fields the server sets. The same document gives the same version in every
     * pass and in every store, whatever its history. Decimal, as etcd's are.
     */
    public static String resourceVersion(ObjectNode object) {
        ObjectNode content = withoutServerFields(object);
        content.remove("status");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(content.toString().getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 6; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return Long.toString(value + 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
