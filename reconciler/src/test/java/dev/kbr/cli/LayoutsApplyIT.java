package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every filepath mode end to end: {@code kbr apply} of the layouts platform (one Destination per
 * mode, all below the state store path {@code clusters}) with real pipeline containers into a
 * real bare Git repo, checked with the git CLI and built with Flux's kustomize build ({@code
 * flux-build}) the way each mode is meant to be read.
 */
class LayoutsApplyIT {
    private static final Path LAYOUTS = SharedFiles.repoRoot().resolve("fixtures/platforms/layouts");

    private static final String NESTED_N1 = "clusters/nested/resources/default/catalog/n1/resource-configure/";
    private static final String NESTED_F1_MONITOR =
            "clusters/nested/resources/default/catalog/f1/resource-configure/89948/monitoring/default-f1.yaml";
    private static final String FLAT_F1_STATE =
            "clusters/flat/.kratix/default-catalog-f1-resource-configure-4b3f7.flat-5058f.yaml";
    private static final String CATALOG = "clusters/aggregated/catalog.yaml";

    private static final List<String> TREE = List.of(
            "clusters/aggregated/catalog.yaml",
            "clusters/aggregated/kratix-canary-configmap.yaml",
            "clusters/aggregated/kratix-canary-namespace.yaml",
            FLAT_F1_STATE,
            "clusters/flat/.kratix/default-catalog-f2-resource-configure-d1ba5.flat-5058f.yaml",
            "clusters/flat/.kratix/kratix-platform-system-catalog-promise-configure-c0d23.flat-5058f.yaml",
            "clusters/flat/dependencies/catalog-system.yaml",
            "clusters/flat/kratix-canary-configmap.yaml",
            "clusters/flat/kratix-canary-namespace.yaml",
            "clusters/flat/resources/default-f1.yaml",
            "clusters/flat/resources/default-f2.yaml",
            "clusters/nested/dependencies/catalog/promise-configure/5058f/dependencies/catalog-system.yaml",
            "clusters/nested/dependencies/kratix-canary-namespace.yaml",
            NESTED_F1_MONITOR,
            NESTED_N1 + "5058f/resources/default-n1.yaml",
            // md5("monitoring") starts with 89948: the directory group's own folder.
            NESTED_N1 + "89948/monitoring/default-n1.yaml",
            "clusters/nested/resources/default/catalog/n2/resource-configure/5058f/resources/default-n2.yaml",
            "clusters/nested/resources/kratix-canary-configmap.yaml");

    private static final String ENTRY_A1 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: entry-a1\n"
            + "  namespace: default\ndata:\n  target: aggregated\n";
    private static final String ENTRY_A2 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: entry-a2\n"
            + "  namespace: team-a\ndata:\n  target: aggregated\n";
    private static final String CATALOG_SYSTEM = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: catalog-system\n"
            + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: catalog-info\n  namespace: catalog-system\n"
            + "data:\n  layouts: nested, aggregated, flat\n";

    @TempDir
    Path tmp;

    private StateRepo repo;

    @BeforeEach
    void bareStateRepo() throws Exception {
        repo = StateRepo.bare(tmp);
    }

    @Test
    void writesEveryModeInOneCommitAndEachBuildsForFlux() throws Exception {
        StateRepo.Run apply = repo.kbr(LAYOUTS, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(repo.git("rev-list", "--count", "main").strip()).isEqualTo("1");
        List<String> tree = repo.tree();
        assertThat(tree.stream().filter(p -> !p.startsWith("clusters/.kbr/")))
                .containsExactlyInAnyOrderElementsOf(TREE);
        assertThat(tree)
                .allMatch(p -> p.startsWith("clusters/"))
                .contains(
                        "clusters/.kbr/destinations/aggregated.json",
                        "clusters/.kbr/destinations/flat.json",
                        "clusters/.kbr/destinations/nested.json");

        // WorkPlacements by name (catalog-a1-…, catalog-a2-…, catalog-promise-configure-…), joined as Kratix joins
        // them.
        assertThat(repo.show(CATALOG)).isEqualTo(ENTRY_A1 + "\n---\n" + ENTRY_A2 + "\n---\n" + CATALOG_SYSTEM);
        assertThat(repo.show(FLAT_F1_STATE)).isEqualTo("files:\n- flat/resources/default-f1.yaml\n");
        assertThat(repo.show(
                        "clusters/flat/.kratix/kratix-platform-system-catalog-promise-configure-c0d23.flat-5058f.yaml"))
                .isEqualTo("files:\n- flat/dependencies/catalog-system.yaml\n");
        assertThat(repo.show("clusters/.kbr/destinations/flat.json"))
                .contains(
                        "\"mode\" : \"none\"", "\"cleanup\" : \"none\"", "clusters/flat/kratix-canary-namespace.yaml");

        Path checkout = export();
        assertBuilds(
                checkout,
                "clusters/nested/dependencies",
                "clusters/nested/resources",
                "clusters/aggregated",
                "clusters/flat/dependencies",
                "clusters/flat/resources");
        // A Kustomization at the whole none-mode folder needs the .kratix/ state files left out of
        // the Flux source (GitRepository spec.ignore); then the canaries are applied too.
        deleteRecursively(checkout.resolve("clusters/flat/.kratix"));
        assertBuilds(checkout, "clusters/flat");
    }

    @Test
    void aSecondApplyChangesNothingAndMakesNoCommit() throws Exception {
        assertThat(repo.kbr(LAYOUTS, "apply").exitCode()).isZero();
        String head = repo.git("rev-parse", "main").strip();

        StateRepo.Run plan = repo.kbr(LAYOUTS, "plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.out()).isZero();
        assertThat(plan.out()).contains("No changes.");

        StateRepo.Run again = repo.kbr(LAYOUTS, "apply");
        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(repo.git("rev-parse", "main").strip()).isEqualTo(head);
    }

    @Test
    void removingARequestRemovesExactlyItsFilesInEveryMode() throws Exception {
        assertThat(repo.kbr(LAYOUTS, "apply").exitCode()).isZero();
        Path platform = copyOfLayouts();
        for (String request : List.of("n1", "a2", "f1")) {
            Files.delete(platform.resolve("requests/" + request + ".yaml"));
        }

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(changes().stream().filter(c -> !c.contains("clusters/.kbr/")))
                .containsExactlyInAnyOrder(
                        "M\t" + CATALOG,
                        "D\t" + FLAT_F1_STATE,
                        "D\tclusters/flat/resources/default-f1.yaml",
                        "D\t" + NESTED_F1_MONITOR,
                        "D\t" + NESTED_N1 + "5058f/resources/default-n1.yaml",
                        "D\t" + NESTED_N1 + "89948/monitoring/default-n1.yaml");
        assertThat(repo.show(CATALOG)).isEqualTo(ENTRY_A1 + "\n---\n" + CATALOG_SYSTEM);
        assertBuilds(export(), "clusters/nested/resources", "clusters/aggregated", "clusters/flat/resources");
    }

    @Test
    void turningInitWorkloadsOffDeletesTheCanaries() throws Exception {
        assertThat(repo.kbr(LAYOUTS, "apply").exitCode()).isZero();
        Path platform = copyOfLayouts();
        for (String destination : List.of("nested", "aggregated", "flat")) {
            Path file = platform.resolve("destinations/" + destination + ".yaml");
            Files.writeString(file, Files.readString(file) + "  initWorkloads:\n    enabled: false\n");
        }

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(changes().stream().filter(c -> !c.contains("clusters/.kbr/")))
                .containsExactlyInAnyOrder(
                        "D\tclusters/nested/dependencies/kratix-canary-namespace.yaml",
                        "D\tclusters/nested/resources/kratix-canary-configmap.yaml",
                        "D\tclusters/aggregated/kratix-canary-namespace.yaml",
                        "D\tclusters/aggregated/kratix-canary-configmap.yaml",
                        "D\tclusters/flat/kratix-canary-namespace.yaml",
                        "D\tclusters/flat/kratix-canary-configmap.yaml");
    }

    @Test
    void aDestinationRemovedWithCleanupNoneKeepsItsFilesAndItsRequests() throws Exception {
        assertThat(repo.kbr(LAYOUTS, "apply").exitCode()).isZero();
        List<String> before = lsTree();
        Path platform = copyOfLayouts();
        replaceDestination(platform, "aggregated", "aggregated2");

        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(apply.out())
                .contains("Destination aggregated is gone from the platform and has cleanup: none, so the 3 file(s)");
        assertThat(lsTree())
                .as("every file written for aggregated is still there, unchanged")
                .containsAll(before.stream()
                        .filter(line -> line.contains("clusters/aggregated/"))
                        .toList());
        // a1 and a2 stay placed on the removed Destination: aggregated2 only gets the Promise's output.
        assertThat(repo.tree().stream().filter(p -> p.startsWith("clusters/aggregated2/")))
                .containsExactlyInAnyOrder(
                        "clusters/aggregated2/catalog.yaml",
                        "clusters/aggregated2/kratix-canary-configmap.yaml",
                        "clusters/aggregated2/kratix-canary-namespace.yaml");
        assertThat(repo.show("clusters/aggregated2/catalog.yaml")).isEqualTo(CATALOG_SYSTEM);
        assertThat(repo.show("clusters/.kbr/works/catalog/resources/team-a/a2/resource-configure.json"))
                .contains("\"destination\" : \"aggregated\"");
    }

    @Test
    void aDestinationRemovedWithCleanupAllIsEmptiedAndItsRequestsArePlacedAgain() throws Exception {
        Path platform = copyOfLayouts();
        Path flat = platform.resolve("destinations/flat.yaml");
        Files.writeString(flat, Files.readString(flat) + "  cleanup: all\n");
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        assertThat(repo.show("clusters/.kbr/destinations/flat.json")).contains("\"cleanup\" : \"all\"");
        String monitor = repo.git("rev-parse", "main:" + NESTED_F1_MONITOR).strip();

        replaceDestination(platform, "flat", "flat2");
        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        List<String> tree = repo.tree();
        assertThat(tree)
                .noneMatch(p -> p.startsWith("clusters/flat/"))
                .doesNotContain("clusters/.kbr/destinations/flat.json");
        assertThat(tree.stream().filter(p -> p.startsWith("clusters/flat2/")))
                .containsExactlyInAnyOrder(
                        "clusters/flat2/.kratix/default-catalog-f1-resource-configure-4b3f7.flat2-5058f.yaml",
                        "clusters/flat2/.kratix/default-catalog-f2-resource-configure-d1ba5.flat2-5058f.yaml",
                        "clusters/flat2/.kratix/kratix-platform-system-catalog-promise-configure-c0d23.flat2-5058f.yaml",
                        "clusters/flat2/dependencies/catalog-system.yaml",
                        "clusters/flat2/kratix-canary-configmap.yaml",
                        "clusters/flat2/kratix-canary-namespace.yaml",
                        "clusters/flat2/resources/default-f1.yaml",
                        "clusters/flat2/resources/default-f2.yaml");
        assertThat(repo.show("clusters/flat2/.kratix/default-catalog-f1-resource-configure-4b3f7.flat2-5058f.yaml"))
                .isEqualTo("files:\n- flat2/resources/default-f1.yaml\n");
        assertThat(repo.git("rev-parse", "main:" + NESTED_F1_MONITOR).strip())
                .as("f1's monitoring group on nested is untouched")
                .isEqualTo(monitor);
        assertBuilds(export(), "clusters/flat2/dependencies", "clusters/flat2/resources");
    }

    // --- helpers ------------------------------------------------------------------------------

    /** Replaces a Destination by another with the same labels and mode under a new name and path. */
    private static void replaceDestination(Path platform, String old, String replacement) throws IOException {
        Path file = platform.resolve("destinations/" + old + ".yaml");
        String text = Files.readString(file)
                .replace("name: " + old + "\n", "name: " + replacement + "\n")
                .replace("path: " + old + "\n", "path: " + replacement + "\n");
        Files.delete(file);
        Files.writeString(platform.resolve("destinations/" + replacement + ".yaml"), text);
    }

    /** {@code ls-tree} lines: mode, type, blob id and path, so unchanged content can be compared. */
    private List<String> lsTree() throws Exception {
        return repo.git("ls-tree", "-r", "main").lines().toList();
    }

    /** {@code <status>\t<path>} of every file the last commit changed. */
    private List<String> changes() throws Exception {
        return repo.git("diff", "--name-status", "main~1", "main").lines().toList();
    }

    private void assertBuilds(Path checkout, String... folders) throws Exception {
        Path fluxBuild = SharedFiles.require("tools/flux-build");
        for (String folder : folders) {
            var built = Processes.run(
                    tmp,
                    List.of(fluxBuild.toString(), "-q", checkout.resolve(folder).toString()));
            assertThat(built.exitCode()).as(folder + ": " + built.output()).isZero();
        }
    }

    private Path export() throws Exception {
        Path checkout = tmp.resolve("checkout");
        deleteRecursively(checkout);
        Files.createDirectories(checkout);
        Processes.check(
                tmp,
                "git",
                "--git-dir",
                repo.dir().toString(),
                "--work-tree",
                checkout.toString(),
                "checkout",
                "-f",
                "main",
                "--",
                ".");
        return checkout;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private Path copyOfLayouts() throws IOException {
        return Trees.copy(LAYOUTS, tmp.resolve("layouts"));
    }
}
