package dev.kbr.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything read from a platform repo, as loaded (before validation).
 *
 * @param promises Promises, in file order
 * @param requests resource requests found in the platform files, in file order
 * @param destinations Destinations, in file order
 * @param stateStores state stores of every kind (GitStateStores, BucketStateStores), in file order
 * @param versions the PromiseRevision and ResourceBinding documents
 * @param healthRecords HealthRecords, in file order
 */
public record Platform(
        List<Promise> promises,
        List<ResourceRequest> requests,
        List<Destination> destinations,
        List<StateStoreDefinition> stateStores,
        PromiseVersions versions,
        List<HealthRecord> healthRecords) {
    public Platform {
        promises = List.copyOf(promises);
        requests = List.copyOf(requests);
        destinations = List.copyOf(destinations);
        stateStores = List.copyOf(stateStores);
        Objects.requireNonNull(versions, "versions");
        healthRecords = List.copyOf(healthRecords);
    }

    /** A platform without PromiseRevisions, ResourceBindings and HealthRecords. */
    public Platform(
            List<Promise> promises,
            List<ResourceRequest> requests,
            List<Destination> destinations,
            List<StateStoreDefinition> stateStores) {
        this(promises, requests, destinations, stateStores, PromiseVersions.NONE, List.of());
    }

    /**
     * The earlier revisions of Promises ({@code PromiseRevision} documents), in file order; the
     * latest revision of a Promise is the Promise itself.
     */
    public List<PromiseRevision> revisions() {
        return versions.revisions();
    }

    /** The {@code ResourceBinding} documents, in file order. */
    public List<ResourceBinding> bindings() {
        return versions.bindings();
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
                versions,
                healthRecords);
    }

    /**
     * Whether Promise {@code promise} has a revision of {@code version}: the Promise document's own
     * version, or a {@code PromiseRevision} document's ({@code promiseRevisionByExactVersion} in
     * Kratix's {@code dynamic_resource_request_controller.go}: exact string comparison).
     */
    public boolean hasRevision(String promise, String version) {
        return promise(promise).map(p -> p.revisionVersion().equals(version)).orElse(false)
                || revisions().stream()
                        .anyMatch(r ->
                                r.promiseName().equals(promise) && r.version().equals(version));
    }

    /** The binding of a request, if the platform has one. */
    public Optional<ResourceBinding> binding(ObjectKey request) {
        return bindings().stream().filter(b -> b.request().equals(request)).findFirst();
    }

    /**
     * The Promise as a request, present or gone, sees it for its delete workflow, as Kratix's
     * {@code getPromiseRevisionForDelete} picks it ({@code
     * internal/controller/dynamic_resource_request_controller.go}): the revision of the version
     * the request last applied ({@code status.promiseVersion}), else of the version its binding
     * pins; the Promise itself for {@value ResourceBinding#LATEST}, for the Promise's own version,
     * and when the platform no longer has that revision (where Kratix would fail the delete until
     * the revision is back).
     *
     * @param request the request's key
     * @param appliedVersion the request's recorded {@code status.promiseVersion}, if any
     * @return empty when the platform has no Promise of that name
     */
    public Optional<Promise> promiseForDelete(ObjectKey request, Optional<String> appliedVersion) {
        return promise(request.promise()).map(promise -> {
            String version = appliedVersion
                    .or(() -> binding(request).map(ResourceBinding::version))
                    .orElse(ResourceBinding.LATEST);
            if (version.equals(ResourceBinding.LATEST) || version.equals(promise.revisionVersion())) {
                return promise;
            }
            return revision(promise, version)
                    .map(r -> promise.withWorkflows(r.workflows()))
                    .orElse(promise);
        });
    }

    /**
     * The revision a request of a platform Promise runs (Kratix's {@code fetchRevision}): the
     * version its binding pins; the latest (the Promise document) when the binding says
     * {@value ResourceBinding#LATEST} or there is no binding.
     *
     * @throws java.util.NoSuchElementException when the platform has no Promise of the request
     */
    public RevisionChoice revisionFor(ResourceRequest request) {
        Promise promise = promise(request.promiseName()).orElseThrow();
        Optional<ResourceBinding> binding =
                binding(ObjectKey.request(request.promiseName(), request.namespace(), request.name()));
        if (binding.isEmpty()
                || binding.get().followsLatest()
                || binding.get().version().equals(promise.revisionVersion())) {
            return new RevisionChoice.Chosen(promise, promise.revisionVersion(), Optional.empty());
        }
        String version = binding.get().version();
        Optional<PromiseRevision> revision = revision(promise, version);
        if (revision.isPresent()) {
            return new RevisionChoice.Chosen(
                    promise.withWorkflows(revision.get().workflows()), version, revision);
        }
        List<String> known = new java.util.ArrayList<>();
        known.add(promise.revisionVersion() + " (the Promise)");
        revisions().stream()
                .filter(r -> r.promiseName().equals(promise.name()))
                .map(PromiseRevision::version)
                .sorted()
                .forEach(known::add);
        return new RevisionChoice.Missing(
                binding.get(),
                Diagnostic.error(
                        binding.get().at("spec.version"),
                        "spec.version",
                        "binds request " + request.displayName() + " to version " + version + " of Promise "
                                + promise.name() + ", which has no such revision (it has " + String.join(", ", known)
                                + "); the request is not reconciled and keeps what it delivered: add a"
                                + " PromiseRevision of version " + version + " back, or set spec.version to"
                                + " latest or to a version the Promise has"));
    }

    /** The {@code PromiseRevision} of {@code promise} at {@code version}, if the platform has one. */
    private Optional<PromiseRevision> revision(Promise promise, String version) {
        return revisions().stream()
                .filter(r ->
                        r.promiseName().equals(promise.name()) && r.version().equals(version))
                .findFirst();
    }
}
