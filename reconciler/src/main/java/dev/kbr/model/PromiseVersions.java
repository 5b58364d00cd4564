package dev.kbr.model;

import java.util.List;

/**
 * The versions a platform holds of its Promises: the earlier revisions ({@code PromiseRevision}
 * documents; the latest revision of a Promise is the Promise itself) and the bindings of requests
 * to them ({@code ResourceBinding} documents), each in file order. Kratix's types:
 * {@code api/v1alpha1/promiserevision_types.go}, {@code resourcebinding_types.go}.
 *
 * @param revisions the PromiseRevisions
 * @param bindings the ResourceBindings
 */
public record PromiseVersions(List<PromiseRevision> revisions, List<ResourceBinding> bindings) {
    /** No revisions and no bindings. */
    public static final PromiseVersions NONE = new PromiseVersions(List.of(), List.of());

    public PromiseVersions {
        revisions = List.copyOf(revisions);
        bindings = List.copyOf(bindings);
    }
}
