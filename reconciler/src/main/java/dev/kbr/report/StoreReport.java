package dev.kbr.report;

import dev.kbr.state.ChangeSet;
import dev.kbr.state.FileChange;
import dev.kbr.state.StoreLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a pass wants to change, and changed, in one state store.
 *
 * @param location the store's name, kind and URL as the pass used it (after {@code --state-url}),
 *     with any password masked, and its branch for a Git store
 * @param baseVersion the store's version the change set was computed against (a Git store's
 *     commit); empty for an empty store
 * @param changes the change set
 * @param destinationRoots folder prefix (ending in {@code /}, or empty for the root) to the
 *     Destination that reads it, so changes can be grouped by Destination
 * @param previousContent bytes before the change of every modified file, for diffs
 * @param version the store's new version when applied; empty for a plan or when nothing changed
 */
public record StoreReport(
        StoreLocation location,
        Optional<String> baseVersion,
        ChangeSet changes,
        SortedMap<String, String> destinationRoots,
        SortedMap<String, byte[]> previousContent,
        Optional<String> version) {
    public StoreReport {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(baseVersion, "baseVersion");
        Objects.requireNonNull(changes, "changes");
        destinationRoots = Collections.unmodifiableSortedMap(new TreeMap<>(destinationRoots));
        previousContent = Collections.unmodifiableSortedMap(new TreeMap<>(previousContent));
        Objects.requireNonNull(version, "version");
    }

    /** The state store's name. */
    public String name() {
        return location.name();
    }

    /** The Destination whose folder holds {@code path}, or empty (e.g. kbr's records). */
    public Optional<String> destinationOf(String path) {
        String best = null;
        for (var e : destinationRoots.entrySet()) {
            if (path.startsWith(e.getKey()) && (best == null || e.getKey().length() > best.length())) {
                best = e.getKey();
            }
        }
        return Optional.ofNullable(best).map(destinationRoots::get);
    }

    /**
     * The changes in Destination folders, by Destination name (sorted), each list in change-set
     * order; what reports show a section each.
     */
    public SortedMap<String, List<FileChange>> changesByDestination() {
        SortedMap<String, List<FileChange>> grouped = new TreeMap<>();
        for (FileChange change : changes.changes()) {
            destinationOf(change.path())
                    .ifPresent(d ->
                            grouped.computeIfAbsent(d, k -> new ArrayList<>()).add(change));
        }
        return grouped;
    }

    /** The changes outside every Destination folder (kbr's records, other files), in change-set order. */
    public List<FileChange> changesOutsideDestinations() {
        return changes.changes().stream()
                .filter(c -> destinationOf(c.path()).isEmpty())
                .toList();
    }
}
