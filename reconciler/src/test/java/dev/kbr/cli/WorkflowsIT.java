package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.engine.SavedPlan;
import dev.kbr.state.FileChange;
import dev.kbr.testsupport.StateRepo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kratix's workflow contract end to end, with pipelines written as shell scripts in the Promise
 * (image {@code kbr.local/busybox-base}, built by {@code ci/build-fixture-images}) and run on the
 * real Docker engine: pipelines in order, status fed forward and back, {@code
 * workflow-control.yaml}, the {@code KRATIX_*} variables, and Secrets in the environment.
 */
class WorkflowsIT {
    @TempDir
    Path tmp;

    private StateRepo repo;
    private Path platform;

    @BeforeEach
    void setUp() throws Exception {
        repo = StateRepo.bare(tmp);
        platform = PlatformYaml.newPlatform(tmp.resolve("platform"), PlatformYaml.gitStoreAndWorker());
    }

    /** A Promise {@code steps} (kind Step) whose resource.configure pipelines run these scripts. */
    private void promise(String... scripts) throws Exception {
        String[] pipelines = new String[scripts.length];
        for (int i = 0; i < scripts.length; i++) {
            pipelines[i] = PlatformYaml.pipeline("step-" + (i + 1), scripts[i]);
        }
        Files.writeString(
                platform.resolve("promise.yaml"),
                PlatformYaml.promise("steps", "Step")
                        .selecting("env: dev")
                        .singular()
                        .specProperties("colour: {type: string}\n")
                        .configure(pipelines));
        Files.writeString(platform.resolve("request.yaml"), """
                apiVersion: test.kbr.dev/v1
                kind: Step
                metadata: {name: one, namespace: team-a}
                spec: {colour: blue}
                """);
    }

    private static final String OUT = "worker/resources/team-a/steps/one/";

    @Test
    void pipelinesRunInOrderEachItsOwnWorkAndSeeTheStatusOfEarlierOnes() throws Exception {
        promise(
                "echo 'from: step-1' > /kratix/metadata/status.yaml\n" + PlatformYaml.writesConfigMap("a", "a.yaml"),
                "seen=$(yget -f /kratix/input/object.yaml status.from none)\n"
                        + "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: b, namespace: team-a}\\ndata: {seen: %s}\\n' \"$seen\" > /kratix/output/b.yaml");
        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(apply.out().indexOf("resource.configure step-1"))
                .isLessThan(apply.out().indexOf("resource.configure step-2"));
        assertThat(repo.git("show", "main:" + OUT + "step-1/5058f/a.yaml")).contains("name: a");
        assertThat(repo.git("show", "main:" + OUT + "step-2/5058f/b.yaml")).contains("seen: step-1");
        assertThat(repo.git("show", "main:.kbr/objects/steps/resources/team-a/one.json"))
                .contains("\"workflows\" : 2")
                .contains("\"workflowsSucceeded\" : 2");
    }

    @Test
    void theRecordedStatusIsFedBackOnTheNextRun() throws Exception {
        promise("n=$(yget -f /kratix/input/object.yaml status.runs 0)\n"
                + "echo \"runs: $((n + 1))\" > /kratix/metadata/status.yaml\n"
                + PlatformYaml.writesConfigMap("a", "a.yaml"));
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        assertThat(repo.git("show", "main:.kbr/objects/steps/resources/team-a/one.json"))
                .contains("\"runs\" : 1");
        // Inputs did not change, so the run is forced: the cache would otherwise keep the outputs.
        assertThat(repo.kbr(platform, "apply", "--reconcile-all").exitCode()).isZero();
        assertThat(repo.git("show", "main:.kbr/objects/steps/resources/team-a/one.json"))
                .contains("\"runs\" : 2");
    }

    @Test
    void aSuspendingPipelineStopsTheWorkflowAndKeepsPreviousOutputs() throws Exception {
        promise(PlatformYaml.writesConfigMap("a", "a.yaml"), PlatformYaml.writesConfigMap("b", "b.yaml"));
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        promise(
                PlatformYaml.writesConfigMap("a2", "a.yaml") + "\n"
                        + "printf 'suspend: true\\nmessage: waiting for approval\\n' > /kratix/metadata/workflow-control.yaml",
                "echo never > /kratix/output/never.yaml");
        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode())
                .as("a suspension is pending, not an error: " + apply.out())
                .isZero();
        assertThat(apply.out()).contains("suspended the workflow").contains("waiting for approval");
        assertThat(apply.out()).doesNotContain("resource.configure step-2");
        assertThat(repo.git("show", "main:" + OUT + "step-1/5058f/a.yaml"))
                .as("the Work is not rewritten")
                .contains("{name: a,");
        assertThat(repo.git("show", "main:" + OUT + "step-2/5058f/b.yaml")).contains("name: b");
        assertThat(repo.git("show", "main:.kbr/objects/steps/resources/team-a/one.json"))
                .contains("\"phase\" : \"Suspended\"")
                .contains("waiting for approval");
    }

    @Test
    void aHungPipelineIsStoppedAtTheTimeoutAndDoesNotStallOtherRequests() throws Exception {
        promise("if [ \"$KRATIX_OBJECT_NAME\" = slow ]; then sleep 120; fi\n"
                + PlatformYaml.writesRequestsConfigMap("a.yaml", ""));
        Files.writeString(platform.resolve("slow.yaml"), """
                apiVersion: test.kbr.dev/v1
                kind: Step
                metadata: {name: slow, namespace: team-a}
                spec: {colour: red}
                """);
        StateRepo.Run apply = repo.kbr(platform, "apply", "--parallelism", "2", "--pipeline-timeout", "5s");
        assertThat(apply.exitCode()).as(apply.out()).isEqualTo(Main.ERROR);
        assertThat(apply.out())
                .contains("FAILED steps/team-a/slow resource.configure step-1")
                .contains("timed out")
                .contains("ok     steps/team-a/one resource.configure step-1");
        assertThat(repo.show(OUT + "step-1/5058f/a.yaml")).contains("name: one");
    }

    @Test
    void containersGetEveryKratixVariableAndSecretsNeverAppearInTheReportNorInAFailedPipelinesLog() throws Exception {
        promise("env | grep -E '^(KRATIX_|TOKEN=)' | sort | sed 's/^/# /' > /kratix/output/env.txt\n"
                + PlatformYaml.writesConfigMap("a", "a.yaml") + "\n"
                + "echo \"token was $TOKEN\" >&2; exit 3");
        Path promiseFile = platform.resolve("promise.yaml");
        Files.writeString(
                promiseFile,
                Files.readString(promiseFile)
                        .replace(
                                "command: [sh, -c]",
                                "command: [sh, -c]\n" + " ".repeat(12) + "env:\n" + " ".repeat(12)
                                        + "- {name: TOKEN, valueFrom: {secretKeyRef: {name: creds, key: token}}}"));
        Path secrets = Files.createDirectories(tmp.resolve("secrets/team-a/creds"));
        Files.writeString(secrets.resolve("token"), "hunter2");

        StateRepo.Run failing = repo.kbr(
                platform, "apply", "--secrets-dir", tmp.resolve("secrets").toString());
        assertThat(failing.exitCode()).isEqualTo(Main.ERROR);
        assertThat(failing.out())
                .contains("exited with code 3")
                .contains("token was <Secret ")
                .doesNotContain("hunter2");

        Path missing = Files.createDirectories(tmp.resolve("empty"));
        StateRepo.Run noSecret = repo.kbr(platform, "apply", "--secrets-dir", missing.toString());
        assertThat(noSecret.out())
                .contains("needs Secret team-a/creds key token")
                .doesNotContain("hunter2");

        Files.writeString(promiseFile, Files.readString(promiseFile).replace("; exit 3", ""));
        StateRepo.Run apply = repo.kbr(
                platform, "apply", "--secrets-dir", tmp.resolve("secrets").toString());
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(apply.out()).doesNotContain("hunter2");
        assertThat(repo.git("show", "main:" + OUT + "step-1/5058f/env.txt"))
                .contains("# KRATIX_WORKFLOW_ACTION=configure")
                .contains("# KRATIX_WORKFLOW_TYPE=resource")
                .contains("# KRATIX_PROMISE_NAME=steps")
                .contains("# KRATIX_PIPELINE_NAME=step-1")
                .contains("# KRATIX_OBJECT_KIND=Step")
                .contains("# KRATIX_OBJECT_GROUP=test.kbr.dev")
                .contains("# KRATIX_OBJECT_VERSION=v1")
                .contains("# KRATIX_OBJECT_NAME=one")
                .contains("# KRATIX_OBJECT_NAMESPACE=team-a")
                .contains("# KRATIX_CRD_PLURAL=steps")
                .contains("# KRATIX_CLUSTER_SCOPED=false")
                .contains("# TOKEN=hunter2");
    }

    @Test
    void planAndRenderRunPipelinesAsADryRunAndASavedPlanOfTheirOutputsIsOnlyAppliedWhenAccepted() throws Exception {
        promise(
                "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a, namespace: team-a}\\ndata: {dryRun: \"%s\"}\\n'"
                        + " \"${KRATIX_DRY_RUN:-absent}\" > /kratix/output/a.yaml");
        Path plan = tmp.resolve("plan.json");
        StateRepo.Run planned = repo.kbr(platform, "plan", "--out", plan.toString());
        assertThat(planned.exitCode()).as(planned.out()).isZero();
        assertThat(planned.out()).contains("made by 1 pipeline run(s) with KRATIX_DRY_RUN=true");
        SavedPlan saved = SavedPlan.read(plan);
        assertThat(saved.dryRunPipelines()).containsExactly("steps/team-a/one resource.configure step-1");
        FileChange.Added file = (FileChange.Added) saved.stores().get(0).changes().changes().stream()
                .filter(c -> c.path().equals(OUT + "step-1/5058f/a.yaml"))
                .findFirst()
                .orElseThrow();
        assertThat(new String(file.content(), StandardCharsets.UTF_8)).contains("dryRun: \"true\"");

        StateRepo.Run refused = repo.run(List.of("apply", plan.toString(), "--platform", platform.toString()));
        assertThat(refused.exitCode()).as(refused.out()).isEqualTo(Main.ERROR);
        assertThat(refused.out())
                .contains("The saved plan holds outputs of 1 pipeline run(s) made with KRATIX_DRY_RUN=true"
                        + " (steps/team-a/one resource.configure step-1)")
                .contains("--accept-dry-run-outputs");
        assertThat(repo.git("for-each-ref")).as("nothing written").isEmpty();
        StateRepo.Run misplaced = repo.kbr(platform, "apply", "--accept-dry-run-outputs");
        assertThat(misplaced.exitCode()).isEqualTo(Main.ERROR);
        assertThat(misplaced.out()).contains("--accept-dry-run-outputs applies only to a saved plan");

        StateRepo.Run accepted = repo.run(
                List.of("apply", plan.toString(), "--platform", platform.toString(), "--accept-dry-run-outputs"));
        assertThat(accepted.exitCode()).as(accepted.out()).isZero();
        assertThat(accepted.out()).contains("--accept-dry-run-outputs: committing outputs of 1 pipeline run(s)");
        assertThat(repo.show(OUT + "step-1/5058f/a.yaml")).contains("dryRun: \"true\"");

        StateRepo.Run live = repo.kbr(platform, "apply", "--reconcile-all");
        assertThat(live.exitCode()).as(live.out()).isZero();
        assertThat(repo.show(OUT + "step-1/5058f/a.yaml"))
                .as("kbr apply sets no KRATIX_DRY_RUN, as Kratix on a request that is not a dry run")
                .contains("dryRun: \"absent\"");
        Path cachedPlan = tmp.resolve("cached.json");
        assertThat(repo.kbr(platform, "plan", "--out", cachedPlan.toString()).exitCode())
                .isZero();
        assertThat(SavedPlan.read(cachedPlan).dryRunPipelines())
                .as("every object cached")
                .isEmpty();
        StateRepo.Run cachedApply =
                repo.run(List.of("apply", cachedPlan.toString(), "--platform", platform.toString()));
        assertThat(cachedApply.exitCode())
                .as("a plan holding no dry-run output needs no flag: " + cachedApply.out())
                .isZero();

        Path rendered = tmp.resolve("rendered");
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(out), new String[] {
            "render",
            "--platform",
            platform.toString(),
            "--promise",
            "steps",
            "--request",
            platform.resolve("request.yaml").toString(),
            "--out",
            rendered.toString()
        });
        assertThat(code).as(out.toString()).isZero();
        assertThat(Files.readString(rendered.resolve("1-step-1/output/a.yaml"))).contains("dryRun: \"true\"");
    }

    @Test
    void aRetryAfterIsRecordedAsNextRetryAtAndAttemptsAndTheWorkflowWaitsUntilThen() throws Exception {
        String retry = PlatformYaml.writesConfigMap("a", "a.yaml") + "\n"
                + "printf 'retryAfter: %s\\nmessage: not yet\\n' \"$RETRY\" > /kratix/metadata/workflow-control.yaml";
        promise(retry.replace("$RETRY", "1s"));
        String record = ".kbr/objects/steps/resources/team-a/one.json";
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        assertThat(repo.show(record)).contains("\"attempts\" : 1").contains("\"nextRetryAt\" : \"");
        Thread.sleep(1500);
        StateRepo.Run retried = repo.kbr(platform, "apply");
        assertThat(retried.exitCode()).as(retried.out()).isZero();
        assertThat(retried.out()).contains("retryAfter elapsed (nextRetryAt ");
        assertThat(repo.show(record)).as("a retry counts on").contains("\"attempts\" : 2");

        promise(retry.replace("$RETRY", "1h"));
        StateRepo.Run restarted = repo.kbr(platform, "apply");
        assertThat(restarted.exitCode()).as(restarted.out()).isZero();
        assertThat(restarted.out()).contains("input changed");
        assertThat(repo.show(record)).as("a restart forgets the retries").contains("\"attempts\" : 1");
        String head = repo.git("rev-parse", "main").strip();

        StateRepo.Run waiting = repo.kbr(platform, "apply");
        assertThat(waiting.exitCode()).as(waiting.out()).isZero();
        assertThat(waiting.out())
                .doesNotContain("resource.configure step-1")
                .contains("steps/team-a/one is suspended until ")
                .contains("it runs again in the first pass from then");
        assertThat(repo.git("rev-parse", "main").strip()).as("nothing changed").isEqualTo(head);
    }

    @Test
    void aPausedRequestOrPromiseRunsNothingKeepsWhatItDeliveredAndWaitsToBeDeletedUntilUnpaused() throws Exception {
        promise(
                "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a, namespace: team-a}\\ndata: {colour: %s}\\n'"
                        + " \"$(yget -f /kratix/input/object.yaml spec.colour none)\" > /kratix/output/a.yaml");
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        String file = OUT + "step-1/5058f/a.yaml";
        String record = ".kbr/objects/steps/resources/team-a/one.json";
        assertThat(repo.show(file)).contains("colour: blue");

        Path request = platform.resolve("request.yaml");
        String paused = """
                apiVersion: test.kbr.dev/v1
                kind: Step
                metadata:
                  name: one
                  namespace: team-a
                  labels: {kratix.io/paused: "true"}
                spec: {colour: red}
                """;
        Files.writeString(request, paused);
        StateRepo.Run whilePaused = repo.kbr(platform, "apply");
        assertThat(whilePaused.exitCode()).as(whilePaused.out()).isZero();
        assertThat(whilePaused.out())
                .doesNotContain("resource.configure step-1")
                .contains("request steps/team-a/one is paused (kratix.io/paused on it)");
        assertThat(repo.show(file)).as("what it delivered stays").contains("colour: blue");
        assertThat(repo.show(record))
                .contains("\"reason\" : \"PausedReconciliation\"")
                .contains("\"message\" : \"Paused\"");

        Files.delete(request);
        StateRepo.Run deleted = repo.kbr(platform, "apply");
        assertThat(deleted.exitCode()).as(deleted.out()).isZero();
        assertThat(deleted.out()).contains("its deletion waits until it is unpaused");
        assertThat(repo.show(file)).as("a paused request is not deleted").contains("colour: blue");

        Files.writeString(request, paused.replace("labels: {kratix.io/paused: \"true\"}", "labels: {}"));
        StateRepo.Run unpaused = repo.kbr(platform, "apply");
        assertThat(unpaused.exitCode()).as(unpaused.out()).isZero();
        assertThat(unpaused.out()).contains("resource.configure step-1");
        assertThat(repo.show(file)).contains("colour: red");
        assertThat(repo.show(record)).doesNotContain("PausedReconciliation");

        Path promiseFile = platform.resolve("promise.yaml");
        Files.writeString(
                promiseFile,
                Files.readString(promiseFile)
                        .replace(
                                "metadata: {name: steps}",
                                "metadata: {name: steps, labels: {kratix.io/paused: \"true\"}}"));
        Files.writeString(
                request,
                paused.replace("labels: {kratix.io/paused: \"true\"}", "labels: {}")
                        .replace("red", "green"));
        StateRepo.Run promisePaused = repo.kbr(platform, "apply");
        assertThat(promisePaused.exitCode()).as(promisePaused.out()).isZero();
        assertThat(promisePaused.out())
                .doesNotContain("resource.configure step-1")
                .contains("Promise steps is paused")
                .contains("request steps/team-a/one is paused (kratix.io/paused on its Promise steps)");
        assertThat(repo.show(file)).contains("colour: red");
        assertThat(repo.show(".kbr/objects/steps/promise.json"))
                .contains("\"type\" : \"Available\"")
                .contains("\"reason\" : \"PausedReconciliation\"")
                .contains("\"status\" : \"Unavailable\"");
    }

    @Test
    void healthRecordsOfThePlatformLandInTheRequestsHealthStatusAndKbrStatusShowsIt() throws Exception {
        promise(PlatformYaml.writesConfigMap("a", "a.yaml"));
        Path health = platform.resolve("health.yaml");
        Files.writeString(health, """
                apiVersion: platform.kratix.io/v1alpha1
                kind: HealthRecord
                metadata: {name: probe, namespace: team-a}
                data:
                  promiseRef: {name: steps}
                  resourceRef: {name: one, namespace: team-a}
                  state: degraded
                  lastRun: 1767225600
                  details: {latencyMs: 900}
                ---
                apiVersion: platform.kratix.io/v1alpha1
                kind: HealthRecord
                metadata: {name: backup, namespace: team-a}
                data:
                  promiseRef: {name: steps}
                  resourceRef: {name: one, namespace: team-a}
                  state: healthy
                """);
        StateRepo.Run apply = repo.kbr(platform, "apply");
        assertThat(apply.exitCode()).as(apply.out()).isZero();
        String record = repo.show(".kbr/objects/steps/resources/team-a/one.json");
        assertThat(record.replaceAll("\\s+", ""))
                .contains("\"healthStatus\":{\"healthRecords\":[{\"lastRun\":0,\"source\":{\"name\":\"backup\","
                        + "\"namespace\":\"team-a\"},\"state\":\"healthy\"},{\"details\":{\"latencyMs\":900},"
                        + "\"lastRun\":1767225600,\"source\":{\"name\":\"probe\",\"namespace\":\"team-a\"},"
                        + "\"state\":\"degraded\"}],\"state\":\"degraded\"}");
        StateRepo.Run status = repo.run(List.of("status", "--platform", platform.toString()));
        assertThat(status.out())
                .contains("health: degraded (HealthRecords: team-a/backup healthy, team-a/probe degraded)");

        Files.writeString(health, Files.readString(health).replace("state: degraded", "state: sideways"));
        StateRepo.Run invalid = repo.kbr(platform, "plan");
        assertThat(invalid.exitCode()).isEqualTo(Main.ERROR);
        assertThat(invalid.out())
                .contains("health.yaml:7")
                .contains("data.state")
                .contains("sideways");

        Files.delete(health);
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        assertThat(repo.show(".kbr/objects/steps/resources/team-a/one.json").replaceAll("\\s+", ""))
                .as("as Kratix leaves it once the last record is deleted")
                .contains("\"healthStatus\":{\"state\":\"ready\"}");
    }

    @Test
    void aDeletePipelineSuspendedWithRetryAfterDoesNotRunAgainBeforeItsNextRetryAt() throws Exception {
        promise(PlatformYaml.writesConfigMap("a", "a.yaml"));
        Path promiseFile = platform.resolve("promise.yaml");
        Files.writeString(
                promiseFile,
                Files.readString(promiseFile)
                        + "      delete:\n"
                        + "      - apiVersion: platform.kratix.io/v1alpha1\n"
                        + "        kind: Pipeline\n"
                        + "        metadata: {name: remove}\n"
                        + "        spec:\n"
                        + "          containers:\n"
                        + "          - name: run\n"
                        + "            image: kbr.local/busybox-base:v0.1.0\n"
                        + "            imagePullPolicy: Never\n"
                        + "            command: [sh, -c, \"printf 'retryAfter: 1h\\\\nmessage: draining\\\\n'"
                        + " > /kratix/metadata/workflow-control.yaml\"]\n");
        assertThat(repo.kbr(platform, "apply").exitCode()).isZero();
        String file = OUT + "step-1/5058f/a.yaml";
        String record = ".kbr/objects/steps/resources/team-a/one.json";

        Files.delete(platform.resolve("request.yaml"));
        // Its only request: the whole store's Works, which the mass-delete guard otherwise refuses.
        StateRepo.Run suspended = repo.kbr(platform, "apply", "--allow-mass-delete");
        assertThat(suspended.exitCode()).as(suspended.out()).isZero();
        assertThat(suspended.out()).contains("resource.delete remove");
        assertThat(repo.show(file)).as("kept while the delete is suspended").contains("name: a");
        assertThat(repo.show(record))
                .contains("DeleteWorkflowSuspended")
                .contains("\"attempts\" : 1")
                .contains("\"message\" : \"draining\"")
                .contains("\"nextRetryAt\" : \"");
        String head = repo.git("rev-parse", "main").strip();

        StateRepo.Run waiting = repo.kbr(platform, "apply", "--allow-mass-delete");
        assertThat(waiting.exitCode()).as(waiting.out()).isZero();
        assertThat(waiting.out())
                .doesNotContain("resource.delete remove")
                .contains("the delete pipeline is suspended until ");
        assertThat(repo.git("rev-parse", "main").strip()).as("nothing changed").isEqualTo(head);
    }
}
