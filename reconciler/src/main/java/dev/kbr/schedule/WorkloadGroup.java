package dev.kbr.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files of one output directory that are scheduled together (Kratix {@code
 * api/v1alpha1/work_types.go} WorkloadGroup).
 *
 * @param directory {@code "."} for the default group, else one top-level output directory
 * @param files path relative to {@code /kratix/output} (keeping the directory prefix) to bytes
 * @param selectors the group's selectors, in Kratix's order
 */
public record WorkloadGroup(String directory, SortedMap<String, byte[]> files, List<SourcedSelector> selectors) {
    /** The directory of the default group. */
    public static final String DEFAULT_DIRECTORY = ".";

    public WorkloadGroup {
        Objects.requireNonNull(directory, "directory");
        files = new TreeMap<>(files);
        selectors = List.copyOf(selectors);
    }

    /** The group id: hex MD5 of the directory ({@code 5058f1af…} for {@code "."}), as Kratix. */
    public String id() {
        return idOf(directory);
    }

    /** The first five characters of the id: the {@code <id5>} path segment. */
    public String shortId() {
        return id().substring(0, 5);
    }

    /** Hex MD5 of a directory name. */
    public static String idOf(String directory) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(directory.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks MD5", e);
        }
    }
}
