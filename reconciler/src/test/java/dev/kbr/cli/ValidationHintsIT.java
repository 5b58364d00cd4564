package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.StateRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What validation says about documents that are no requests, or requests of Promises it cannot
 * check, in a whole {@code kbr apply} with real pipeline containers (the Docker engine, {@code
 * kbr.local/busybox-base}) and a real bare Git state repo: a Promise serving its API in Kratix's
 * own group delivers its requests; an operator's custom resource in a pipeline's folder, of a kind
 * another Promise serves in another group, gets no guess; a request of a Promise that failed to
 * load says so and keeps what it delivered; a real typo gets a hint at its line.
 */
class ValidationHintsIT {
    @TempDir
    Path tmp;

    @Test
    void applyDeliversWhatIsValidAndHintsOnlyAtTheTypo() throws Exception {
        StateRepo repo = StateRepo.bare(Files.createDirectories(tmp.resolve("state")));
        Path platform = PlatformYaml.newPlatform(tmp.resolve("platform"), PlatformYaml.gitStoreAndUnlabelledWorker());
        Files.writeString(
                platform.resolve("database.yaml"), promise("database", "platform.kratix.io", "v1alpha1", "Database"));
        Files.writeString(
                platform.resolve("jenkins.yaml"), promise("jenkins", "marketplace.kratix.io", "v1", "Jenkins"));
        Path templates = Files.createDirectories(platform.resolve("jenkins/configure-pipeline/resources"));
        Files.writeString(templates.resolve("jenkins-instance.yaml"), """
                apiVersion: jenkins.io/v1alpha2
                kind: Jenkins
                metadata: {name: example}
                """);
        Files.writeString(
                platform.resolve("request-db.yaml"), request("platform.kratix.io/v1alpha1", "Database", "db"));
        Files.writeString(platform.resolve("request-ci.yaml"), request("marketplace.kratix.io/v1", "Jenkins", "ci"));

        StateRepo.Run first = repo.kbr(platform, "apply");
        assertThat(first.exitCode()).as(first.out()).isZero();
        assertThat(repo.show("worker/resources/team-a/database/db/make/5058f/cm.yaml"))
                .contains("name: db");
        assertThat(repo.show("worker/resources/team-a/jenkins/ci/make/5058f/cm.yaml"))
                .contains("name: ci");
        assertThat(first.out()).doesNotContain("jenkins-instance.yaml").doesNotContain("did you mean");

        // The jenkins Promise breaks and a request has a typo in its kind.
        Files.writeString(
                platform.resolve("jenkins.yaml"),
                promise("jenkins", "marketplace.kratix.io", "v1", "Jenkins") + "  requiredPromises: oops\n");
        Files.writeString(
                platform.resolve("request-typo.yaml"), request("platform.kratix.io/v1alpha1", "Databse", "typo"));
        StateRepo.Run second = repo.kbr(platform, "apply");

        assertThat(second.exitCode()).as(second.out()).isEqualTo(Main.ERROR);
        assertThat(second.out())
                .contains(
                        "request-ci.yaml:1: warning: not checked: its Promise jenkins (jenkins.yaml:1) failed to load:"
                                + " fix that Promise first")
                .contains("request-typo.yaml:2: error: kind: is Databse, which nothing serves in"
                        + " platform.kratix.io/v1alpha1; did you mean Database (served by Promise database)?")
                .doesNotContain("jenkins-instance.yaml");
        assertThat(repo.show("worker/resources/team-a/jenkins/ci/make/5058f/cm.yaml"))
                .as("the request of the broken Promise keeps what it delivered")
                .contains("name: ci");
        assertThat(repo.show("worker/resources/team-a/database/db/make/5058f/cm.yaml"))
                .contains("name: db");
    }

    private static String request(String apiVersion, String kind, String name) {
        return """
                apiVersion: %s
                kind: %s
                metadata: {name: %s, namespace: team-a}
                spec: {}
                """.formatted(apiVersion, kind, name);
    }

    /** A Promise serving {@code group/version kind} whose pipeline writes ConfigMap {@code <request>}. */
    private static String promise(String name, String group, String version, String kind) {
        return PlatformYaml.promise(name, kind)
                .servedAs(group, version)
                .configure(PlatformYaml.pipeline("make", PlatformYaml.writesRequestsConfigMap("cm.yaml", "")));
    }
}
