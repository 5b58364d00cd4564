package dev.kbr.engine;

import dev.kbr.model.Destination;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.Platform;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.StateStoreDefinition;
import dev.kbr.report.PassError;
import dev.kbr.state.Records;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import dev.kbr.state.layout.RecordsFormat;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The first phase of a pass after loading: applies {@code --state-url}, then opens and reads
 * every state store a Destination uses (once per pass: a later attempt reuses what the first
 * opened). A Destination whose store is missing, of another kind or has no URL is left out with
 * an error; a store that cannot be read stops the pass before anything is written.
 */
final class StoreReading {
    /**
     * What reading gave.
     *
     * @param platform the platform with {@code --state-url} applied
     * @param read the stores as read; empty when one could not be read
     * @param log the diagnostics and errors
     */
    record Result(Platform platform, Optional<StoresRead> read, PassLog log) {}

    private final StateStoreOpener opener;

    /** @param opener opens state stores */
    StoreReading(StateStoreOpener opener) {
        this.opener = opener;
    }

    /**
     * Reads the stores of {@code platform}'s Destinations.
     *
     * @param platform the platform as loaded
     * @param stateUrls {@code --state-url} values by store name
     * @param opened stores earlier attempts of the pass opened; stores opened now are added
     */
    Result read(Platform platform, Map<String, String> stateUrls, Map<String, StoreContext> opened) {
        PassLog log = new PassLog();
        Platform withUrls = applyStateUrls(platform, stateUrls, log);
        SortedMap<String, StoreContext> stores = new TreeMap<>();
        SortedMap<String, Destination> destinations = new TreeMap<>();
        boolean dropped = false;
        for (Destination destination : withUrls.destinations()) {
            String storeName = destination.stateStoreRef().name();
            Optional<StateStoreDefinition> model = withUrls.stateStore(destination.stateStoreRef());
            if (model.isEmpty()) {
                log.diagnostics.add(Diagnostic.error(
                        destination.location(),
                        "spec.stateStoreRef.name",
                        "names " + destination.stateStoreRef().kind() + " " + storeName
                                + ", which the platform does not define; add it or fix the name"));
                dropped = true;
                continue;
            }
            if (!stores.containsKey(storeName) && opened.containsKey(storeName)) {
                // A later attempt: the store is open and was read again if it moved.
                stores.put(storeName, opened.get(storeName));
            } else if (!stores.containsKey(storeName)) {
                if (model.get().lacksUrl()) {
                    log.diagnostics.add(Diagnostic.error(
                            model.get().location(),
                            "spec.url",
                            "is empty; set it, or pass --state-url " + storeName + "=URL"));
                    dropped = true;
                    continue;
                }
                try {
                    StateStore store = opener.open(model.get());
                    opened.put(storeName, new StoreContext(model.get(), store, null, null));
                    StateSnapshot snapshot = store.read();
                    Records records = RecordsFormat.read(snapshot, model.get().path());
                    stores.put(storeName, new StoreContext(model.get(), store, snapshot, records));
                    opened.put(storeName, stores.get(storeName));
                } catch (IOException e) {
                    log.error(
                            PassError.Area.STATE_STORE,
                            storeName,
                            StoreCommits.storeFailure(
                                    "Tried to read state store " + storeName + " ("
                                            + model.get().displayUrl() + ")",
                                    e));
                    return new Result(withUrls, Optional.empty(), log);
                }
            }
            destinations.put(destination.name(), destination);
        }
        return new Result(withUrls, Optional.of(StoresRead.of(stores, destinations, dropped)), log);
    }

    private static Platform applyStateUrls(Platform platform, Map<String, String> stateUrls, PassLog log) {
        Set<String> known = new TreeSet<>();
        platform.stateStores().forEach(store -> known.add(store.name()));
        for (String name : stateUrls.keySet()) {
            if (!known.contains(name)) {
                log.diagnostics.add(Diagnostic.error(
                        SourceLocation.of("--state-url " + name + "=…"),
                        "",
                        "names state store " + name + ", which the platform does not define; known: "
                                + List.copyOf(known)));
            }
        }
        Map<String, String> usable = new java.util.LinkedHashMap<>(stateUrls);
        for (var store : platform.stateStores()) {
            String url = stateUrls.get(store.name());
            if (url == null) {
                continue;
            }
            try {
                store.withUrlFrom(Map.of(store.name(), url));
            } catch (IllegalArgumentException e) {
                log.diagnostics.add(
                        Diagnostic.error(SourceLocation.of("--state-url " + store.name() + "=…"), "", e.getMessage()));
                usable.remove(store.name());
            }
        }
        return platform.withStateStoreUrls(usable);
    }
}
