package dev.kbr.state.git;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} command line, isolated from the user's and the system's configuration, so
 * tests check JGit's work with another implementation. Every call is bounded in time.
 */
final class GitCli {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path home;

    /** @param home an empty directory used as {@code HOME} (no user configuration) */
    GitCli(Path home) {
        this.home = home;
    }

    /** One entry of {@code git ls-tree}. */
    record TreeEntry(String mode, String type, String id) {}

    /** Runs {@code git -C dir args…}, fails the test unless it exits 0, and returns stdout. */
    String run(Path dir, String... args) {
        return new String(bytes(dir, args), StandardCharsets.UTF_8);
    }

    /** {@link #run} without the trailing newline. */
    String line(Path dir, String... args) {
        return run(dir, args).strip();
    }

    /** Runs {@code git -C dir args…} and returns stdout as bytes. */
    byte[] bytes(Path dir, String... args) {
        Result result = exec(dir, args);
        if (result.exitCode != 0) {
            fail("git " + String.join(" ", args) + " in " + dir + " exited " + result.exitCode + ": " + result.stderr);
        }
        return result.stdout;
    }

    /** Runs {@code git -C dir args…} and returns its exit code, whatever it is. */
    int exitCode(Path dir, String... args) {
        return exec(dir, args).exitCode;
    }

    /** {@code git ls-tree -r} of {@code rev}: path to entry. */
    SortedMap<String, TreeEntry> lsTree(Path repo, String rev) {
        SortedMap<String, TreeEntry> entries = new TreeMap<>();
        // -z: paths are printed raw, one NUL-terminated record each.
        for (String record :
                run(repo, "ls-tree", "-r", "-z", "--full-tree", rev).split("\0")) {
            if (record.isEmpty()) {
                continue;
            }
            int tab = record.indexOf('\t');
            String[] meta = record.substring(0, tab).split(" ");
            entries.put(record.substring(tab + 1), new TreeEntry(meta[0], meta[1], meta[2]));
        }
        return entries;
    }

    /** Path to blob id of every file of {@code rev}, as {@code git ls-tree -r} prints them. */
    SortedMap<String, String> blobIds(Path repo, String rev) {
        SortedMap<String, String> ids = new TreeMap<>();
        lsTree(repo, rev).forEach((path, entry) -> ids.put(path, entry.id()));
        return ids;
    }

    /** {@code git init --bare -b <branch> <dir>}. */
    Path initBare(Path dir, String branch) {
        run(dir.getParent(), "init", "-q", "--bare", "-b", branch, dir.toString());
        return dir;
    }

    /**
     * Commits {@code files} (path to UTF-8 content) in a new work repository {@code work} on
     * {@code branch}, pushes that branch to {@code remote}, and returns the commit id.
     */
    String seed(Path work, Path remote, String branch, Map<String, String> files) throws IOException {
        run(work.getParent(), "init", "-q", "-b", branch, work.toString());
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = work.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
        run(work, "add", "-A");
        run(work, "commit", "-q", "-m", "seed");
        run(work, "push", "-q", remote.toString(), branch);
        return line(work, "rev-parse", "HEAD");
    }

    private Result exec(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(home, "git-out-", ".bin");
            Path err = Files.createTempFile(home, "git-err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            isolate(builder.environment(), home);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("git " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            Result result = new Result(
                    process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /** Strips inherited Git settings and points Git at an empty home. */
    static void isolate(Map<String, String> env, Path home) {
        env.keySet().removeIf(key -> key.startsWith("GIT_"));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", "Seed Author");
        env.put("GIT_AUTHOR_EMAIL", "seed@example.com");
        env.put("GIT_COMMITTER_NAME", "Seed Author");
        env.put("GIT_COMMITTER_EMAIL", "seed@example.com");
        env.put("LC_ALL", "C");
    }

    private record Result(int exitCode, byte[] stdout, String stderr) {}
}
