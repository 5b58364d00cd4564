package dev.kbr.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Files of the project's {@code ../shared} folder (the Kratix corpus and tools), which lives
 * beside the repository, not in it. When it is missing, tests that need it fail in CI ({@code
 * CI=true}) and are skipped loudly elsewhere.
 */
public final class SharedFiles {
    private SharedFiles() {}

    /** The repository root (from the {@code kbr.repo.root} system property set by the POM). */
    public static Path repoRoot() {
        String root = System.getProperty("kbr.repo.root");
        Path p = root != null ? Path.of(root) : Path.of("..");
        return p.toAbsolutePath().normalize();
    }

    /** {@code ../shared/<relative>}, or fail (CI) / abort loudly (elsewhere) when missing. */
    public static Path require(String relative) {
        Path path = repoRoot().resolveSibling("shared").resolve(relative);
        if (Files.exists(path)) {
            return path;
        }
        String message = "shared file missing: " + path + " (the ../shared folder must sit beside the repository)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        System.err.println("*** SKIPPED: " + message + " ***");
        Assumptions.abort(message);
        return path;
    }

    /** A file of the Kratix corpus: {@code ../shared/corpus/<relative>}. */
    public static Path corpus(String relative) {
        return require("corpus/" + relative);
    }
}
