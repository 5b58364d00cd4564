package dev.kbr.load;

import dev.kbr.model.Diagnostic;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.StateStoreDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reports objects whose names are taken, as the Kubernetes API server refuses a second object of
 * the same kind, name (and namespace); the second is left out. Diagnostics point at the {@code
 * metadata.name} line of both objects.
 */
final class Names {
    private final Function<SourceLocation, SourceLocation> nameAt;
    private final List<Diagnostic> diagnostics;

    /**
     * @param nameAt given where an object's document starts, where its {@code metadata.name} is
     * @param diagnostics where problems are added
     */
    Names(Function<SourceLocation, SourceLocation> nameAt, List<Diagnostic> diagnostics) {
        this.nameAt = nameAt;
        this.diagnostics = diagnostics;
    }

    /**
     * Removes from {@code items} every item whose key an earlier one has, reporting each.
     *
     * @param key the name that must be unique (with what else makes it so, e.g. the namespace)
     * @param where where an item's document starts
     * @param what how the message names the kind
     * @return the items removed, in order
     */
    <T> List<T> unique(List<T> items, Function<T, String> key, Function<T, SourceLocation> where, String what) {
        Map<String, T> seen = new HashMap<>();
        List<T> duplicates = new ArrayList<>();
        for (T item : items) {
            T first = seen.putIfAbsent(key.apply(item), item);
            if (first != null) {
                duplicates.add(item);
                diagnostics.add(Diagnostic.error(
                        nameAt.apply(where.apply(item)),
                        "metadata.name",
                        what + " " + key.apply(item) + " is already defined at "
                                + nameAt.apply(where.apply(first))
                                + "; names must be unique, remove or rename one"));
            }
        }
        items.removeAll(duplicates);
        return duplicates;
    }

    /**
     * One state store per name, whatever its kind: Kratix would allow a GitStateStore and a
     * BucketStateStore of the same name, but {@code --state-url NAME=URL}, reports and records
     * name a store by its name alone.
     */
    void uniqueStores(List<StateStoreDefinition> stores) {
        Map<String, StateStoreDefinition> seen = new HashMap<>();
        List<StateStoreDefinition> duplicates = new ArrayList<>();
        for (StateStoreDefinition store : stores) {
            StateStoreDefinition first = seen.putIfAbsent(store.name(), store);
            if (first != null) {
                duplicates.add(store);
                diagnostics.add(Diagnostic.error(
                        nameAt.apply(store.location()),
                        "metadata.name",
                        store.kind() + " " + store.name() + " is already defined at "
                                + nameAt.apply(first.location())
                                + (first.kind().equals(store.kind())
                                        ? "; names must be unique, remove or rename one"
                                        : " as a " + first.kind() + "; kbr names state stores by name alone"
                                                + " (--state-url, reports), so rename one")));
            }
        }
        stores.removeAll(duplicates);
    }
}
