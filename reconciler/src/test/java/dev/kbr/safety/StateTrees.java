package dev.kbr.safety;

import dev.kbr.testsupport.Processes;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the safety ITs compare: a bare repo's branch read with the real {@code git} CLI.
 *
 * <p>Two applies of the same inputs write byte-identical trees except for the time each pass ran,
 * which kbr stamps into its object records ({@code .kbr/objects/...}: {@code lastRun.at},
 * conditions' {@code lastTransitionTime}, {@code lastSuccessfulConfigureWorkflowTime}, the
 * object's {@code metadata.creationTimestamp}) and how many spec changes each object went through
 * ({@code metadata.generation}). Those files are compared with every RFC 3339 timestamp and
 * generation replaced; every other file by blob id.
 */
final class StateTrees {
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    /** An object's generation counts the changes it went through: history, as times are. */
    private static final Pattern GENERATION = Pattern.compile("\"generation\" : \\d+");

    private StateTrees() {}

    /** {@code git --git-dir repo ARGS}, failing the test when it fails. */
    static String git(Path repo, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                "git",
                "-c",
                "user.name=Hand Editor",
                "-c",
                "user.email=hand@example.com",
                "--git-dir",
                repo.toString()));
        command.addAll(List.of(args));
        return Processes.check(repo.getParent(), command.toArray(String[]::new));
    }

    /**
     * Fails unless every ref of the bare repository {@code repo} resolves to a complete history
     * (every commit, tree and blob reachable from it is present and well-formed), as a reader such
     * as Flux's source-controller needs. Call it only when no push is in flight: {@code git fsck}
     * lists the objects first and reads the refs after, so a ref a concurrent push moves in between
     * is reported as a "missing commit" of a sound repository.
     *
     * <p>Three independent checks, none of which can pass on a repository with a hole: {@code git
     * fsck --full --strict} must exit 0 and print nothing but dangling objects (which an
     * interrupted push may leave and which no ref reaches); {@code git rev-list --objects
     * --missing=print} of every ref must name no missing object; and no lock file or push
     * quarantine may be left behind (a stale {@code refs/heads/main.lock} would refuse every later
     * push).
     */
    static void assertComplete(Path repo) throws Exception {
        Processes.Result fsck = Processes.run(
                repo.getParent(),
                List.of(
                        "git",
                        "--git-dir",
                        repo.toString(),
                        "fsck",
                        "--full",
                        "--strict",
                        "--no-progress",
                        "--no-dangling"));
        if (fsck.exitCode() != 0 || !fsck.output().isBlank()) {
            throw new AssertionError("git fsck of " + repo + " exited " + fsck.exitCode() + ":\n" + fsck.output());
        }
        List<String> refs =
                git(repo, "for-each-ref", "--format=%(refname)").lines().toList();
        if (refs.isEmpty()) {
            throw new AssertionError(repo + " has no refs");
        }
        for (String ref : refs) {
            List<String> missing = git(repo, "rev-list", "--objects", "--missing=print", ref)
                    .lines()
                    .filter(l -> l.startsWith("?"))
                    .toList();
            if (!missing.isEmpty()) {
                throw new AssertionError(ref + " of " + repo + " reaches missing objects " + missing);
            }
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(repo)) {
            List<String> leftovers = files.map(p -> repo.relativize(p).toString())
                    .filter(p -> p.endsWith(".lock")
                            || p.startsWith("objects/incoming-")
                            || p.startsWith("objects/tmp_objdir"))
                    .toList();
            if (!leftovers.isEmpty()) {
                throw new AssertionError(repo + " holds locks or a push quarantine: " + leftovers);
            }
        }
    }

    /** The head of {@code main}, if the branch exists. */
    static Optional<String> head(Path repo) throws Exception {
        Processes.Result r = Processes.run(
                repo.getParent(), List.of("git", "--git-dir", repo.toString(), "rev-parse", "--verify", "-q", "main"));
        return r.exitCode() == 0 ? Optional.of(r.output().strip()) : Optional.empty();
    }

    /** Path to blob id of {@code rev}'s tree, records with their timestamps and generations masked (see above). */
    static SortedMap<String, String> comparable(Path repo, String rev) throws Exception {
        SortedMap<String, String> tree = new TreeMap<>();
        for (String line :
                git(repo, "ls-tree", "-r", "--full-tree", rev).lines().toList()) {
            int tab = line.indexOf('\t');
            String[] meta = line.substring(0, tab).split(" ");
            String path = line.substring(tab + 1);
            String value = meta[0] + " " + meta[2];
            if (path.startsWith(".kbr/objects/")) {
                String timesMasked = TIMESTAMP
                        .matcher(git(repo, "cat-file", "blob", meta[2]))
                        .replaceAll("<time>");
                value = meta[0] + " masked:" + GENERATION.matcher(timesMasked).replaceAll("\"generation\" : <n>");
            }
            tree.put(path, value);
        }
        return tree;
    }

    /** The content of the one file under {@code prefix} in {@code rev}. */
    static String onlyFileUnder(Path repo, String rev, String prefix) throws Exception {
        List<String> paths = git(repo, "ls-tree", "-r", "--name-only", "--full-tree", rev)
                .lines()
                .filter(p -> p.startsWith(prefix))
                .toList();
        if (paths.size() != 1) {
            throw new AssertionError("expected one file under " + prefix + " in " + rev + ", found " + paths);
        }
        return git(repo, "show", rev + ":" + paths.get(0));
    }
}
