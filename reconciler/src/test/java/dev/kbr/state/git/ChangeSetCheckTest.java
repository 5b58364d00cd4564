package dev.kbr.state.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.state.FileChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeSetCheckTest {
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final byte[] NO_BYTES = new byte[0];

    @Test
    void acceptsCleanRepoRelativePaths() {
        for (String path : List.of(
                "a.yaml",
                "worker-1/resources/default/promise/r1/instance-configure/5058f/a.yaml",
                ".kbr/works/x.json",
                "dir/.gitignore",
                "dir/..hidden",
                "名前/ファイル.yaml")) {
            assertThat(ChangeSetCheck.pathProblem(path)).as(path).isNull();
        }
    }

    @Test
    void rejectsPathsThatEscapeOrAreNotCanonical() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("", "is empty"),
                Map.entry("/etc/passwd", "is absolute"),
                Map.entry("dir/", "ends with /"),
                Map.entry("a//b", "empty segment"),
                Map.entry("../a", "`..` segment"),
                Map.entry("a/./b", "`.` segment"),
                Map.entry(".git/config", "`.git` segment"),
                Map.entry("a/.GIT/hooks", "`.git` segment"),
                Map.entry("a\\b", "backslash"),
                Map.entry("a\nb", "control character"),
                Map.entry("a".repeat(ChangeSetCheck.MAX_PATH_LENGTH + 1), "longer than"));
        cases.forEach((path, problem) ->
                assertThat(ChangeSetCheck.pathProblem(path)).as(path).contains(problem));
    }

    @Test
    void acceptsChangesConsistentWithTheBase() {
        Map<String, String> base = Map.of("keep.yaml", A, "dir/old.yaml", A, "file", B);
        List<FileChange> changes = List.of(
                new FileChange.Added("dir/new.yaml", NO_BYTES, B),
                new FileChange.Modified("keep.yaml", A, NO_BYTES, B),
                new FileChange.Deleted("dir/old.yaml", A),
                // A file may become a directory when it is deleted in the same change set.
                new FileChange.Deleted("file", B),
                new FileChange.Added("file/inside.yaml", NO_BYTES, A));

        assertThat(ChangeSetCheck.problems(base, changes)).isEmpty();
    }

    @Test
    void reportsEveryMisfitInChangeOrder() {
        Map<String, String> base = Map.of("a.yaml", A, "dir/b.yaml", A, "dir/c.yaml", A);
        List<FileChange> changes = List.of(
                new FileChange.Added("a.yaml", NO_BYTES, B),
                new FileChange.Modified("missing.yaml", A, NO_BYTES, B),
                new FileChange.Deleted("dir/b.yaml", B),
                new FileChange.Added("dir", NO_BYTES, B),
                new FileChange.Added("new.yaml", NO_BYTES, "not-an-id"),
                new FileChange.Added("new.yaml", NO_BYTES, B));

        assertThat(ChangeSetCheck.problems(base, changes))
                .containsExactly(
                        "path `a.yaml` is added but already exists in the base (" + A + ")",
                        "path `missing.yaml` is modified but does not exist in the base",
                        "path `dir/b.yaml` is deleted from " + B + " but the base has " + A,
                        "path `new.yaml` has contentId `not-an-id`, not a 40-digit lowercase hex object id",
                        "path `new.yaml` is changed more than once",
                        "path `dir` is added as a file but `dir/c.yaml` keeps it a directory");
    }

    @Test
    void refusesAFileUnderAFileThatStays() {
        assertThat(ChangeSetCheck.problems(
                        Map.of("a.yaml", A), List.of(new FileChange.Added("a.yaml/b.yaml", NO_BYTES, B))))
                .containsExactly("path `a.yaml/b.yaml` is added under `a.yaml`, which stays a file");
    }
}
