package dev.kbr.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs and privileges an IT needs from the machine (installed by a {@code ci/} script). When
 * one is missing the test fails in CI ({@code CI=true}) and is skipped loudly elsewhere.
 */
public final class RequiredTools {
    private RequiredTools() {}

    /**
     * @param setup the script that provides them, for the message
     * @param executables absolute paths that must be executable files
     */
    public static void require(String setup, Path... executables) {
        List<String> missing = new ArrayList<>();
        for (Path executable : executables) {
            if (!Files.isExecutable(executable)) {
                missing.add(executable.toString());
            }
        }
        if (!missing.isEmpty()) {
            unavailable("missing " + String.join(", ", missing) + "; run " + setup);
        }
    }

    /**
     * @param setup the script that provides them, for the message
     * @param files absolute paths that must be regular files (libraries, modules)
     */
    public static void requireFiles(String setup, Path... files) {
        List<String> missing = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                missing.add(file.toString());
            }
        }
        if (!missing.isEmpty()) {
            unavailable("missing " + String.join(", ", missing) + "; run " + setup);
        }
    }

    /** Requires that the tests run as root (to start sshd for another user). */
    public static void requireRoot(String why) {
        if (!"root".equals(System.getProperty("user.name"))) {
            unavailable("must run as root: " + why);
        }
    }

    /** Requires that a local user exists. */
    public static void requireUser(String user, String setup) throws Exception {
        Processes.Result id = Processes.run(Path.of("/"), List.of("id", "-u", user));
        if (id.exitCode() != 0) {
            unavailable("user " + user + " does not exist; run " + setup);
        }
    }

    private static void unavailable(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        System.err.println("SKIPPED (not in CI): " + message);
        Assumptions.abort(message);
    }
}
