package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.StateRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise versions end to end through the CLI, with real pipeline containers (the Docker engine,
 * {@code kbr.local/busybox-base} from {@code ci/build-fixture-images}) and a real bare Git state
 * repo: Promise {@code things} at version v2, a PromiseRevision of v1 whose pipeline writes another
 * ConfigMap, and requests bound to a revision by ResourceBindings, or not bound at all.
 */
class PromiseVersionsIT {
    private static final String OUT = "worker/resources/team-a/things/";

    @TempDir
    Path tmp;

    private StateRepo repo;
    private Path platform;

    @BeforeEach
    void platformAndStateRepo() throws Exception {
        repo = StateRepo.bare(Files.createDirectories(tmp.resolve("state")));
        platform = PlatformYaml.newPlatform(tmp.resolve("platform"), PlatformYaml.gitStoreAndUnlabelledWorker());
        versions(PlatformYaml.configureWorkflows(pipeline("v2")), PlatformYaml.configureWorkflows(pipeline("v1")));
        for (String name : new String[] {"pinned", "floating"}) {
            Files.writeString(platform.resolve("request-" + name + ".yaml"), """
                    apiVersion: test.kbr.dev/v1
                    kind: Thing
                    metadata: {name: %s, namespace: team-a}
                    spec: {}
                    """.formatted(name));
        }
        bind("v1");
    }

    @Test
    void aPinnedRequestGetsItsRevisionsOutputAndMovingTheBindingReRunsIt() throws Exception {
        StateRepo.Run first = repo.kbr(platform, "apply");
        assertThat(first.exitCode()).as(first.out()).isZero();
        assertThat(repo.show(out("pinned"))).contains("madeBy: v1");
        assertThat(repo.show(out("floating"))).contains("madeBy: v2");
        // The status records the revision each ran and what its binding asks for, as Kratix's does.
        assertThat(repo.show(".kbr/objects/things/resources/team-a/pinned.json"))
                .contains("\"promiseVersion\" : \"v1\"")
                .contains("\"resourceBindingVersion\" : \"v1\"");
        assertThat(repo.show(".kbr/objects/things/resources/team-a/floating.json"))
                .contains("\"promiseVersion\" : \"v2\"")
                .contains("\"resourceBindingVersion\" : \"latest\"");
        StateRepo.Run status = repo.run(java.util.List.of("status", "--platform", platform.toString()));
        assertThat(status.out()).contains("promise version: v1 (binding: v1)");

        StateRepo.Run again = repo.kbr(platform, "plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.out()).isZero();

        bind("latest");
        StateRepo.Run upgrade = repo.kbr(platform, "apply");
        assertThat(upgrade.exitCode()).as(upgrade.out()).isZero();
        assertThat(upgrade.out()).containsPattern("pinned.*input changed").containsPattern("cached .*floating");
        assertThat(repo.show(out("pinned"))).contains("madeBy: v2").doesNotContain("madeBy: v1");
        assertThat(repo.show(".kbr/objects/things/resources/team-a/pinned.json"))
                .contains("\"promiseVersion\" : \"v2\"")
                .contains("\"resourceBindingVersion\" : \"latest\"");
        assertThat(repo.git("rev-list", "--count", "main").strip()).isEqualTo("2");

        StateRepo.Run clean = repo.kbr(platform, "plan", "--detailed-exitcode");
        assertThat(clean.exitCode()).as(clean.out()).isZero();
    }

    @Test
    void aBindingToARemovedRevisionFailsThatRequestOnlyAndDeletesNothing() throws Exception {
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        String before = repo.git("rev-parse", "main").strip();

        Files.delete(platform.resolve("revision-v1.yaml"));
        Files.writeString(platform.resolve("request-another.yaml"), """
                apiVersion: test.kbr.dev/v1
                kind: Thing
                metadata: {name: another, namespace: team-a}
                spec: {}
                """);
        StateRepo.Run broken = repo.kbr(platform, "apply");

        assertThat(broken.exitCode()).as(broken.out()).isEqualTo(Main.ERROR);
        assertThat(broken.out())
                .contains("binding-pinned.yaml:5")
                .contains("spec.version")
                .contains("version v1 of Promise things, which has no such revision")
                .contains("set spec.version to latest");
        // kbr validate, which runs nothing, reports the same.
        java.io.StringWriter checked = new java.io.StringWriter();
        int validate = Main.run(
                new java.io.PrintWriter(checked),
                new java.io.PrintWriter(checked),
                "validate",
                "--platform",
                platform.toString());
        assertThat(validate).as(checked.toString()).isEqualTo(Main.ERROR);
        assertThat(checked.toString()).contains("binding-pinned.yaml:5").contains("has no such revision");
        // The other requests carry on: the new one is delivered in a new commit.
        assertThat(repo.git("rev-parse", "main").strip()).isNotEqualTo(before);
        assertThat(repo.show(out("another"))).contains("madeBy: v2");
        // The failed request keeps what it delivered.
        assertThat(repo.show(out("pinned"))).contains("madeBy: v1");
        assertThat(repo.show(out("floating"))).contains("madeBy: v2");
    }

    @Test
    void aRemovedRequestRunsTheDeleteWorkflowOfTheRevisionItLastAppliedEvenWhenItsBindingIsGone() throws Exception {
        // Each version's delete pipeline has its own name, so the report says which one ran.
        versions(withDelete(pipeline("v2"), "forget-v2"), withDelete(pipeline("v1"), "forget-v1"));
        StateRepo.Run first = repo.kbr(platform, "apply");
        assertThat(first.exitCode()).as(first.out()).isZero();

        Files.delete(platform.resolve("request-pinned.yaml"));
        Files.delete(platform.resolve("binding-pinned.yaml"));
        StateRepo.Run removed = repo.kbr(platform, "apply");

        assertThat(removed.exitCode()).as(removed.out()).isZero();
        assertThat(removed.out())
                .as("the binding is gone, but the request last applied v1")
                .contains("things/team-a/pinned resource.delete forget-v1")
                .doesNotContain("forget-v2");
        assertThat(repo.tree()).noneMatch(path -> path.contains("/pinned/"));
        assertThat(repo.show(out("floating"))).contains("madeBy: v2");
    }

    /**
     * Promise {@code things} at version v2 with workflows {@code v2}, and its PromiseRevision v1
     * with workflows {@code v1} (each the {@code workflows:} block of a Promise spec).
     */
    private void versions(String v2, String v1) throws Exception {
        Files.writeString(
                platform.resolve("promise.yaml"),
                PlatformYaml.promise("things", "Thing")
                        .labels("kratix.io/promise-version: v2")
                        .singular()
                        .workflows(v2));
        Files.writeString(platform.resolve("revision-v1.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: PromiseRevision
                metadata: {name: things-v1}
                spec:
                  promiseRef: {name: things}
                  version: v1
                  promiseSpec:
                """ + v1.indent(2));
    }

    /** Resource configure and delete workflows: {@code configure}, and a delete pipeline {@code delete}. */
    private static String withDelete(String configure, String delete) {
        return PlatformYaml.configureWorkflows(configure)
                + "      delete:\n"
                + PlatformYaml.pipeline(delete, "echo deleting \"$KRATIX_OBJECT_NAME\"");
    }

    private void bind(String version) throws Exception {
        Files.writeString(platform.resolve("binding-pinned.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: ResourceBinding
                metadata: {name: pinned-things, namespace: team-a}
                spec:
                  version: %s
                  promiseRef: {name: things}
                  resourceRef: {name: pinned, namespace: team-a}
                """.formatted(version));
    }

    private static String out(String request) {
        return OUT + request + "/make/5058f/cm.yaml";
    }

    /** A resource.configure pipeline writing ConfigMap {@code <request>} with {@code madeBy: <version>}. */
    private static String pipeline(String version) {
        return PlatformYaml.pipeline(
                "make", PlatformYaml.writesRequestsConfigMap("cm.yaml", "{madeBy: " + version + "}"));
    }
}
