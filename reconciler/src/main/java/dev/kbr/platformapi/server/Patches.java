package dev.kbr.platformapi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The patch types a PATCH may carry, chosen by its {@code Content-Type} as the Kubernetes API
 * server chooses them. Strategic merge patch is applied as a JSON merge patch: for custom resources
 * (all a pipeline may patch here) the Kubernetes API server refuses strategic merge, and clients
 * that send it for a status (kubectl's default {@code --type}) mean the merge; server-side apply
 * ({@code application/apply-patch+yaml}) is refused with 415.
 */
enum Patches {
    /** {@code application/merge-patch+json}: RFC 7386. */
    MERGE,
    /** {@code application/json-patch+json}: RFC 6902. */
    JSON;

    /**
     * @throws ApiError 415 for server-side apply and unknown types
     */
    static Patches of(String contentType) {
        String type =
                contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "application/merge-patch+json":
            case "application/strategic-merge-patch+json":
                return MERGE;
            case "application/json-patch+json":
                return JSON;
            case "application/apply-patch+yaml":
                throw ApiError.unsupportedMediaType(
                        "kbr does not serve server-side apply; patch with application/merge-patch+json or"
                                + " application/json-patch+json");
            default:
                throw ApiError.unsupportedMediaType("the body of a patch must be application/merge-patch+json,"
                        + " application/json-patch+json or application/strategic-merge-patch+json, not "
                        + (type.isEmpty() ? "untyped" : type));
        }
    }

    /**
     * @param patch the request body
     * @param target the object as it is; not modified
     * @return the patched copy
     * @throws ApiError 422 when a JSON patch cannot be applied or the result is no object
     */
    ObjectNode apply(JsonNode patch, ObjectNode target, ApiError.Target about) {
        JsonNode result;
        if (this == MERGE) {
            if (!patch.isObject()) {
                throw ApiError.badRequest("a merge patch must be a JSON object");
            }
            result = mergePatch(target.deepCopy(), patch);
        } else {
            if (!patch.isArray()) {
                throw ApiError.badRequest("a JSON patch must be a JSON array of operations");
            }
            try {
                result = JsonPatch.apply(patch, target);
            } catch (JsonPatchException | IllegalArgumentException e) {
                throw ApiError.invalid("the JSON patch could not be applied: " + e.getMessage(), about);
            }
        }
        if (!result.isObject()) {
            throw ApiError.invalid("the patched object is not a JSON object", about);
        }
        return (ObjectNode) result;
    }

    /** RFC 7386 section 2, {@code MergePatch(Target, Patch)}, applied in place to {@code target}. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result =
                target != null && target.isObject() ? (ObjectNode) target : JsonNodeFactory.instance.objectNode();
        List<String> names = new ArrayList<>();
        patch.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = patch.get(name);
            if (value.isNull()) {
                result.remove(name);
            } else {
                result.set(name, mergePatch(result.get(name), value));
            }
        }
        return result;
    }
}
