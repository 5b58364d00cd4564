package dev.kbr.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.load.PlatformLoader;
import dev.kbr.load.PlatformSource;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.StateStoreDefinition;
import dev.kbr.report.ObjectStatusView;
import dev.kbr.state.ObjectRecord;
import dev.kbr.state.Records;
import dev.kbr.state.StateStore;
import dev.kbr.state.layout.RecordsFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What kbr's records say about every object: the status each Promise and request had after the
 * last pass that ran its workflows (kbr keeps it in the state store, where Kratix keeps it in the
 * platform cluster's API server). Reads only; runs no container.
 */
public final class StatusQuery {
    private final StateStoreOpener opener;

    public StatusQuery(StateStoreOpener opener) {
        this.opener = opener;
    }

    /**
     * Reads the records of every state store of the platform.
     *
     * @param platform the platform repo (for the state stores' definitions)
     * @param stateUrls state store name to a URL replacing its {@code spec.url}
     * @return one view per object, sorted; an object recorded in several stores is listed once
     * @throws IOException when the platform or a store cannot be read; the message names it
     */
    public List<ObjectStatusView> read(PlatformSource platform, Map<String, String> stateUrls) throws IOException {
        PlatformLoader.Result loaded = platform.load();
        Map<ObjectKey, ObjectStatusView> views = new TreeMap<>();
        for (StateStoreDefinition store :
                loaded.platform().withStateStoreUrls(stateUrls).stateStores()) {
            if (store.lacksUrl()) {
                continue;
            }
            try (StateStore opened = opener.open(store)) {
                Records records = RecordsFormat.read(opened.read(), store.path());
                for (ObjectRecord record : records.objects().values()) {
                    ObjectNode status = record.object().path("status").isObject()
                            ? (ObjectNode) record.object().get("status")
                            : record.object().objectNode();
                    views.putIfAbsent(record.key(), new ObjectStatusView(record.key(), store.name(), status));
                }
            }
        }
        return new ArrayList<>(views.values());
    }
}
