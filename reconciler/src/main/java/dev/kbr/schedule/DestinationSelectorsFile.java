package dev.kbr.schedule;

import dev.kbr.model.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The entries of a pipeline's {@code /kratix/metadata/destination-selectors.yaml}, checked with
 * Kratix's rules ({@code work-creator/lib/work_creator.go}): each entry has at least one label,
 * directories are single path segments, and no directory (including the root) appears twice.
 */
public final class DestinationSelectorsFile {
    private DestinationSelectorsFile() {}

    /**
     * One entry.
     *
     * @param directory {@code "."} for the root output, else one top-level directory
     * @param selector its labels
     */
    public record Entry(String directory, Selector selector) {
        public Entry {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(selector, "selector");
        }
    }

    /**
     * Checks parsed entries (each a map with optional {@code directory} and {@code matchLabels}).
     *
     * @param raw the entries as plain maps
     * @return the entries
     * @throws IllegalArgumentException naming the entry and the rule it breaks
     */
    public static List<Entry> parse(List<Map<String, Object>> raw) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            Map<String, Object> item = raw.get(i);
            Object dirValue = item.getOrDefault("directory", "");
            String directory = clean(dirValue == null ? "" : dirValue.toString());
            if (directory.contains("/") || directory.equals("..")) {
                throw new IllegalArgumentException("entry " + i + ": directory \"" + dirValue
                        + "\" must be a single top-level directory of /kratix/output");
            }
            if (!(item.get("matchLabels") instanceof Map<?, ?> labels) || labels.isEmpty()) {
                throw new IllegalArgumentException("entry " + i + ": matchLabels must have at least one label");
            }
            java.util.TreeMap<String, String> matchLabels = new java.util.TreeMap<>();
            labels.forEach((k, v) -> matchLabels.put(String.valueOf(k), String.valueOf(v)));
            if (!seen.add(directory)) {
                throw new IllegalArgumentException("entry " + i + ": directory \"" + directory
                        + "\" is listed twice; give each directory one entry");
            }
            entries.add(new Entry(directory, new Selector(matchLabels)));
        }
        return entries;
    }

    /** Like Go's {@code filepath.Clean} for one segment: empty means the root. */
    private static String clean(String directory) {
        String d = directory.strip();
        while (d.endsWith("/") && d.length() > 1) {
            d = d.substring(0, d.length() - 1);
        }
        while (d.startsWith("./")) {
            d = d.substring(2);
        }
        return d.isEmpty() ? WorkloadGroup.DEFAULT_DIRECTORY : d;
    }
}
