package dev.kbr.model;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An equality-based label selector ({@code matchLabels}), as used by Promise
 * {@code destinationSelectors} and pipeline {@code destination-selectors.yaml}. Kratix supports
 * no set-based expressions there.
 *
 * @param matchLabels label key to required value, sorted by key
 */
public record Selector(SortedMap<String, String> matchLabels) {
    public Selector {
        matchLabels = Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels));
    }

    public static Selector of(Map<String, String> labels) {
        return new Selector(new TreeMap<>(labels));
    }

    public static Selector empty() {
        return new Selector(new TreeMap<>());
    }

    public boolean isEmpty() {
        return matchLabels.isEmpty();
    }

    /** True when every pair of this selector is among {@code labels}; extra labels are fine. */
    public boolean matches(Map<String, String> labels) {
        return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
