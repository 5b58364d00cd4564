package dev.kbr.testsupport;

import dev.kbr.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A state store for end-to-end tests: a real bare Git repo (GitStateStore {@code default}), the
 * whole {@code kbr} command line run in-process against it, and the real {@code git} CLI to see
 * what kbr committed (so the tests do not trust JGit to check kbr).
 */
public final class StateRepo {
    private final Path dir;
    private final Path workDir;

    /**
     * Output and exit code of one in-process CLI run.
     *
     * @param exitCode the exit code
     * @param out stdout and stderr, interleaved
     */
    public record Run(int exitCode, String out) {}

    private StateRepo(Path dir, Path workDir) {
        this.dir = dir;
        this.workDir = workDir;
    }

    /** A new, empty bare repo at {@code tmp/state.git} with branch {@code main}. */
    public static StateRepo bare(Path tmp) throws Exception {
        Path dir = tmp.resolve("state.git");
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", dir.toString());
        return new StateRepo(dir, tmp);
    }

    /** An existing repo. */
    public static StateRepo existing(Path dir, Path workDir) {
        return new StateRepo(dir, workDir);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Runs {@code kbr ARGS --platform PLATFORM --state-url default=<this repo> --pipeline-network none}.
     */
    public Run kbr(Path platform, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--platform", platform.toString(), "--pipeline-network", "none"));
        return run(all);
    }

    /** Runs {@code kbr ARGS --state-url default=<this repo>} with exactly these other arguments. */
    public Run run(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--state-url", "default=" + dir));
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(out), all.toArray(String[]::new));
        return new Run(code, out.toString());
    }

    /** {@code git --git-dir <this repo> ARGS}, failing the test when it fails. */
    public String git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "--git-dir", dir.toString()));
        cmd.addAll(Arrays.asList(args));
        return Processes.check(workDir, cmd.toArray(String[]::new));
    }

    /** Every path of {@code main}'s tree. */
    public List<String> tree() throws Exception {
        return git("ls-tree", "-r", "--name-only", "main").lines().toList();
    }

    /** A file of {@code main}. */
    public String show(String path) throws Exception {
        return git("show", "main:" + path);
    }
}
