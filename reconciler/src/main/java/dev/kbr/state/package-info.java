/**
 * State stores: the {@link dev.kbr.state.StateStore} interface, snapshots of a store's tree, the
 * change set a pass wants to commit, and kbr's records of what it owns. May import {@code model};
 * adapters (Git) and pure sub-packages (layout, diff) live below.
 */
package dev.kbr.state;
