package dev.kbr.model;

import java.util.Objects;

/**
 * Where a document or a value came from: a file (relative to the platform root, or a synthetic
 * name such as {@code output of redis/default/example pipeline instance: redis.yaml}), the
 * 0-based index of the YAML document inside that file, and the 1-based line.
 *
 * @param file the file, as the user would type it
 * @param documentIndex 0-based index of the document in a multi-document file
 * @param line 1-based line number, or 0 when unknown
 */
public record SourceLocation(String file, int documentIndex, int line) {
    public SourceLocation {
        Objects.requireNonNull(file, "file");
    }

    /** A location for something that has no file, such as a command-line flag. */
    public static SourceLocation of(String what) {
        return new SourceLocation(what, 0, 0);
    }

    /** The same document, at another line. */
    public SourceLocation atLine(int otherLine) {
        return new SourceLocation(file, documentIndex, otherLine);
    }

    /** {@code file:line} (and the document index when the file holds several documents). */
    @Override
    public String toString() {
        String base = line > 0 ? file + ":" + line : file;
        return documentIndex > 0 ? base + " (document " + (documentIndex + 1) + ")" : base;
    }
}
