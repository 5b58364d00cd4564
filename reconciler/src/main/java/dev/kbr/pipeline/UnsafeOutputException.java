package dev.kbr.pipeline;

import java.util.Objects;

/**
 * A pipeline's output tree broke one of the rules applied to untrusted output: an entry escapes
 * its root, is a link or a special file, or the tree is too large. The message names the entry
 * and the rule, worded for the Promise author.
 */
public final class UnsafeOutputException extends Exception {
    private final String entry;

    /**
     * @param entry the offending tar entry, as named in the archive
     * @param message what is wrong with it, including the entry name
     */
    public UnsafeOutputException(String entry, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.entry = Objects.requireNonNull(entry, "entry");
    }

    /** The offending tar entry, as named in the archive. */
    public String entry() {
        return entry;
    }
}
