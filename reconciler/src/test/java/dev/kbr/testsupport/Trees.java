package dev.kbr.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Copies and removals of folder trees, for tests that edit a copy of a fixture platform. */
public final class Trees {
    private Trees() {}

    /** Copies the tree {@code from} to {@code to} (created), leaving out paths {@code skip} (relative). */
    public static Path copy(Path from, Path to, String... skip) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                String relative = from.relativize(source).toString();
                Path target = to.resolve(relative);
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!java.util.Arrays.asList(skip).contains(relative)) {
                    Files.copy(source, target);
                }
            }
        }
        return to;
    }

    /** Deletes {@code root} and everything below it. */
    public static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
