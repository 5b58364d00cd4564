package dev.kbr.engine;

import dev.kbr.model.StateStoreDefinition;
import dev.kbr.state.StateStore;
import java.io.IOException;

/** Opens the adapter for a state store of any kind; supplied by the composition root. */
@FunctionalInterface
public interface StateStoreOpener {
    /**
     * @param store the state store, with any URL override applied
     * @throws IOException when it cannot be opened; the message names the store
     */
    StateStore open(StateStoreDefinition store) throws IOException;
}
