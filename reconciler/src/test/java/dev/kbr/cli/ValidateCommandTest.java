package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.SharedFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kbr validate} through {@link Main#run}: no Docker engine and no state store are needed,
 * and none is touched (the platforms here name no reachable store).
 */
class ValidateCommandTest {
    private record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run kbr(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static final String PROMISE = """
            apiVersion: platform.kratix.io/v1alpha1
            kind: Promise
            metadata:
              name: thing
            spec:
              api:
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.test.kbr.dev}
                spec:
                  group: test.kbr.dev
                  names: {kind: Thing, plural: things, singular: thing}
                  scope: Namespaced
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              replicas: {type: integer, default: 1}
                              tier: {type: string, enum: [small, large]}
                            x-kubernetes-validations:
                            - rule: self.tier != 'small' || self.replicas <= 2
                              message: small things run at most 2 replicas
                              fieldPath: .replicas
              workflows:
                resource:
                  configure:
                  - apiVersion: platform.kratix.io/v1alpha1
                    kind: Pipeline
                    metadata: {name: configure}
                    spec:
                      containers:
                      - {name: configure, image: registry.invalid/never-pulled:v1}
            """;

    private static String request(String apiVersion, String kind, String name) {
        return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: " + name + "}\nspec: {}\n";
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    @Test
    void acceptsAValidPlatformAndSaysWhatItChecked(@TempDir Path root) throws IOException {
        write(root, "promises/thing.yaml", PROMISE);
        write(root, "requests/a.yaml", """
                apiVersion: test.kbr.dev/v1
                kind: Thing
                metadata: {name: a}
                spec: {tier: large, replicas: 5}
                """);

        Run run = kbr("validate", "--platform", root.toString());

        assertThat(run.code()).isEqualTo(Main.OK);
        assertThat(run.lines()).containsExactly("0 errors, 0 warnings in 2 files");
    }

    @Test
    void reportsContainerFieldsNeitherRunnerHonoursAtTheirLine(@TempDir Path root) throws IOException {
        String container = "          - {name: configure, image: registry.invalid/never-pulled:v1}\n";
        assertThat(PROMISE).contains(container);
        write(
                root,
                "promises/thing.yaml",
                PROMISE.replace(
                        container,
                        String.join(
                                "\n          ",
                                "          - name: configure",
                                "  image: registry.invalid/never-pulled:v1",
                                "  resources:",
                                "    limits: {memory: 1GB}",
                                "  securityContext:",
                                "    privileged: true\n")));

        Run run = kbr("validate", "--platform", root.toString());

        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.lines())
                .containsExactly(
                        "promises/thing.yaml:42: error: spec.workflows.resource.configure[0].spec.containers[0]"
                                + ".resources.limits.memory: is not a Kubernetes quantity: \"1GB\"; write e.g. 128Mi,"
                                + " 1Gi or 1G",
                        "promises/thing.yaml:44: error: spec.workflows.resource.configure[0].spec.containers[0]"
                                + ".securityContext.privileged: is true, but a privileged pipeline container would"
                                + " control the Docker host or the Kubernetes node; kbr applies a field only when both"
                                + " its Docker and Kubernetes runners can, and one of them cannot apply this one;"
                                + " remove it (docs/kubernetes-runner.md lists the fields kbr honours), or add only"
                                + " the capabilities the container needs under capabilities.add",
                        "2 errors, 0 warnings in 1 file");
    }

    @Test
    void reportsEveryProblemSortedWithASummaryAndExitsOne(@TempDir Path root) throws IOException {
        write(root, "promises/thing.yaml", PROMISE);
        write(root, "requests/a.yaml", """
                apiVersion: test.kbr.dev/v1
                kind: Thing
                metadata: {name: a}
                spec:
                  tier: small
                  replicas: 3
                ---
                apiVersion: test.kbr.dev/v1
                kind: Thing
                metadata: {name: b}
                spec:
                  tier: medium
                  colour: red
                """);
        write(root, "requests/dup.yaml", """
                apiVersion: test.kbr.dev/v1
                kind: Thing
                metadata: {name: c}
                spec:
                  tier: large
                  tier: small
                """);

        Run run = kbr("validate", "--platform", root.toString());

        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.lines())
                .containsExactly(
                        "requests/a.yaml:6: error: spec.replicas: small things run at most 2 replicas",
                        "requests/a.yaml:8 (document 2): warning: the x-kubernetes-validations rules of Promise thing"
                                + " were not checked, as the Kubernetes API server does not check them while the"
                                + " errors above remain; fix those and validate again",
                        "requests/a.yaml:12 (document 2): error: spec.tier: must be one of [small, large] but is"
                                + " \"medium\"; change it to one of those values",
                        "requests/a.yaml:13 (document 2): warning: spec.colour: unknown field spec.colour was"
                                + " dropped, as the Kubernetes API server would; remove it or add it to the Promise API",
                        "requests/dup.yaml:6: error: spec.tier: duplicate key \"tier\" (first at line 5); remove one",
                        "3 errors, 2 warnings in 3 files");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void skipsTheRequestsOfAnInvalidPromiseSayingWhich(@TempDir Path root) throws IOException {
        write(
                root,
                "promises/thing.yaml",
                PROMISE.replace("self.tier != 'small' || self.replicas <= 2", "self.tier !="));
        write(root, "requests/a.yaml", """
                apiVersion: test.kbr.dev/v1
                kind: Thing
                metadata: {name: a}
                spec: {tier: medium}
                """);

        Run run = kbr("validate", "--platform", root.toString());

        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.lines()).hasSize(3);
        assertThat(run.lines().get(0))
                .startsWith("promises/thing.yaml:28: error: spec.api.spec.versions[0].schema.openAPIV3Schema.properties"
                        + ".spec.x-kubernetes-validations[0].rule: \"self.tier !=\" does not compile: ");
        assertThat(run.lines().get(1))
                .isEqualTo("requests/a.yaml:1: warning: not checked: its Promise thing (promises/thing.yaml:1) failed"
                        + " to load: fix that Promise first");
        assertThat(run.lines().get(2)).isEqualTo("1 error, 1 warning in 2 files");
    }

    @Test
    void hintsOnlyAtLikelyTyposAndSaysWhyOtherRequestsWereNotChecked(@TempDir Path root) throws IOException {
        write(root, "promises/thing.yaml", PROMISE);
        // A Promise of Kratix's own group, and one that fails to load.
        write(
                root,
                "promises/database.yaml",
                PROMISE.replace("name: thing\n", "name: database\n")
                        .replace("things.test.kbr.dev", "databases.platform.kratix.io")
                        .replace("group: test.kbr.dev", "group: platform.kratix.io")
                        .replace(
                                "{kind: Thing, plural: things, singular: thing}", "{kind: Database, plural: databases}")
                        .replace("name: v1\n", "name: v1alpha1\n"));
        write(
                root,
                "promises/broken.yaml",
                PROMISE.replace("name: thing\n", "name: broken\n")
                                .replace("things.test.kbr.dev", "brokens.broken.kbr.dev")
                                .replace("group: test.kbr.dev", "group: broken.kbr.dev")
                        + "  requiredPromises: oops\n");
        write(root, "requests/database.yaml", request("platform.kratix.io/v1alpha1", "Database", "db"));
        write(root, "requests/typo.yaml", request("test.kbr.dev/v1", "thing", "typo"));
        write(root, "requests/of-broken.yaml", request("broken.kbr.dev/v1", "Thing", "b"));
        // An operator's own resource in a pipeline's templates, and the same name twice.
        write(root, "promises/thing/configure-pipeline/resources/operator.yaml", """
                apiVersion: things.example.com/v2
                kind: thing
                metadata: {name: operated}
                """);
        String twice = """
                apiVersion: test.kbr.dev/v1
                kind: Thing
                metadata:
                  namespace: default
                  name: typo-free
                spec: {tier: large}
                """;
        write(root, "requests/twice.yaml", twice + "---\n" + twice);

        Run run = kbr("validate", "--platform", root.toString());

        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.lines())
                .containsExactly(
                        "promises/broken.yaml:40: error: spec.requiredPromises: must be a list of {name, version}, not"
                                + " a string",
                        "requests/of-broken.yaml:1: warning: not checked: its Promise broken (promises/broken.yaml:1)"
                                + " failed to load: fix that Promise first",
                        "requests/twice.yaml:12 (document 2): error: metadata.name: resource request"
                                + " thing/default/typo-free is already defined at requests/twice.yaml:5; names must be"
                                + " unique, remove or rename one",
                        "requests/typo.yaml:2: error: kind: is thing, which nothing serves in test.kbr.dev/v1; did you"
                                + " mean Thing (served by Promise thing)? Kinds are case-sensitive. Fix the kind, or if"
                                + " this is no request, move it out of the platform folder or exclude it in kbr.yaml",
                        "3 errors, 1 warning in 8 files");
    }

    @Test
    void aMissingFolderIsAClearError(@TempDir Path tmp) {
        Run run = kbr("validate", "--platform", tmp.resolve("nope").toString());

        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.err()).startsWith("Error: platform folder ").doesNotContain("Exception");
    }

    @Test
    void reportsEveryBrokenDocumentOfTheCorpusWithoutAStackTrace() {
        Path corpus = SharedFiles.corpus("syntasso");

        Run run = kbr("validate", "--platform", corpus.toString());

        assertThat(run.code()).isEqualTo(Main.ERROR);
        assertThat(run.out() + run.err()).doesNotContain("Exception").doesNotContain("at dev.");
        assertThat(run.err()).isEmpty();
        assertThat(run.lines())
                .contains(
                        // kratix-cli's generated example holds placeholder strings.
                        "kratix-cli/test/assets/e2e-cnpg/expected-example-resource.yaml:7: error: spec.instances: must"
                                + " be an integer but is a string (\"# type integer\"); change it to an integer",
                        "kratix-cli/test/assets/pulumi/expected-output/example-resource.yaml:8: error: spec.network:"
                                + " must be an object (a map of fields) but is a string (\"# type object\"); change it"
                                + " to an object (a map of fields)",
                        // Kratix's own sample Promise has an API that is no CRD.
                        "kratix/config/samples/platform_v1alpha1_promise.yaml:8: error: spec.api.kind: must be"
                                + " CustomResourceDefinition (apiVersion apiextensions.k8s.io/v1)",
                        // The same Promise name in several files of one platform.
                        "kratix-examples/promise-terraform-aws-buckets/promise.yaml:6: error: metadata.name: Promise s3"
                                + " is already defined at kratix-examples/promise-s3-hcp/promise.yaml:4; names must be"
                                + " unique, remove or rename one",
                        // Its requests are not checked, and say why.
                        "kratix-examples/promise-terraform-aws-buckets/backend-resource.yaml:1: warning: not checked:"
                                + " its Promise s3 (kratix-examples/promise-terraform-aws-buckets/promise.yaml:1) failed"
                                + " to load: fix that Promise first",
                        // Two copies of one marketplace Promise and its example, from two folders.
                        "kratix-marketplace/sql/gcp/resource-request.yaml:4: error: metadata.name: resource request"
                                + " sql/default/example is already defined at kratix-marketplace/sql/azure/"
                                + "resource-request.yaml:4; names must be unique, remove or rename one",
                        "kratix-marketplace/mongodb/resource-request.yaml:5: error: spec.users: is required by Promise"
                                + " mongodb but missing; add spec.users");
        assertThat(run.out()).doesNotContain("not supported by kbr yet");
        // Every document of the corpus is a real one: no guess at a typo holds for any of them.
        assertThat(run.out()).doesNotContain("did you mean").doesNotContain("fix the kind");
        assertThat(run.lines().get(run.lines().size() - 1)).matches("\\d+ errors, \\d+ warnings in \\d+ files");
        assertThat(run.lines().subList(0, run.lines().size() - 1))
                .allSatisfy(
                        line -> assertThat(line).matches("[^ :]+:\\d+( \\(document \\d+\\))?: (error|warning): .+"));
    }
}
