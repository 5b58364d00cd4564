package dev.kbr.ci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.KbrJar;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action's script ({@code ci/github/kbr/run.sh}) run as a runner would run it, with
 * the packaged kbr jar, the seeds platform, a fresh bare repo as the state store, a temporary file
 * as {@code $GITHUB_STEP_SUMMARY}, and a fake {@code gh} on the PATH that records its arguments
 * (no network).
 */
class GitHubActionIT {
    private static final Path ROOT = SharedFiles.repoRoot();
    private static final Path SCRIPT = ROOT.resolve("ci/github/kbr/run.sh");
    private static final Path SEEDS = ROOT.resolve("fixtures/platforms/seeds");

    /** Records each call's arguments and body; --edit-last fails until a comment was made. */
    private static final String FAKE_GH = """
            #!/bin/sh
            n=$(( $(cat "$FAKE_GH_DIR/count" 2>/dev/null || echo 0) + 1 ))
            echo "$n" > "$FAKE_GH_DIR/count"
            echo "$*" >> "$FAKE_GH_DIR/calls"
            prev=""
            for a in "$@"; do
              if [ "$prev" = "--body-file" ]; then cp "$a" "$FAKE_GH_DIR/body-$n"; fi
              prev="$a"
            done
            case " $* " in
              *" --edit-last "*) [ -f "$FAKE_GH_DIR/commented" ] || { echo "no comment to edit" >&2; exit 1; } ;;
            esac
            touch "$FAKE_GH_DIR/commented"
            """;

    @TempDir
    Path tmp;

    private StateRepo repo;
    private Path summary;
    private Path outputs;
    private Path gh;

    private record Ran(int exitCode, String output) {}

    @BeforeEach
    void setUp() throws Exception {
        repo = StateRepo.bare(tmp);
        summary = Files.createFile(tmp.resolve("step-summary.md"));
        outputs = Files.createFile(tmp.resolve("github-output"));
        gh = Files.createDirectories(tmp.resolve("gh"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("gh"), FAKE_GH);
        Files.setPosixFilePermissions(bin.resolve("gh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(tmp.resolve("runner"));
    }

    private Ran action(String event, Map<String, String> more) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString())
                .directory(tmp.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_") || k.startsWith("KBR_") || k.startsWith("GITHUB_"));
        env.put("PATH", tmp.resolve("bin") + ":" + env.get("PATH"));
        env.put("FAKE_GH_DIR", gh.toString());
        env.put("RUNNER_TEMP", tmp.resolve("runner").toString());
        env.put("GITHUB_EVENT_NAME", event);
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        env.put("GITHUB_OUTPUT", outputs.toString());
        env.put("KBR_JAR", KbrJar.jar().toAbsolutePath().toString());
        env.put(
                "KBR_JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("KBR_PLATFORM", SEEDS.toString());
        env.put("KBR_STATE_URLS", "default=" + repo.dir());
        env.put("KBR_EXTRA_ARGS", "--pipeline-network none");
        env.putAll(more);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("run.sh did not finish in 3 minutes");
        }
        return new Ran(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void pullRequestPlansIntoTheSummaryAndOneCommentThenPushApplies() throws Exception {
        Map<String, String> pullRequest = Map.of("GITHUB_REF", "refs/pull/42/merge", "KBR_COMMENT_ON_PR", "true");
        Ran plan = action("pull_request", pullRequest);
        assertThat(plan.exitCode()).as(plan.output()).isZero();
        assertThat(plan.output()).contains("Plan: ").contains("kbr plan: finished in ");
        assertThat(repo.git("rev-list", "--all", "--count").strip())
                .as("a plan pushes nothing")
                .isEqualTo("0");
        String planned = read(summary);
        assertThat(read(outputs)).contains("mode=plan\n", "exit-code=2\n", "has-changes=true\n");

        // The first plan of a pull request has no comment to edit, so it makes one.
        assertThat(read(gh.resolve("calls")).lines())
                .containsExactly(
                        "pr comment 42 --body-file " + tmp.resolve("runner/kbr-comment.md") + " --edit-last",
                        "pr comment 42 --body-file " + tmp.resolve("runner/kbr-comment.md"));
        assertThat(read(gh.resolve("body-2"))).isEqualTo(planned);

        Ran apply = action("push", Map.of("GITHUB_REF", "refs/heads/main"));
        assertThat(apply.exitCode()).as(apply.output()).isZero();
        String head = repo.git("rev-parse", "main").strip();
        assertThat(apply.output()).contains("pushed default " + head);
        assertThat(repo.git("rev-list", "--count", "main").strip()).isEqualTo("1");
        List<String> tree = repo.tree();
        assertThat(planned).startsWith("## kbr plan: Plan: " + tree.size() + " to add, 0 to change, 0 to delete.\n");
        for (String path : tree) {
            assertThat(planned).as("every added file is listed").contains("| + | `" + path + "` |");
        }
        assertThat(read(summary))
                .startsWith(planned)
                .contains("## kbr apply: Apply complete: " + tree.size() + " added, 0 changed, 0 deleted.")
                .contains("Committed `" + head + "`.");
        assertThat(read(gh.resolve("calls")).lines()).as("apply never comments").hasSize(2);

        // A later push to the pull request edits the comment in place.
        Ran again = action("pull_request", pullRequest);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(read(gh.resolve("calls")).lines())
                .hasSize(3)
                .last()
                .asString()
                .endsWith(" --edit-last");
        assertThat(read(gh.resolve("body-3"))).startsWith("## kbr plan: No changes.");
        assertThat(read(outputs)).endsWith("has-changes=false\nsummary-file=" + lastSummaryFile() + "\n");
    }

    @Test
    void aFailedPlanFailsTheStepAndStillWritesTheSummary() throws Exception {
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        Processes.check(tmp, "cp", "-r", SEEDS + "/.", broken.toString());
        Path redis = broken.resolve("requests/redis.yaml");
        Files.writeString(redis, read(redis).replace("size: small", "size: medium"));
        Ran plan = action("pull_request", Map.of("KBR_PLATFORM", broken.toString()));
        assertThat(plan.exitCode()).as(plan.output()).isEqualTo(1);
        assertThat(plan.output()).contains("::error::kbr plan failed (exit 1)");
        assertThat(read(summary))
                .startsWith("## kbr plan: Plan finished with errors:")
                .contains("### Problems in the platform")
                .contains("`requests/redis.yaml:7` `spec.size`");
        assertThat(gh.resolve("calls")).as("no comment unless asked").doesNotExist();
    }

    @Test
    void aBadModeIsRefusedNamingTheInput() throws Exception {
        Ran ran = action("pull_request", Map.of("KBR_MODE", "destroy"));
        assertThat(ran.exitCode()).isEqualTo(1);
        assertThat(ran.output()).contains("mode is 'destroy'; use auto, plan or apply");
    }

    private String lastSummaryFile() throws Exception {
        return read(outputs)
                .lines()
                .filter(l -> l.startsWith("summary-file="))
                .reduce((a, b) -> b)
                .orElseThrow()
                .substring("summary-file=".length());
    }
}
