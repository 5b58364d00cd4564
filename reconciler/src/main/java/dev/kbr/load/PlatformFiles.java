package dev.kbr.load;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The files of a platform repo, wherever they are: a folder on disk, or the tree of one Git commit
 * read in memory. Paths are relative to the repo's root, with {@code /} between segments (as
 * diagnostics print them). {@link PlatformLoader#load(PlatformFiles)} decides which of them to read;
 * this interface only lists and reads, so a folder and a Git tree are loaded by the same code.
 */
public interface PlatformFiles extends AutoCloseable {
    /**
     * The regular files (no directories, symbolic links or submodules), sorted, leaving out every
     * file below a directory that {@code enter} refuses.
     *
     * @param enter given a directory's relative path ({@code a} or {@code a/b}, never the root),
     *     whether to look inside it
     * @throws IOException when the files cannot be listed (for a folder: it is not a directory)
     */
    List<String> list(Predicate<String> enter) throws IOException;

    /**
     * The bytes of a file.
     *
     * @param path a relative path
     * @return its content, or empty when no regular file is there
     * @throws IOException when it exists but cannot be read
     */
    Optional<byte[]> read(String path) throws IOException;

    /** Releases what reading needs (for a Git tree, its local repository); nothing for a folder. */
    @Override
    default void close() throws IOException {}

    /**
     * The files below {@code root} on disk. Symbolic links are not followed, so nothing outside
     * the folder is read, as nothing outside a Git tree can be.
     */
    static PlatformFiles folder(Path root) {
        return new PlatformFiles() {
            @Override
            public List<String> list(Predicate<String> enter) throws IOException {
                if (!Files.isDirectory(root)) {
                    throw new IOException("platform folder " + root + " does not exist or is not a directory");
                }
                Set<String> files = new TreeSet<>();
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return dir.equals(root) || enter.test(relative(dir))
                                ? FileVisitResult.CONTINUE
                                : FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            files.add(relative(file));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
                return List.copyOf(files);
            }

            @Override
            public Optional<byte[]> read(String path) throws IOException {
                Path file = root.resolve(path);
                return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        ? Optional.of(Files.readAllBytes(file))
                        : Optional.empty();
            }

            private String relative(Path path) {
                return root.relativize(path).toString().replace('\\', '/');
            }
        };
    }

    /** Reads one file of an in-memory tree. */
    @FunctionalInterface
    interface Reader {
        /**
         * @param path one of the tree's paths
         * @throws IOException when it cannot be read
         */
        byte[] read(String path) throws IOException;
    }

    /**
     * A tree known by its list of regular files, e.g. one Git commit's: {@code list} filters the
     * paths by their directories, {@code read} asks {@code reader} for a path of the list.
     *
     * @param paths relative paths of the regular files
     * @param reader reads one of them
     * @param onClose what {@link #close()} releases
     */
    static PlatformFiles of(Collection<String> paths, Reader reader, AutoCloseable onClose) {
        Set<String> known = new TreeSet<>(paths);
        return new PlatformFiles() {
            @Override
            public List<String> list(Predicate<String> enter) {
                Map<String, Boolean> entered = new HashMap<>();
                List<String> files = new ArrayList<>();
                for (String path : known) {
                    if (inside(path, enter, entered)) {
                        files.add(path);
                    }
                }
                return files;
            }

            @Override
            public Optional<byte[]> read(String path) throws IOException {
                return known.contains(path) ? Optional.of(reader.read(path)) : Optional.empty();
            }

            @Override
            public void close() throws IOException {
                try {
                    onClose.close();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        };
    }

    // Each directory on the way down must be entered, as a folder walk would.
    private static boolean inside(String path, Predicate<String> enter, Map<String, Boolean> entered) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            if (!entered.computeIfAbsent(path.substring(0, slash), enter::test)) {
                return false;
            }
        }
        return true;
    }
}
