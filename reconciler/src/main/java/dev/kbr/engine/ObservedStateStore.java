package dev.kbr.engine;

import dev.kbr.model.PlatformOrigin;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import dev.kbr.state.StoreLocation;
import java.io.IOException;

/**
 * A state store that tells a {@link PassListener} about each write, so the pass reports writes
 * without the code that commits knowing about listeners.
 */
final class ObservedStateStore implements StateStore {
    private final StateStore store;
    private final PassListener listener;

    /**
     * @param store the store that does the work
     * @param listener hears writes
     */
    ObservedStateStore(StateStore store, PassListener listener) {
        this.store = store;
        this.listener = listener;
    }

    @Override
    public StateSnapshot read() throws IOException {
        return store.read();
    }

    @Override
    public StoreLocation location() {
        return store.location();
    }

    @Override
    public CommitResult commit(StateSnapshot base, ChangeSet changes, PlatformOrigin platform) throws IOException {
        if (!changes.isEmpty()) {
            listener.writing(store.location(), changes.changes().size());
        }
        CommitResult result = store.commit(base, changes, platform);
        if (result instanceof CommitResult.Committed committed) {
            listener.written(store.location(), committed.version());
        }
        return result;
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
