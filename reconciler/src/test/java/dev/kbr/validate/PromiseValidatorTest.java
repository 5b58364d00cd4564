package dev.kbr.validate;

import static dev.kbr.validate.TestDocuments.promise;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.Diagnostic;
import dev.kbr.model.LineMap;
import dev.kbr.model.Promise;
import dev.kbr.model.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromiseValidatorTest {
    private final PromiseValidator validator = new PromiseValidator();

    private static final String API = """
              api:
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.test.kbr.dev}
                spec:
                  group: test.kbr.dev
                  names: {kind: Thing, plural: things}
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
                              size: {type: string, pattern: '^(small|large)$'}
            """;

    private static String promiseYaml(String name, String api, String workflows) {
        return "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: " + name + "\nspec:\n" + api
                + "  workflows:\n" + workflows;
    }

    private static String pipeline(String name, String... containers) {
        StringBuilder yaml = new StringBuilder("""
                      - apiVersion: platform.kratix.io/v1alpha1
                        kind: Pipeline
                        metadata:
                          name: %s
                        spec:
                          containers:
                """.formatted(name));
        for (String c : containers) {
            yaml.append("          - {name: ")
                    .append(c)
                    .append(", image: ghcr.io/test/")
                    .append(c)
                    .append(":v1}\n");
        }
        return yaml.toString();
    }

    private List<String> errors(Promise promise) {
        return validator.validate(promise).stream()
                .filter(Diagnostic::isError)
                .map(d -> d.field() + ": " + d.message())
                .toList();
    }

    @Test
    void acceptsAWellFormedPromise() {
        Promise promise = promise(promiseYaml(
                "redis",
                API,
                "    resource:\n      configure:\n" + pipeline("instance", "generate", "verify") + "      delete:\n"
                        + pipeline("cleanup", "remove")));

        assertThat(validator.validate(promise)).isEmpty();
    }

    @Test
    void rejectsAContainerNamedLikeAKratixContainer() {
        Promise promise = promise(promiseYaml(
                "redis", API, "    resource:\n      configure:\n" + pipeline("instance", "generate", "reader")));

        assertThat(errors(promise))
                .containsExactly("spec.workflows.resource.configure[0].spec.containers[1].name: \"reader\" is reserved"
                        + " by Kratix for the containers it adds to every pipeline (reader, work-writer,"
                        + " status-writer); rename the container");
    }

    @Test
    void reportsContainerFieldsTheRunnersWouldRefuse() {
        String workflows = pipeline("instance") + """
                          - name: step
                            image: ghcr.io/test/step:v1
                            resources:
                              limits: {cpu: lots}
                            securityContext:
                              privileged: true
                """;
        Promise promise = promise(promiseYaml("redis", API, "    resource:\n      configure:\n" + workflows));

        List<Diagnostic> diagnostics = validator.validate(promise);

        assertThat(diagnostics)
                .extracting(Diagnostic::field)
                .containsExactly(
                        "spec.workflows.resource.configure[0].spec.containers[0].resources.limits.cpu",
                        "spec.workflows.resource.configure[0].spec.containers[0].securityContext.privileged");
        assertThat(diagnostics.get(0).message())
                .isEqualTo("is not a Kubernetes quantity: \"lots\"; write e.g. 500m, 1 or 1.5");
        assertThat(diagnostics.get(1).location().file()).isEqualTo("promise.yaml");
    }

    @Test
    void rejectsDuplicateAndInvalidContainerNames() {
        Promise promise = promise(promiseYaml(
                "redis",
                API,
                "    promise:\n      configure:\n" + pipeline("setup", "step", "step", "Build_Step", "work-writer")));

        assertThat(errors(promise))
                .containsExactly(
                        "spec.workflows.promise.configure[0].spec.containers[1].name: \"step\" is already the name of"
                                + " spec.workflows.promise.configure[0].spec.containers[0]; container names must be"
                                + " unique within a pipeline, rename one of them",
                        "spec.workflows.promise.configure[0].spec.containers[2].name: \"Build_Step\" is not a valid"
                                + " container name (a DNS-1123 label): it may contain only lowercase letters, digits"
                                + " and '-', and must start and end with a letter or digit; rename the container",
                        "spec.workflows.promise.configure[0].spec.containers[3].name: \"work-writer\" is reserved by"
                                + " Kratix for the containers it adds to every pipeline (reader, work-writer,"
                                + " status-writer); rename the container");
    }

    @Test
    void rejectsDuplicatePipelineNamesWithinOneWorkflowOnly() {
        Promise promise = promise(promiseYaml(
                "redis",
                API,
                "    resource:\n      configure:\n" + pipeline("instance", "a") + pipeline("instance", "b")
                        + "    promise:\n      configure:\n" + pipeline("instance", "c")));

        assertThat(errors(promise))
                .containsExactly("spec.workflows.resource.configure[1].metadata.name: \"instance\" is already the name"
                        + " of spec.workflows.resource.configure[0]; pipeline names must be unique within"
                        + " spec.workflows.resource.configure, rename one of them");
    }

    @Test
    void rejectsAPipelineIdLongerThan60Characters() {
        // "redis-resource-configure-" is 25 characters: a 35-character pipeline name makes 60.
        String fits = "p".repeat(35);
        String tooLong = "p".repeat(36);
        Promise promise = promise(promiseYaml(
                "redis", API, "    resource:\n      configure:\n" + pipeline(fits, "a") + pipeline(tooLong, "b")));

        assertThat(errors(promise))
                .containsExactly("spec.workflows.resource.configure[1].metadata.name: makes the pipeline id \"redis-"
                        + "resource-configure-" + tooLong + "\" 61 characters long, but Kratix allows at most 60"
                        + " (<promise>-<type>-<action>-<pipeline>); shorten the pipeline name or the Promise name");
    }

    @Test
    void requiresPipelineNamesContainerNamesAndImages() {
        Promise promise = promise(promiseYaml("redis", API, """
                    resource:
                      configure:
                      - apiVersion: platform.kratix.io/v1alpha1
                        kind: Pipeline
                        metadata: {}
                        spec:
                          containers:
                          - image: ghcr.io/test/a:v1
                          - name: b
                """));

        assertThat(errors(promise))
                .containsExactly(
                        "spec.workflows.resource.configure[0].metadata.name: is required but missing; give the"
                                + " pipeline a name (it names the pipeline's Jobs, Works and state-store folders)",
                        "spec.workflows.resource.configure[0].spec.containers[0].name: is required but missing; give"
                                + " the container a name",
                        "spec.workflows.resource.configure[0].spec.containers[1].image: is required but missing; set"
                                + " the image the container runs");
    }

    @Test
    void rejectsInvalidPipelineLabels() {
        Promise promise = promise(promiseYaml("redis", API, """
                    resource:
                      configure:
                      - apiVersion: platform.kratix.io/v1alpha1
                        kind: Pipeline
                        metadata:
                          name: instance
                          labels:
                            kratix.io/team: platform
                            bad key: x
                            tier: "has spaces"
                        spec:
                          containers:
                          - {name: a, image: ghcr.io/test/a:v1}
                """));

        assertThat(validator.validate(promise))
                .extracting(Diagnostic::field)
                .containsExactlyInAnyOrder(
                        "spec.workflows.resource.configure[0].metadata.labels[\"bad key\"]",
                        "spec.workflows.resource.configure[0].metadata.labels.tier");
    }

    @Test
    void rejectsAClusterScopedApi() {
        Promise promise = promise(promiseYaml("redis", API.replace("scope: Namespaced", "scope: Cluster"), "    {}\n"));

        assertThat(errors(promise))
                .containsExactly(
                        "spec.api.spec.scope: is set to \"Cluster\", but Kratix accepts only namespaced Promise"
                                + " APIs; set spec.api.spec.scope: Namespaced");
    }

    @Test
    void rejectsALegacyPromise() {
        Promise promise = promise("""
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata: {name: postgres}
                spec:
                  xaasCrd:
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                  xaasRequestPipeline: [ghcr.io/old/pipeline:v1]
                  workerClusterResources: []
                """);

        assertThat(errors(promise))
                .containsExactly(
                        "spec.workerClusterResources: unsupported legacy Promise format (xaasCrd/workerClusterResources,"
                                + " Kratix before workflows); rewrite it with spec.api and spec.workflows",
                        "spec.xaasCrd: unsupported legacy Promise format (xaasCrd/workerClusterResources, Kratix before"
                                + " workflows); rewrite it with spec.api and spec.workflows");
    }

    @Test
    void warnsThatOnlyTheFirstDeletePipelineRuns() {
        Promise promise = promise(promiseYaml(
                "redis", API, "    resource:\n      delete:\n" + pipeline("first", "a") + pipeline("second", "b")));

        List<Diagnostic> diagnostics = validator.validate(promise);

        assertThat(diagnostics).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.field()).isEqualTo("spec.workflows.resource.delete[1]");
            assertThat(d.message()).startsWith("has 2 delete pipelines but Kratix runs only the first");
        });
    }

    @Test
    void checksTheApiSchemaForBrokenPatternsAndIgnoredKeywords() {
        String api = API.replace(
                "size: {type: string, pattern: '^(small|large)$'}",
                "size: {type: string, pattern: '(?!x)', regex: '^[a-z]{,3}$'}");
        Promise promise = promise(promiseYaml("redis", api, "    {}\n"));

        assertThat(validator.validate(promise))
                .extracting(d -> d.severity() + " " + d.field())
                .containsExactly(
                        "ERROR spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.pattern",
                        "WARNING spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.regex");
    }

    @Test
    void rejectsSchemasThatAreNotStructural() {
        String api = API.replace("size: {type: string, pattern: '^(small|large)$'}", "size: {pattern: '^a'}")
                .replace("openAPIV3Schema:\n            type: object\n", "openAPIV3Schema:\n");
        Promise promise = promise(promiseYaml("redis", api, "    {}\n"));

        assertThat(validator.validate(promise))
                .extracting(d -> d.field() + ": " + d.message())
                .containsExactly(
                        "spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.type: is"
                                + " required for every field of a CustomResourceDefinition schema (Kubernetes accepts"
                                + " only structural schemas); add a type such as object or string, or"
                                + " x-kubernetes-preserve-unknown-fields: true to accept anything; the Kubernetes API"
                                + " server would reject this Promise's API",
                        "spec.api.spec.versions[0].schema.openAPIV3Schema.type: is required at the root of a"
                                + " CustomResourceDefinition schema (Kubernetes accepts only structural schemas); add a"
                                + " type such as object or string, or x-kubernetes-preserve-unknown-fields: true to"
                                + " accept anything; the Kubernetes API server would reject this Promise's API");
    }

    @Test
    void rejectsSchemaKeywordsKubernetesForbidsInCrds() {
        String sizeLine =
                API.lines().filter(l -> l.contains("size:")).findFirst().orElseThrow();
        String indent = "\n" + sizeLine.substring(0, sizeLine.indexOf("size:"));
        String api = API.replace(
                "size: {type: string, pattern: '^(small|large)$'}",
                "size: {type: string}"
                        + indent + "zones: {type: array, uniqueItems: true, items: {type: string}}"
                        + indent + "ref: {type: object, $ref: '#/definitions/x'}"
                        + indent + "labels:"
                        + indent + "  type: object"
                        + indent + "  properties: {team: {type: string}}"
                        + indent + "  additionalProperties: {type: string}");
        Promise promise = promise(promiseYaml("redis", api, "    {}\n"));

        String schema = "spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.";
        assertThat(validator.validate(promise))
                .extracting(d -> d.severity() + " " + d.field())
                .containsExactly(
                        "ERROR " + schema + "labels.additionalProperties",
                        "ERROR " + schema + "ref.$ref",
                        "ERROR " + schema + "zones.uniqueItems");
    }

    @Test
    void placesDiagnosticsAtTheLineOfTheirField() {
        Promise parsed = promise(promiseYaml(
                "redis", API, "    resource:\n      configure:\n" + pipeline("instance", "generate", "reader")));
        Promise promise = new Promise(
                parsed.name(),
                parsed.labels(),
                parsed.api(),
                parsed.dependencies(),
                parsed.workflows(),
                parsed.destinationSelectors(),
                parsed.requiredPromises(),
                parsed.document(),
                parsed.location(),
                new LineMap(Map.of(
                        "spec.workflows.resource.configure[0]", 40,
                        "spec.workflows.resource.configure[0].spec.containers[1].name", 47)));

        assertThat(validator.validate(promise))
                .singleElement()
                .satisfies(d -> assertThat(d.toString())
                        .startsWith("promise.yaml:47: error: spec.workflows.resource.configure[0].spec.containers[1]"
                                + ".name: \"reader\" is reserved"));
    }
}
