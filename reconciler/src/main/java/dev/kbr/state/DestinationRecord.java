package dev.kbr.state;

import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.FilepathMode;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What kbr wrote for a Destination itself rather than for a workload group: its canary files and,
 * in {@code aggregatedYAML} mode, the aggregated file. It also remembers the Destination's settings,
 * so a later pass can still honour {@code spec.cleanup} after the Destination is gone from the
 * platform.
 *
 * @param name the Destination name
 * @param path its {@code spec.path}, cleaned ({@code ""} for the store's root)
 * @param mode its {@code spec.filepath.mode}
 * @param filename its {@code spec.filepath.filename} (used in {@code aggregatedYAML} mode)
 * @param cleanup its {@code spec.cleanup}
 * @param canaries repo path to content id of each canary file written
 * @param files repo path to content id of the other files the Destination owns (the aggregated
 *     file)
 */
public record DestinationRecord(
        String name,
        String path,
        FilepathMode mode,
        String filename,
        DestinationCleanup cleanup,
        SortedMap<String, String> canaries,
        SortedMap<String, String> files) {
    public DestinationRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(cleanup, "cleanup");
        canaries = Collections.unmodifiableSortedMap(new TreeMap<>(canaries));
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /** Every repo path this record owns: canaries and other files. */
    public SortedMap<String, String> ownedFiles() {
        SortedMap<String, String> all = new TreeMap<>(canaries);
        all.putAll(files);
        return all;
    }
}
