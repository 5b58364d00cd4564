package dev.kbr.engine;

import dev.kbr.model.StateStoreDefinition;
import dev.kbr.state.Records;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;

/**
 * A state store opened for a pass, with what was read from it.
 *
 * @param model the store as the platform defines it
 * @param store the open store
 * @param snapshot what it held when read (null only while it is being read)
 * @param records kbr's records in it (null only while it is being read)
 */
record StoreContext(StateStoreDefinition model, StateStore store, StateSnapshot snapshot, Records records) {
    String name() {
        return model.name();
    }
}
