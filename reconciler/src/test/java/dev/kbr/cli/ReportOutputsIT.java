package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbr.testsupport.ReportSchema;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --output json}, the Markdown job summary and progress on stderr, for real passes of the
 * seeds platform (real pipeline containers) into a fresh bare repo.
 */
class ReportOutputsIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");

    @TempDir
    Path tmp;

    private StateRepo repo;
    private Path summary;

    /** stdout and stderr of one run, kept apart. */
    private record Output(int exitCode, String out, String err) {}

    @BeforeEach
    void bareStateRepo() throws Exception {
        repo = StateRepo.bare(tmp);
        summary = tmp.resolve("step-summary.md");
    }

    private Output kbr(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--platform", SEEDS.toString(), "--pipeline-network", "none", "--state-url", "default=" + repo.dir()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment env = Environment.of(Map.of("GITHUB_STEP_SUMMARY", summary.toString()));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), env, all.toArray(String[]::new));
        return new Output(code, out.toString(), err.toString());
    }

    private static List<String> paths(JsonNode root, String action) {
        List<String> paths = new ArrayList<>();
        for (JsonNode store : root.path("stores")) {
            StreamSupport.stream(store.path("changes").spliterator(), false)
                    .filter(c -> c.path("action").asText().equals(action))
                    .forEach(c -> paths.add(c.path("path").asText()));
        }
        return paths;
    }

    @Test
    void planJsonListsEveryFileTheApplyCommitsAndMatchesTheSchema() throws Exception {
        Output plan = kbr("plan", "--output", "json", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(Main.CHANGES);
        JsonNode root = new ObjectMapper().readTree(plan.out());
        ReportSchema.assertValid(root);
        assertThat(root.path("command").asText()).isEqualTo("plan");
        assertThat(root.path("platform").path("source").asText()).isEqualTo(SEEDS.toString());
        assertThat(root.path("stores").path(0).path("baseCommit").isNull()).isTrue();
        assertThat(root.path("pipelineRuns"))
                .isNotEmpty()
                .allMatch(r -> r.path("succeeded").asBoolean());
        // Progress heard every object and pipeline of the pass: none left running, counts as reported.
        assertThat(plan.err())
                .contains("kbr plan: started")
                .containsPattern("kbr plan: finished in \\d+s: (\\d+)/\\1 objects done, 0 running, 0 cached, "
                        + root.path("pipelineRuns").size() + " pipelines ran, 0 failed\n");

        Output apply = kbr("apply", "--output", "json");
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        JsonNode applied = new ObjectMapper().readTree(apply.out());
        ReportSchema.assertValid(applied);
        String head = repo.git("rev-parse", "main").strip();
        assertThat(applied.path("commits").path(0).path("commit").asText()).isEqualTo(head);
        assertThat(applied.path("commits").path(0).path("base").isNull()).isTrue();
        assertThat(apply.err()).contains("pushed default " + head);

        // A fresh repo: every file of the commit was added, and the plan listed each one.
        assertThat(paths(root, "added")).containsExactlyInAnyOrderElementsOf(repo.tree());
        assertThat(paths(root, "modified")).isEmpty();
        assertThat(root.path("summary").path("added").asInt())
                .isEqualTo(repo.tree().size());
        assertThat(plan.out()).as("no Secret value or file content").doesNotContain("stringData");

        Output again = kbr("plan", "--output", "json", "--detailed-exitcode", "--quiet");
        assertThat(again.exitCode()).as(again.err()).isZero();
        JsonNode unchanged = new ObjectMapper().readTree(again.out());
        ReportSchema.assertValid(unchanged);
        assertThat(unchanged.path("summary").path("hasChanges").asBoolean()).isFalse();
        assertThat(unchanged.path("cached")).isNotEmpty();
        assertThat(again.err()).as("--quiet").isEmpty();

        Output cached = kbr("plan", "--detailed-exitcode");
        assertThat(cached.err())
                .containsPattern("finished in \\d+s: (\\d+)/\\1 objects done, 0 running, "
                        + unchanged.path("cached").size() + " cached, 0 pipelines ran, 0 failed\n");
    }

    @Test
    void theStepSummaryGetsOneMarkdownSectionPerRunListingEveryFile() throws Exception {
        Output plan = kbr("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(Main.CHANGES);
        assertThat(plan.out()).as("the text report is unchanged by the summary").contains("Plan: ");
        String markdown = Files.readString(summary, StandardCharsets.UTF_8);

        assertThat(kbr("apply").exitCode()).isZero();
        List<String> tree = repo.tree();
        assertThat(markdown).startsWith("## kbr plan: Plan: " + tree.size() + " to add, 0 to change, 0 to delete.");
        for (String path : tree) {
            assertThat(markdown).contains("| + | `" + path + "` |");
        }
        assertThat(markdown).contains("#### Destination `worker-1`").contains("#### Destination `platform-cluster`");
        String both = Files.readString(summary, StandardCharsets.UTF_8);
        assertThat(both).as("appended, not replaced").startsWith(markdown).contains("\n## kbr apply: Apply complete: ");
    }
}
