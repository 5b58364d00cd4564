package dev.kbr.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A platform folder made into a Git repository, as a platform team keeps one: committed with the
 * real {@code git} command line (a fixed author, no signing) and served as a bare clone.
 */
public final class GitWork {
    private GitWork() {}

    /**
     * Commits everything in {@code work} on branch {@code main} (making it a repository first
     * when it is not one) and returns the commit id.
     */
    public static String commitAll(Path work, String message) throws IOException, InterruptedException {
        if (!Files.isDirectory(work.resolve(".git"))) {
            Processes.check(work, "git", "init", "-q", "-b", "main");
        }
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", message);
        return git(work, "rev-parse", "HEAD").strip();
    }

    /** Clones {@code work} into the new bare repository {@code bare} and returns {@code bare}. */
    public static Path bareClone(Path work, Path bare) throws IOException, InterruptedException {
        Files.createDirectories(bare.getParent());
        Processes.check(work, "git", "clone", "-q", "--bare", work.toString(), bare.toString());
        return bare;
    }

    /** Runs {@code git args…} in {@code work} with a fixed author and no signing; returns its output. */
    public static String git(Path work, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "git",
                "-c",
                "user.name=kbr test",
                "-c",
                "user.email=kbr@example.com",
                "-c",
                "tag.gpgSign=false",
                "-c",
                "commit.gpgSign=false"));
        command.addAll(List.of(args));
        return Processes.check(work, command.toArray(String[]::new));
    }
}
