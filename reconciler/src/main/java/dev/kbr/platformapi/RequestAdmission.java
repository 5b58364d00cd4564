package dev.kbr.platformapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Checks a resource request created or updated through the API against its Promise's API, as the
 * Kubernetes API server checks a custom resource against its CRD; supplied by the pass.
 */
@FunctionalInterface
public interface RequestAdmission {
    /**
     * @param kind the Promise API the object belongs to
     * @param object the object as it would be stored
     * @return the validation message for a 422 reply, or empty when the object is valid
     */
    Optional<String> reject(ServedKind kind, ObjectNode object);
}
