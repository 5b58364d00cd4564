package dev.kbr.engine;

import dev.kbr.model.Destination;
import dev.kbr.model.WorkId;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.WorkRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contents {@link ObjectConflicts} compares: a desired file's bytes, or what a store
 * recorded, read from the snapshot of the Destination's store.
 */
final class RecordedContents implements ObjectConflicts.Contents {
    private final Map<String, StoreContext> stores;
    private final Map<String, Destination> destinations;

    /**
     * @param stores the pass's stores by name
     * @param destinations the current Destinations by name
     */
    RecordedContents(Map<String, StoreContext> stores, Map<String, Destination> destinations) {
        this.stores = stores;
        this.destinations = destinations;
    }

    @Override
    public Optional<byte[]> of(ObjectConflicts.Placed p) {
        if (p.content() instanceof DesiredFile.Bytes bytes) {
            return Optional.of(bytes.content());
        }
        return read(p.destination(), ((DesiredFile.Existing) p.content()).contentId());
    }

    @Override
    public List<byte[]> previous(WorkId work, String destination) {
        StoreContext ctx = storeOf(destination);
        WorkRecord record = ctx == null ? null : ctx.records().works().get(work);
        if (record == null) {
            return List.of();
        }
        List<byte[]> contents = new ArrayList<>();
        record.groups().stream()
                .filter(g -> g.destination().equals(destination))
                .flatMap(g -> g.workloads().stream())
                .filter(w -> ObjectConflicts.isManifest(w.filepath()))
                .forEach(w ->
                        w.content().or(() -> read(destination, w.contentId())).ifPresent(contents::add));
        return contents;
    }

    private Optional<byte[]> read(String destination, String contentId) {
        StoreContext ctx = storeOf(destination);
        try {
            return ctx == null ? Optional.empty() : Optional.of(ctx.snapshot().readContent(contentId));
        } catch (IOException e) {
            // Unreadable recorded content cannot be checked; writing it back is handled elsewhere.
            return Optional.empty();
        }
    }

    private StoreContext storeOf(String destination) {
        Destination d = destinations.get(destination);
        return d == null ? null : stores.get(d.stateStoreRef().name());
    }
}
