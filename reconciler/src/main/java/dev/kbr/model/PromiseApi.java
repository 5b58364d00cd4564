package dev.kbr.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The API a Promise offers: its {@code spec.api} CustomResourceDefinition, reduced to what kbr
 * needs. Kratix uses the version flagged {@code storage: true}, falling back to the first
 * ({@code internal/controller/promise_controller.go}).
 *
 * @param gvk group, storage version and kind of resource requests
 * @param plural {@code spec.names.plural} ({@code KRATIX_CRD_PLURAL})
 * @param namespaced whether {@code spec.scope} is {@code Namespaced}
 * @param schema the storage version's {@code schema.openAPIV3Schema}, if any; do not mutate
 * @param crd the CRD document as written
 */
public record PromiseApi(
        GroupVersionKind gvk, String plural, boolean namespaced, Optional<ObjectNode> schema, ObjectNode crd) {
    public PromiseApi {
        Objects.requireNonNull(gvk, "gvk");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(crd, "crd");
    }
}
