package dev.kbr.schedule;

import dev.kbr.model.Selector;
import java.util.Objects;

/**
 * A selector and where it came from.
 *
 * @param selector the labels to match
 * @param source who set it
 */
public record SourcedSelector(Selector selector, SelectorSource source) {
    public SourcedSelector {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(source, "source");
    }
}
