package dev.kbr.platformapi.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.platformapi.SecretSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Secrets, served by name only from kbr's {@code --secrets-dir}: a get answers a {@code v1 Secret}
 * of {@code type: Opaque} with base64 {@code data}, as the Kubernetes API server does. Listing is
 * refused, since kbr cannot know every Secret a cluster would hold and will not hand out all it
 * has; every other verb is refused too. Values appear only in a get's body, never in a message.
 */
final class SecretReads {
    private final SecretSource source;

    SecretReads(SecretSource source) {
        this.source = source;
    }

    /**
     * @throws ApiError 404 when there is no such Secret, 403 for anything but get, 500 when it
     *     cannot be read
     */
    ObjectNode read(String verb, ResourcePath path) {
        if (verb.equals("list") || verb.equals("watch")) {
            throw ApiError.forbidden(
                    verb + " secrets" + ResourceCalls.where(path) + " is forbidden: kbr serves Secrets by name only"
                            + " (get secrets NAME)",
                    path.target());
        }
        if (!verb.equals("get") || !path.subresource().isEmpty()) {
            throw ResourceCalls.notServed(verb, path, "kbr serves Secrets by name only, read-only");
        }
        Optional<SortedMap<String, String>> values;
        try {
            values = source.secret(path.namespace(), path.name());
        } catch (IOException e) {
            throw ApiError.internal("kbr could not read Secret " + path.namespace() + "/" + path.name()
                    + " from its secrets directory");
        }
        if (values.isEmpty()) {
            throw ApiError.notFound("secrets \"" + path.name() + "\" not found", path.target());
        }
        ObjectNode secret = JsonNodeFactory.instance.objectNode();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.putObject("metadata").put("name", path.name()).put("namespace", path.namespace());
        secret.put("type", "Opaque");
        ObjectNode data = secret.putObject("data");
        for (Map.Entry<String, String> entry : values.get().entrySet()) {
            data.put(
                    entry.getKey(),
                    Base64.getEncoder().encodeToString(entry.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        return secret;
    }
}
