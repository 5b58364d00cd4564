package dev.kbr.model;

import java.util.List;
import java.util.Optional;

/**
 * Everything read from a platform repo, as loaded (before validation).
 *
 * @param promises Promises, in file order
 * @param requests resource requests found in the platform files, in file order
 * @param destinations Destinations, in file order
 * @param gitStateStores GitStateStores, in file order
 */
public record Platform(
        List<Promise> promises,
        List<ResourceRequest> requests,
        List<Destination> destinations,
        List<GitStateStore> gitStateStores) {
    public Platform {
        promises = List.copyOf(promises);
        requests = List.copyOf(requests);
        destinations = List.copyOf(destinations);
        gitStateStores = List.copyOf(gitStateStores);
    }

    public Optional<Promise> promise(String name) {
        return promises.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The Promise whose API serves {@code gvk}, if any. */
    public Optional<Promise> promiseServing(GroupVersionKind gvk) {
        return promises.stream()
                .filter(p -> p.api().map(a -> a.gvk().equals(gvk)).orElse(false))
                .findFirst();
    }

    /** Every state store the platform defines, of every kind, in file order. */
    public List<StateStoreDefinition> stateStores() {
        return List.copyOf(gitStateStores);
    }

    /** The state store a Destination's {@code stateStoreRef} names, if the platform defines it. */
    public Optional<StateStoreDefinition> stateStore(StateStoreRef ref) {
        return stateStores().stream().filter(s -> s.isReferencedBy(ref)).findFirst();
    }

    /**
     * The same platform with the {@code --state-url NAME=URL} overrides applied to the state
     * stores they name.
     *
     * @param overrides state store name to URL
     */
    public Platform withStateStoreUrls(java.util.Map<String, String> overrides) {
        return new Platform(
                promises,
                requests,
                destinations,
                gitStateStores.stream().map(s -> s.withUrlFrom(overrides)).toList());
    }

    public Optional<GitStateStore> gitStateStore(String name) {
        return gitStateStores.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
