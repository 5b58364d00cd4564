package dev.kbr.run;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * kbr's temporary folders under {@code java.io.tmpdir}: named {@code
 * kbr-run-<pid>-<start-millis>-<purpose>-<random>} after the process that made them, so that a
 * run killed before it could delete them (SIGKILL, OOM, a node gone) leaves folders the next run
 * on the same host recognises and deletes. Folders of live processes are never touched.
 */
public final class TempFolders {
    /** Every kbr temporary folder name starts with this. */
    public static final String PREFIX = "kbr-run-";

    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-(\\d+)-.*");
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private TempFolders() {}

    /**
     * Creates a temporary folder owned by this process; the first call in a process first deletes
     * what dead kbr processes left (see {@link #sweep}).
     *
     * @param purpose a short word for the name, e.g. {@code git-store}
     * @throws IOException when the folder cannot be created
     */
    public static Path create(String purpose) throws IOException {
        if (SWEPT.compareAndSet(false, true)) {
            sweep(Path.of(System.getProperty("java.io.tmpdir")));
        }
        RunOwner me = RunOwner.current();
        return Files.createTempDirectory(PREFIX + me.pid() + "-" + me.startMillis() + "-" + purpose + "-");
    }

    /**
     * Deletes the kbr temporary folders in {@code dir} whose owning process is dead. Best effort:
     * a folder that cannot be deleted now is left for a later run.
     *
     * @return the folders deleted
     */
    public static List<Path> sweep(Path dir) {
        List<Path> deleted = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Optional<RunOwner> owner = owner(entry.getFileName().toString());
                if (owner.isPresent() && owner.get().isDeadOnThisHost() && deleteRecursively(entry)) {
                    deleted.add(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The temporary folder cannot be listed: nothing to sweep now.
        }
        return deleted;
    }

    /** The process that made a folder of this name; empty when it is not a kbr temporary folder. */
    static Optional<RunOwner> owner(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new RunOwner(RunOwner.current().host(), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean deleteRecursively(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
