package dev.kbr.model;

import java.util.Map;

/**
 * A state store as the platform defines it: one of Kratix's state store documents ({@code
 * api/v1alpha1/*statestore_types.go}). What the engine needs of every kind; what only one kind
 * has (a Git branch, a bucket's endpoint) stays on that kind and in its adapter.
 */
public sealed interface StateStoreDefinition permits GitStateStore, BucketStateStore {

    /** The document's kind, as a Destination's {@code spec.stateStoreRef.kind} names it. */
    String kind();

    /** {@code metadata.name}. */
    String name();

    /**
     * {@code spec.path}: the prefix inside the store under which Destination folders live,
     * without leading or trailing {@code /}; empty for the root.
     */
    String path();

    /** Where the store is, with any password masked, for messages and reports. */
    String displayUrl();

    /** True when no URL is set (the document leaves it empty and no {@code --state-url} gave one). */
    boolean lacksUrl();

    /** Where the document is in the platform. */
    SourceLocation location();

    /**
     * The store as {@code --state-url NAME=URL} options leave it: with the URL {@code overrides}
     * maps its name to, else unchanged.
     */
    StateStoreDefinition withUrlFrom(Map<String, String> overrides);

    /** True when a Destination's {@code stateStoreRef} names this store. */
    default boolean isReferencedBy(StateStoreRef ref) {
        return kind().equals(ref.kind()) && name().equals(ref.name());
    }
}
