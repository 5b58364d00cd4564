package dev.kbr.state.layout;

import dev.kbr.state.DesiredFile;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every file kbr writes for one Destination, by owner.
 *
 * @param groupFiles per placed group (in the order given to {@link DestinationLayout#render}),
 *     the repo paths it owns and their content
 * @param canaries the canary files (empty when {@code initWorkloads} is off)
 * @param aggregate the {@code aggregatedYAML} file, when that is the mode and something is placed
 * @param problems why the files cannot be written as they are (two owners of one path, a
 *     workload whose content is unknown); empty when they can
 */
public record DestinationFiles(
        List<SortedMap<String, DesiredFile>> groupFiles,
        SortedMap<String, DesiredFile> canaries,
        SortedMap<String, DesiredFile> aggregate,
        List<String> problems) {
    public DestinationFiles {
        groupFiles = groupFiles.stream()
                .map(m -> Collections.unmodifiableSortedMap(new TreeMap<>(m)))
                .toList();
        canaries = Collections.unmodifiableSortedMap(new TreeMap<>(canaries));
        aggregate = Collections.unmodifiableSortedMap(new TreeMap<>(aggregate));
        problems = List.copyOf(problems);
    }

    /** Every file, whoever owns it. */
    public SortedMap<String, DesiredFile> all() {
        SortedMap<String, DesiredFile> all = new TreeMap<>(canaries);
        all.putAll(aggregate);
        groupFiles.forEach(all::putAll);
        return all;
    }
}
