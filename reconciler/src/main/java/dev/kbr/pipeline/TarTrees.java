package dev.kbr.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Converts between in-memory file trees and tar archives as exchanged with container runtimes.
 *
 * <p>{@link #read} accepts the tar a runtime returns when a directory is copied out of a container
 * (every entry prefixed by the directory's base name, e.g. {@code output/a/b.yaml}) and treats it
 * as untrusted: any entry that could escape the tree, is not a plain file or directory, or makes
 * the tree too large is rejected with an {@link UnsafeOutputException} naming it. {@link #write}
 * builds a byte-for-byte reproducible tar of a tree, or of several trees each at its own directory
 * ({@link Placement}).
 *
 * <p>Paths in trees are relative, {@code /}-separated and normalised: no empty, {@code .} or
 * {@code ..} segments, no leading or trailing {@code /}. All methods are pure and thread-safe.
 */
public final class TarTrees {
    private static final long MIB = 1024L * 1024L;
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private TarTrees() {}

    /**
     * Size limits applied while reading an untrusted tree.
     *
     * @param maxFileBytes largest allowed file, in bytes
     * @param maxTotalBytes largest allowed sum of all file sizes, in bytes
     */
    public record Limits(long maxFileBytes, long maxTotalBytes) {
        public Limits {
            if (maxFileBytes < 0 || maxTotalBytes < 0) {
                throw new IllegalArgumentException(
                        "limits must not be negative: " + maxFileBytes + ", " + maxTotalBytes);
            }
            if (maxFileBytes > MAX_FILE_BYTES) {
                // Files are held in one byte array each.
                throw new IllegalArgumentException(
                        "maxFileBytes must be at most " + MAX_FILE_BYTES + ": " + maxFileBytes);
            }
        }

        /** 10 MiB per file, 100 MiB in total. */
        public static Limits defaults() {
            return new Limits(10 * MIB, 100 * MIB);
        }
    }

    /**
     * A file tree read from a tar.
     *
     * @param files file contents keyed by normalised relative path, sorted; unmodifiable
     * @param directories every directory below the root, by normalised relative path, including
     *     directories that hold files; unmodifiable
     * @param modes permission bits of the files whose mode is not {@code 0644} when written, by
     *     path (e.g. {@code 0400} for a Secret volume's file); unmodifiable; reading a tar leaves it
     *     empty
     */
    public record Tree(
            SortedMap<String, byte[]> files, SortedSet<String> directories, SortedMap<String, Integer> modes) {
        public Tree {
            files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
            directories = Collections.unmodifiableSortedSet(new TreeSet<>(directories));
            modes = Collections.unmodifiableSortedMap(new TreeMap<>(modes));
        }

        /** A tree whose files are all written with mode {@code 0644}. */
        public Tree(SortedMap<String, byte[]> files, SortedSet<String> directories) {
            this(files, directories, new TreeMap<>());
        }

        /** An empty tree. */
        public static Tree empty() {
            return new Tree(new TreeMap<>(), new TreeSet<>());
        }

        /**
         * The part of this tree below one of its directories.
         *
         * @param directory a normalised relative path; need not exist
         * @return the files and directories below it, by path relative to it; empty when absent
         */
        public Tree subtree(String directory) {
            checkNormalised(directory);
            String prefix = directory + "/";
            SortedMap<String, byte[]> below = new TreeMap<>();
            files.tailMap(prefix).entrySet().stream()
                    .takeWhile(e -> e.getKey().startsWith(prefix))
                    .forEach(e -> below.put(e.getKey().substring(prefix.length()), e.getValue()));
            SortedSet<String> dirs = new TreeSet<>();
            directories.tailSet(prefix).stream()
                    .takeWhile(d -> d.startsWith(prefix))
                    .forEach(d -> dirs.add(d.substring(prefix.length())));
            SortedMap<String, Integer> belowModes = new TreeMap<>();
            modes.tailMap(prefix).entrySet().stream()
                    .takeWhile(e -> e.getKey().startsWith(prefix))
                    .forEach(e -> belowModes.put(e.getKey().substring(prefix.length()), e.getValue()));
            return new Tree(below, dirs, belowModes);
        }

        /** The sum of all file sizes, in bytes. */
        public long totalBytes() {
            long total = 0;
            for (byte[] content : files.values()) {
                total += content.length;
            }
            return total;
        }
    }

    /**
     * A tree to be extracted at one directory of a container, owned by one user.
     *
     * @param path where the tree goes: a normalised relative path from the archive's root, e.g.
     *     {@code kratix} or {@code data/cache} for a tar extracted at {@code /}
     * @param tree the directory's content, by path relative to {@code path}
     * @param uid numeric user id owning the directory and its content, at least 0
     * @param gid numeric group id, at least 0
     */
    public record Placement(String path, Tree tree, long uid, long gid) {
        public Placement {
            checkNormalised(path);
            Objects.requireNonNull(tree, "tree");
            if (uid < 0 || gid < 0) {
                throw new IllegalArgumentException("uid and gid must not be negative: " + uid + ":" + gid);
            }
        }
    }

    /**
     * Reads the files of a directory copied out of a container.
     *
     * @param tar the archive; read up to its end-of-archive marker, not closed
     * @param rootName base name of the copied directory, which prefixes every entry (e.g. {@code
     *     output} for {@code /kratix/output})
     * @param limits size limits
     * @return file contents keyed by path relative to the root; directories are not included
     * @throws UnsafeOutputException when an entry is absolute, has a {@code ..} segment, lies
     *     outside the root, is a symbolic or hard link, a device or FIFO, or of another unsupported
     *     type, when a path is both a file and a directory or appears twice, or when a file or the
     *     total exceeds the limits
     * @throws IOException when the archive cannot be read or is truncated
     */
    public static SortedMap<String, byte[]> read(InputStream tar, String rootName, Limits limits)
            throws IOException, UnsafeOutputException {
        return readTree(tar, rootName, limits).files();
    }

    /**
     * Like {@link #read}, but also returns the directories, so that empty directories survive a
     * round trip.
     *
     * @see #read(InputStream, String, Limits)
     */
    public static Tree readTree(InputStream tar, String rootName, Limits limits)
            throws IOException, UnsafeOutputException {
        return readTree(tar, rootName, Set.of(), limits);
    }

    /**
     * Like {@link #readTree(InputStream, String, Limits)}, but only the given top-level
     * directories of the root are read and checked; entries elsewhere below the root are skipped
     * unread and count towards no limit. Lets one copy of {@code /kratix} stand for copies of
     * {@code /kratix/output} and {@code /kratix/metadata} while ignoring {@code /kratix/input}.
     *
     * @param only top-level directory names to keep, e.g. {@code output}; empty keeps everything
     * @see #readTree(InputStream, String, Limits)
     */
    public static Tree readTree(InputStream tar, String rootName, Set<String> only, Limits limits)
            throws IOException, UnsafeOutputException {
        Objects.requireNonNull(tar, "tar");
        Objects.requireNonNull(only, "only");
        Objects.requireNonNull(limits, "limits");
        checkRootName(rootName);
        SortedMap<String, byte[]> files = new TreeMap<>();
        SortedSet<String> directories = new TreeSet<>();
        Map<String, String> entryNames = new TreeMap<>();
        long total = 0;
        // Not try-with-resources: closing the tar stream would close the caller's stream.
        TarArchiveInputStream in = new TarArchiveInputStream(tar);
        TarArchiveEntry entry;
        while ((entry = in.getNextEntry()) != null) {
            if (entry.isGlobalPaxHeader()) {
                continue;
            }
            String name = entry.getName();
            String path = relativePath(name, rootName);
            if (!only.isEmpty() && !path.isEmpty() && !only.contains(path.split("/", 2)[0])) {
                continue;
            }
            checkType(entry, name);
            if (entry.isDirectory()) {
                if (!path.isEmpty()) {
                    directories.add(path);
                    remember(entryNames, path, name);
                }
                continue;
            }
            if (path.isEmpty()) {
                throw new UnsafeOutputException(
                        name,
                        "Output entry `" + name + "` is a file where the directory `" + rootName + "` was expected");
            }
            long size = entry.getSize();
            if (size > limits.maxFileBytes()) {
                throw new UnsafeOutputException(
                        name,
                        "Output file `" + name + "` has " + size + " bytes, more than the limit of "
                                + limits.maxFileBytes() + " bytes per file");
            }
            if (total + size > limits.maxTotalBytes()) {
                throw new UnsafeOutputException(
                        name,
                        "Output file `" + name + "` brings the total to " + (total + size)
                                + " bytes, more than the limit of " + limits.maxTotalBytes() + " bytes");
            }
            byte[] content = in.readNBytes((int) size);
            if (content.length != size) {
                throw new IOException(
                        "Tar archive ends inside `" + name + "` (" + content.length + " of " + size + " bytes)");
            }
            remember(entryNames, path, name);
            files.put(path, content);
            total += size;
        }
        checkFileDirectoryConflicts(files, directories, entryNames);
        return new Tree(files, directories);
    }

    /**
     * Builds a reproducible tar of a tree owned by root: entries sorted by path, every directory
     * (given or implied by a file's path) before its contents, modification time 0, uid and gid
     * 0, no user or group names, mode {@code 0644} for files and {@code 0755} for directories.
     *
     * @param files file contents keyed by normalised relative path
     * @param directories directories to create even when no file lies below them, by normalised
     *     relative path
     * @return the archive bytes; the same input always gives the same bytes
     * @throws IllegalArgumentException when a path is not normalised or is both a file and a
     *     directory
     */
    public static byte[] write(SortedMap<String, byte[]> files, Set<String> directories) {
        return write(files, directories, 0, 0);
    }

    /**
     * Like {@link #write(SortedMap, Set)}, with every entry owned by the given numeric user and
     * group, so that a container running as that user can modify the tree.
     *
     * @param uid numeric user id, at least 0
     * @param gid numeric group id, at least 0
     * @see #write(SortedMap, Set)
     */
    public static byte[] write(SortedMap<String, byte[]> files, Set<String> directories, long uid, long gid) {
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("uid and gid must not be negative: " + uid + ":" + gid);
        }
        SortedMap<String, Entry> entries = new TreeMap<>();
        addTree(entries, "", new Tree(files, new TreeSet<>(directories)), uid, gid);
        return write(entries);
    }

    /**
     * Builds one reproducible tar holding several trees, each at its own directory: that
     * directory and everything below it get entries owned by the placement's user and group
     * (modes and times as for {@link #write(SortedMap, Set)}), but its ancestors get none. A
     * runtime extracting the tar at {@code /} then creates only the missing ancestors (Docker:
     * owned by root, mode {@code 0755}) and leaves existing ones such as {@code /tmp} as the
     * image has them, as a Kubernetes volume mount does.
     *
     * @param placements the trees and where they go; order does not matter
     * @return the archive bytes; the same placements always give the same bytes
     * @throws IllegalArgumentException when two placements share a directory or one lies inside
     *     another, or when a path is not normalised or is both a file and a directory
     */
    public static byte[] write(List<Placement> placements) {
        SortedSet<String> roots = new TreeSet<>();
        for (Placement placement : placements) {
            String path = placement.path();
            for (String other : roots) {
                if (other.equals(path) || other.startsWith(path + "/") || path.startsWith(other + "/")) {
                    throw new IllegalArgumentException("Placements `" + other + "` and `" + path + "` overlap");
                }
            }
            roots.add(path);
        }
        SortedMap<String, Entry> entries = new TreeMap<>();
        for (Placement placement : placements) {
            entries.put(placement.path(), Entry.directory(placement.uid(), placement.gid()));
            addTree(entries, placement.path() + "/", placement.tree(), placement.uid(), placement.gid());
        }
        return write(entries);
    }

    /** One archive entry: file content, or {@code null} for a directory, its owner and mode. */
    private record Entry(byte[] content, long uid, long gid, int mode) {
        static Entry directory(long uid, long gid) {
            return new Entry(null, uid, gid, TarArchiveEntry.DEFAULT_DIR_MODE);
        }

        boolean isDirectory() {
            return content == null;
        }
    }

    /** Adds a tree's entries below {@code prefix} ({@code ""} or ending in {@code /}). */
    private static void addTree(SortedMap<String, Entry> entries, String prefix, Tree tree, long uid, long gid) {
        for (String directory : tree.directories()) {
            checkNormalised(directory);
            addDirectoryAndParents(entries, prefix, directory, uid, gid);
        }
        for (Map.Entry<String, byte[]> file : tree.files().entrySet()) {
            String path = file.getKey();
            checkNormalised(path);
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                addDirectoryAndParents(entries, prefix, path.substring(0, slash), uid, gid);
            }
            if (entries.containsKey(prefix + path)) {
                throw new IllegalArgumentException("`" + path + "` is both a file and a directory");
            }
            int mode = tree.modes().getOrDefault(path, TarArchiveEntry.DEFAULT_FILE_MODE & 0777);
            entries.put(prefix + path, new Entry(Objects.requireNonNull(file.getValue(), path), uid, gid, mode));
        }
    }

    /** Sorting full paths puts each directory before its contents, as extraction needs. */
    private static byte[] write(SortedMap<String, Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, "UTF-8")) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            out.setAddPaxHeadersForNonAsciiNames(true);
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                byte[] content = e.getValue().content();
                boolean directory = e.getValue().isDirectory();
                TarArchiveEntry entry = new TarArchiveEntry(
                        directory ? e.getKey() + "/" : e.getKey(),
                        directory ? TarConstants.LF_DIR : TarConstants.LF_NORMAL);
                entry.setMode(
                        directory
                                ? e.getValue().mode()
                                : TarArchiveEntry.DEFAULT_FILE_MODE & ~0777
                                        | e.getValue().mode());
                entry.setModTime(0L);
                entry.setUserId(e.getValue().uid());
                entry.setGroupId(e.getValue().gid());
                entry.setNames("", "");
                entry.setSize(directory ? 0 : content.length);
                out.putArchiveEntry(entry);
                if (!directory) {
                    out.write(content);
                }
                out.closeArchiveEntry();
            }
            out.finish();
        } catch (IOException e) {
            throw new IllegalStateException("Writing a tar to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static void checkRootName(String rootName) {
        Objects.requireNonNull(rootName, "rootName");
        if (rootName.isEmpty() || rootName.contains("/") || rootName.equals(".") || rootName.equals("..")) {
            throw new IllegalArgumentException("rootName must be one path segment: `" + rootName + "`");
        }
    }

    /** The entry's path below the root, or {@code ""} for the root itself. */
    private static String relativePath(String name, String rootName) throws UnsafeOutputException {
        if (name.startsWith("/")) {
            throw new UnsafeOutputException(name, "Output entry `" + name + "` is an absolute path");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                throw new UnsafeOutputException(
                        name, "Output entry `" + name + "` has a `..` segment and could escape its directory");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty() || !segments.get(0).equals(rootName)) {
            throw new UnsafeOutputException(
                    name, "Output entry `" + name + "` lies outside the copied directory `" + rootName + "`");
        }
        return String.join("/", segments.subList(1, segments.size()));
    }

    private static void checkType(TarArchiveEntry entry, String name) throws UnsafeOutputException {
        if (entry.isSymbolicLink()) {
            throw new UnsafeOutputException(
                    name,
                    "Output entry `" + name + "` is a symbolic link (to `" + entry.getLinkName()
                            + "`); pipelines must write regular files");
        }
        if (entry.isLink()) {
            throw new UnsafeOutputException(
                    name,
                    "Output entry `" + name + "` is a hard link (to `" + entry.getLinkName()
                            + "`); pipelines must write regular files");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            throw new UnsafeOutputException(name, "Output entry `" + name + "` is a device file");
        }
        if (entry.isFIFO()) {
            throw new UnsafeOutputException(name, "Output entry `" + name + "` is a FIFO (named pipe)");
        }
        byte flag = entry.getLinkFlag();
        boolean regular =
                flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
        if (!entry.isDirectory() && (!regular || entry.isSparse())) {
            throw new UnsafeOutputException(
                    name,
                    "Output entry `" + name + "` has the unsupported tar entry type `" + (char) flag
                            + "`; pipelines must write regular files and directories");
        }
    }

    private static void remember(Map<String, String> entryNames, String path, String name)
            throws UnsafeOutputException {
        String previous = entryNames.put(path, name);
        if (previous != null) {
            throw new UnsafeOutputException(
                    name, "Output entry `" + name + "` appears twice (first as `" + previous + "`)");
        }
    }

    private static void checkFileDirectoryConflicts(
            SortedMap<String, byte[]> files, SortedSet<String> directories, Map<String, String> entryNames)
            throws UnsafeOutputException {
        for (String file : files.keySet()) {
            boolean hasChildren = !files.subMap(file + "/", file + "0").isEmpty()
                    || !directories.subSet(file + "/", file + "0").isEmpty();
            if (hasChildren || directories.contains(file)) {
                String name = entryNames.get(file);
                throw new UnsafeOutputException(
                        name, "Output entry `" + name + "` is a file but other entries treat it as a directory");
            }
        }
    }

    private static void checkNormalised(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("Not a normalised relative path: `" + path + "`");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("Not a normalised relative path: `" + path + "`");
            }
        }
    }

    /** Adds {@code directory} and its parents within the tree, all below {@code prefix}. */
    private static void addDirectoryAndParents(
            SortedMap<String, Entry> entries, String prefix, String directory, long uid, long gid) {
        String path = directory;
        while (true) {
            Entry existing = entries.get(prefix + path);
            if (existing != null && !existing.isDirectory()) {
                throw new IllegalArgumentException("`" + path + "` is both a file and a directory");
            }
            entries.put(prefix + path, Entry.directory(uid, gid));
            int slash = path.lastIndexOf('/');
            if (slash < 0) {
                return;
            }
            path = path.substring(0, slash);
        }
    }
}
