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

    public Optional<GitStateStore> gitStateStore(String name) {
        return gitStateStores.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
