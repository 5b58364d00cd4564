package dev.kbr.model;

import java.util.List;
import java.util.Optional;

/**
 * Everything read from a platform repo, as loaded (before validation).
 *
 * @param promises Promises, in file order
 * @param requests resource requests found in the platform files, in file order
 * @param destinations Destinations, in file order
 * @param stateStores state stores of every kind (GitStateStores, BucketStateStores), in file order
 * @param healthRecords HealthRecords, in file order
 */
public record Platform(
        List<Promise> promises,
        List<ResourceRequest> requests,
        List<Destination> destinations,
        List<StateStoreDefinition> stateStores,
        List<HealthRecord> healthRecords) {
    public Platform {
        promises = List.copyOf(promises);
        requests = List.copyOf(requests);
        destinations = List.copyOf(destinations);
        stateStores = List.copyOf(stateStores);
        healthRecords = List.copyOf(healthRecords);
    }

    /** A platform without HealthRecords. */
    public Platform(
            List<Promise> promises,
            List<ResourceRequest> requests,
            List<Destination> destinations,
            List<StateStoreDefinition> stateStores) {
        this(promises, requests, destinations, stateStores, List.of());
    }

    /**
     * The HealthRecords about {@code request}, sorted by namespace and name as Kratix's controller
     * lists them.
     */
    public List<HealthRecord> healthRecordsOf(ObjectKey request) {
        return healthRecords.stream()
                .filter(h -> h.request().equals(request))
                .sorted(java.util.Comparator.comparing(HealthRecord::namespace).thenComparing(HealthRecord::name))
                .toList();
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
    @Override
    public List<StateStoreDefinition> stateStores() {
        return stateStores;
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
                stateStores.stream().map(s -> s.withUrlFrom(overrides)).toList(),
                healthRecords);
    }
}
