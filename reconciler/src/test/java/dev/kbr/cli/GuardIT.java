package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.StateRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kbr fails closed (issue 5): a pass that deletes too much is refused, a wrong {@code --platform}
 * deletes nothing, two Works writing one Kubernetes object into a Destination are a conflict,
 * binary outputs are delivered byte for byte, and Secret values never reach a diff. Pipelines are
 * shell scripts run on the real Docker engine ({@link ThingsPlatform}); the state store is a real
 * bare repo checked with the git CLI.
 */
class GuardIT {
    @TempDir
    Path tmp;

    private String head(StateRepo repo) throws Exception {
        return repo.git("rev-parse", "main").strip();
    }

    @Test
    void aPassDeletingMoreThanTheMaxDeleteFractionIsRefusedUnlessAllowed() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), "");
        for (String name : List.of("r1", "r2", "r3", "r4")) {
            platform.request(name, "{colour: blue}");
        }
        StateRepo.Run first = repo.kbr(platform.dir(), "apply");
        assertThat(first.exitCode()).as(first.out()).isZero();
        String before = head(repo);
        List<String> tree = repo.tree();
        platform.remove("r1").remove("r2").remove("r3");

        StateRepo.Run plan = repo.kbr(platform.dir(), "plan");
        StateRepo.Run apply = repo.kbr(platform.dir(), "apply");
        for (StateRepo.Run run : List.of(plan, apply)) {
            assertThat(run.exitCode()).as(run.out()).isEqualTo(Main.ERROR);
            assertThat(run.out())
                    .contains("Refusing to delete 3 of 4 recorded works (more than --max-delete-fraction 0.5)")
                    .contains("things/team-a/r1, things/team-a/r2, things/team-a/r3")
                    .contains("pass --allow-mass-delete if this is intended")
                    .doesNotContain("committed ");
        }
        assertThat(head(repo)).as("nothing committed while refused").isEqualTo(before);
        assertThat(repo.tree()).isEqualTo(tree);

        StateRepo.Run higher = repo.kbr(platform.dir(), "plan", "--max-delete-fraction", "0.75");
        assertThat(higher.exitCode())
                .as("3 of 4 is not more than 0.75: " + higher.out())
                .isZero();

        StateRepo.Run allowed = repo.kbr(platform.dir(), "apply", "--allow-mass-delete");
        assertThat(allowed.exitCode()).as(allowed.out()).isZero();
        assertThat(repo.tree()).noneMatch(p -> p.contains("/r1/")).anyMatch(p -> p.contains("/r4/"));
        System.out.println("GuardIT mass-delete: recorded-works=4 deleting=3 max-fraction=0.5 refused-runs=2"
                + " commits-while-refused=0 allowed-with-flag=1");
    }

    @Test
    void aWrongPlatformPathIsAnErrorNamingItAndDeletesNothing() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), "");
        platform.request("r1", "{colour: blue}");
        assertThat(repo.kbr(platform.dir(), "apply").exitCode()).isZero();
        String before = head(repo);

        Path missing = tmp.resolve("no-such-folder");
        Path file = Files.writeString(tmp.resolve("platform.yaml"), "kind: Promise\n");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path unrelated = Files.createDirectories(tmp.resolve("unrelated"));
        Files.writeString(unrelated.resolve("config.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        List<Path> wrong = List.of(missing, file, empty, unrelated);
        int errors = 0;
        for (Path path : wrong) {
            for (String command : List.of("plan", "apply")) {
                StateRepo.Run run = repo.kbr(path, command);
                assertThat(run.exitCode()).as(run.out()).isEqualTo(Main.ERROR);
                assertThat(run.out()).contains(path.toString()).contains("--platform");
                errors++;
            }
        }
        assertThat(head(repo)).isEqualTo(before);
        System.out.println("GuardIT wrong-platform: paths=" + wrong.size() + " runs=" + errors + " errors=" + errors
                + " commits=0");
    }

    @Test
    void aWorkThatNewlyWritesAnotherWorksObjectFailsAndTheRestIsApplied() throws Exception {
        conflicts("", ThingsPlatform.out("r2", "cm.yaml"));
    }

    @Test
    void conflictsAreFoundOnObjectsInAggregatedYamlToo() throws Exception {
        conflicts("  filepath: {mode: aggregatedYAML, filename: all.yaml}\n", "worker/all.yaml, workload cm.yaml");
    }

    private void conflicts(String destinationExtra, String r2File) throws Exception {
        StateRepo repo = StateRepo.bare(tmp);
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), destinationExtra);
        platform.request("r1", "{colour: blue}").request("r2", "{colour: blue}").request("r3", "{colour: blue}");
        StateRepo.Run first = repo.kbr(platform.dir(), "apply");
        assertThat(first.exitCode()).as(first.out()).isZero();
        String r2Before = delivered(repo, "r2");

        // r2 now writes r1's ConfigMap; r3 changes as usual.
        platform.request("r2", "{colour: red, configMap: r1}").request("r3", "{colour: green}");
        StateRepo.Run apply = repo.kbr(platform.dir(), "apply");
        assertThat(apply.exitCode()).as(apply.out()).isEqualTo(Main.ERROR);
        assertThat(apply.out())
                .contains("ConfigMap team-a/r1 is written to Destination worker by")
                .contains("things/team-a/r1 pipeline make (")
                .contains("things/team-a/r2 pipeline make (" + r2File + ")")
                .contains(
                        "Flux would fail the whole Kustomization, so things/team-a/r2 pipeline make is treated as failed");
        assertThat(delivered(repo, "r2")).as("r2 keeps what it delivered").isEqualTo(r2Before);
        assertThat(delivered(repo, "r3")).as("the rest of the pass is applied").contains("colour: green");
        assertThat(delivered(repo, "r1")).contains("name: r1").contains("colour: blue");

        StateRepo.Run again = repo.kbr(platform.dir(), "plan");
        assertThat(again.exitCode())
                .as("the conflict is reported again, not hidden by the cache: " + again.out())
                .isEqualTo(Main.ERROR);
        assertThat(again.out()).contains("ConfigMap team-a/r1 is written to Destination worker");
        System.out.println("GuardIT conflict (" + (destinationExtra.isEmpty() ? "nested" : "aggregatedYAML")
                + "): works=3 conflicting-objects=1 failed-works=1 applied-works=2 exit=" + apply.exitCode());
    }

    /** The ConfigMap request {@code name} delivered, in either layout. */
    private static String delivered(StateRepo repo, String name) throws Exception {
        if (!repo.tree().contains("worker/all.yaml")) {
            return repo.show(ThingsPlatform.out(name, "cm.yaml"));
        }
        for (String doc : repo.show("worker/all.yaml").split("\n---\n")) {
            if (doc.contains("metadata: {name: " + name + ",")) {
                return doc;
            }
        }
        throw new AssertionError("no ConfigMap " + name + " in worker/all.yaml");
    }

    @Test
    void binaryAndNonUtf8OutputsAreDeliveredByteForByteAndDiffedAsBinary() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), "");
        platform.request("r1", "{colour: blue, binary: true}");
        StateRepo.Run apply = repo.kbr(platform.dir(), "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(blob(repo, ThingsPlatform.out("r1", "blob.bin")))
                .isEqualTo(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 'b', 'l', 'u', 'e'});
        assertThat(blob(repo, ThingsPlatform.out("r1", "latin1.txt")))
                .isEqualTo(new byte[] {'c', 'a', 'f', (byte) 0xe9, ' ', 'b', 'l', 'u', 'e', '\n'});

        platform.request("r1", "{colour: green, binary: true}");
        StateRepo.Run plan = repo.kbr(platform.dir(), "plan");
        assertThat(plan.exitCode()).as(plan.out()).isZero();
        assertThat(plan.out())
                .contains("~ " + ThingsPlatform.out("r1", "blob.bin"))
                .contains("binary file: 8 bytes -> 9 bytes")
                .contains("binary file: 10 bytes -> 11 bytes")
                .contains("+data: {colour: green}");
        System.out.println("GuardIT binary: files=2 delivered-byte-for-byte=2 diffs-shown-as-binary=2");
    }

    private byte[] blob(StateRepo repo, String path) throws Exception {
        Process process = new ProcessBuilder(
                        "git", "--git-dir", repo.dir().toString(), "cat-file", "blob", "main:" + path)
                .directory(tmp.toFile())
                .start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).isZero();
        return bytes;
    }

    @Test
    void secretValuesAreRedactedInDiffsUnlessShowSecrets() throws Exception {
        StateRepo repo = StateRepo.bare(tmp);
        ThingsPlatform platform = new ThingsPlatform(tmp.resolve("platform"), "");
        platform.request("r1", "{colour: blue, password: hunter2-old}");
        assertThat(repo.kbr(platform.dir(), "apply").exitCode()).isZero();
        platform.request("r1", "{colour: blue, password: hunter2-new!}");
        String secretFile = ThingsPlatform.out("r1", "secret.yaml");

        StateRepo.Run plan = repo.kbr(platform.dir(), "plan");
        assertThat(plan.exitCode()).as(plan.out()).isZero();
        assertThat(plan.out()).contains("~ " + secretFile).doesNotContain("hunter2");
        List<String> redacted = new ArrayList<>();
        plan.out().lines().filter(l -> l.contains("password: \"<redacted: ")).forEach(redacted::add);
        assertThat(redacted)
                .as("the change is visible as two different redactions: " + plan.out())
                .hasSize(2)
                .anyMatch(l -> l.strip().startsWith("-  password:"))
                .anyMatch(l -> l.strip().startsWith("+  password:"))
                .anyMatch(l -> l.contains("<redacted: 11 bytes, sha256 "))
                .anyMatch(l -> l.contains("<redacted: 12 bytes, sha256 "));

        StateRepo.Run shown = repo.kbr(platform.dir(), "plan", "--show-secrets");
        assertThat(shown.out()).contains("hunter2-old").contains("hunter2-new!");

        StateRepo.Run apply = repo.kbr(platform.dir(), "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(apply.out()).doesNotContain("hunter2");
        assertThat(repo.show(secretFile))
                .as("only the printed diff is redacted")
                .contains("password: hunter2-new!");
        System.out.println("GuardIT secrets: secret-values-in-plan=0 redacted-lines=" + redacted.size()
                + " values-with-show-secrets=2 committed-unchanged=1");
    }
}
