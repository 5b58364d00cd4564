package dev.kbr.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.LineMap;
import dev.kbr.model.Promise;
import dev.kbr.model.PromiseApi;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.Severity;
import dev.kbr.testsupport.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validators against real, publicly written Kratix documents in {@code ../shared/corpus},
 * read in place.
 */
class CorpusValidationTest {
    private static final String MARKETPLACE = "syntasso/kratix-marketplace/";
    private static final String KRATIX = "syntasso/kratix/";

    private final RequestValidator requests = new RequestValidator();
    private final PromiseValidator promises = new PromiseValidator();

    /** Request file (with {@code #n} for a document of a multi-document file) and its Promise file. */
    static Stream<Arguments> validRequests() {
        return Stream.of(
                // INDEX.md "Suggested core subset".
                arguments(MARKETPLACE + "jenkins/resource-request.yaml", MARKETPLACE + "jenkins/promise.yaml"),
                arguments(MARKETPLACE + "redis/resource-request.yaml", MARKETPLACE + "redis/promise.yaml"),
                arguments(
                        MARKETPLACE + "app-as-a-service/resource-request.yaml",
                        MARKETPLACE + "app-as-a-service/promise.yaml"),
                arguments(MARKETPLACE + "mongodb/resource-request.yaml", MARKETPLACE + "mongodb/promise.yaml"),
                arguments(
                        KRATIX + "samples/easy-app/internal/promises/nginx-ingress/resource-request.yaml",
                        KRATIX + "samples/easy-app/internal/promises/nginx-ingress/promise.yaml"),
                arguments(KRATIX + "samples/easy-app/resource-request.yaml", KRATIX + "samples/easy-app/promise.yaml"),
                arguments(
                        KRATIX + "samples/paved-path-demo/paved-path-demo-resource-request.yaml",
                        KRATIX + "samples/paved-path-demo/paved-path-demo-promise.yaml"),
                arguments(
                        KRATIX + "config/samples/redis/redis-resource-request.yaml",
                        KRATIX + "config/samples/redis/redis-promise.yaml"),
                arguments(
                        KRATIX + "config/samples/redis/redis-resource-update-request.yaml",
                        KRATIX + "config/samples/redis/redis-promise.yaml"),
                arguments(
                        KRATIX + "test/system/assets/destination/resources.yaml#0",
                        KRATIX + "test/system/assets/destination/promise.yaml"),
                arguments(
                        KRATIX + "test/system/assets/destination/resources.yaml#1",
                        KRATIX + "test/system/assets/destination/promise.yaml"),
                // The rest of INDEX.md's requests that match a Promise of the corpus.
                arguments(MARKETPLACE + "sql/aws/resource-request.yaml", MARKETPLACE + "sql/aws/promise.yaml"),
                arguments(MARKETPLACE + "sql/azure/resource-request.yaml", MARKETPLACE + "sql/azure/promise.yaml"),
                arguments(MARKETPLACE + "sql/gcp/resource-request.yaml", MARKETPLACE + "sql/gcp/promise.yaml"),
                arguments(MARKETPLACE + "app-stack/resource-request.yaml", MARKETPLACE + "app-stack/promise.yaml"),
                arguments(
                        MARKETPLACE + "namespace-claim/resource-request.yaml",
                        MARKETPLACE + "namespace-claim/promise.yaml"),
                arguments(
                        MARKETPLACE + "redis-multi-cluster-replication/example-resource.yaml",
                        MARKETPLACE + "redis-multi-cluster-replication/redis-multi-cluster-replication-promise.yaml"),
                arguments(MARKETPLACE + "runtime/resource-request.yaml", MARKETPLACE + "runtime/promise.yaml"),
                arguments(
                        MARKETPLACE + "vault-namespace/resource-request.yaml",
                        MARKETPLACE + "vault-namespace/promise.yaml"),
                arguments(MARKETPLACE + "ai/resource-request.yaml", MARKETPLACE + "ai/promise.yaml"),
                arguments(MARKETPLACE + "kafka/resource-request.yaml", MARKETPLACE + "kafka/promise.yaml"),
                arguments(MARKETPLACE + "namespace/resource-request.yaml", MARKETPLACE + "namespace/promise.yaml"),
                arguments(
                        MARKETPLACE + "pipeline-marketplace-images/github-sign-off/example-resource-request.yaml",
                        MARKETPLACE + "pipeline-marketplace-images/github-sign-off/example-promise.yaml"),
                arguments(MARKETPLACE + "tekton/resource-request.yaml", MARKETPLACE + "tekton/promise.yaml"),
                arguments(MARKETPLACE + "vcluster/resource-request.yaml", MARKETPLACE + "vcluster/promise.yaml"),
                arguments(
                        MARKETPLACE + "mongodb-full/resource-request.yaml", MARKETPLACE + "mongodb-full/promise.yaml"),
                arguments(
                        MARKETPLACE
                                + "app-as-a-service/internal/configure-pipeline/resources/deployment-resource-request.yaml",
                        KRATIX + "samples/easy-app/internal/promises/nginx-ingress/promise.yaml"),
                arguments(
                        MARKETPLACE + "workshop-app-promise/example-resource.yaml",
                        MARKETPLACE + "workshop-app-promise/app-promise.yaml"),
                arguments(
                        MARKETPLACE + "workshop-app-promise/test/input/object.yaml",
                        MARKETPLACE + "workshop-app-promise/app-promise.yaml"),
                arguments(
                        "syntasso/kratix-examples/promise-terraform-aws-buckets/backend-resource.yaml",
                        "syntasso/kratix-examples/promise-terraform-aws-buckets/promise.yaml"),
                arguments(
                        "syntasso/kratix-examples/promise-s3-hcp/resource-request.yaml",
                        "syntasso/kratix-examples/promise-s3-hcp/promise.yaml"),
                arguments(
                        "syntasso/kratix-cli/test/assets/terraform/expected-output/example-resource.yaml",
                        "syntasso/kratix-cli/test/assets/terraform/expected-output/promise.yaml"),
                arguments(
                        KRATIX + "internal/controller/assets/redis-request.yaml",
                        KRATIX + "internal/controller/assets/promise-with-delete-workflow.yaml"),
                arguments(
                        KRATIX + "config/samples/postgres/postgres-resource-request.yaml",
                        KRATIX + "config/samples/postgres/postgres-promise.yaml"),
                arguments(
                        KRATIX + "test/system/assets/destination/resources-cleanup-all.yaml",
                        KRATIX + "test/system/assets/destination/promise-cleanup-all.yaml"),
                arguments(
                        KRATIX + "test/system/assets/destination/resource-filepathmode-none.yaml",
                        KRATIX + "test/system/assets/destination/promise-filepathmode-none.yaml"),
                arguments(
                        KRATIX + "test/system/assets/kratix-config/resource-request.yaml",
                        KRATIX + "test/system/assets/kratix-config/promise.yaml"),
                arguments(
                        KRATIX + "test/system/assets/resource-binding-default-version/resource-request.yaml",
                        KRATIX + "test/system/assets/resource-binding-default-version/promise.yaml"),
                arguments(
                        KRATIX + "test/core/assets/example-resource.yaml", KRATIX + "test/core/assets/promise-v2.yaml"),
                arguments(
                        KRATIX + "test/system/assets/promise-revision/resource-request.yaml",
                        KRATIX + "test/system/assets/promise-revision/promise-new-version.yaml"),
                arguments(
                        KRATIX + "test/system/assets/workflow-control/resource-request.yaml",
                        KRATIX + "test/system/assets/workflow-control/promise.yaml"),
                arguments(
                        KRATIX + "test/system/assets/compound-promise/resource-request.yaml",
                        KRATIX + "test/system/assets/compound-promise/promise.yaml"),
                arguments(
                        KRATIX + "test/system/assets/rbac/resource-request.yaml",
                        KRATIX + "test/system/assets/rbac/promise.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRequests")
    void acceptsTheCorpusRequestsThatMatchTheirPromise(String requestFile, String promiseFile) {
        ValidationResult result = validate(requestFile, promiseFile);

        assertThat(result.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
    }

    @Test
    void appliesTheAppAsAServiceDefaultsAndIgnoresItsRegexKeyword() {
        String file = MARKETPLACE + "app-as-a-service/resource-request.yaml";
        ObjectNode object = TestDocuments.readAll(SharedFiles.corpus(file)).get(0);
        ObjectNode spec = (ObjectNode) object.path("spec");
        spec.remove("service");
        spec.remove("dbDriver");
        spec.put("name", "123-not-what-the-regex-wants-");
        PromiseApi api = TestDocuments.apiOf(TestDocuments.promiseDocument(
                        SharedFiles.corpus(MARKETPLACE + "app-as-a-service/promise.yaml")))
                .orElseThrow();

        ValidationResult result = requests.validate(TestDocuments.request("app", object, file, LineMap.empty()), api);

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.object().path("spec").path("service").path("port").intValue())
                .isEqualTo(8080);
        assertThat(result.object().path("spec").path("dbDriver").asText()).isEqualTo("none");
    }

    @Test
    void rejectsTheKratixCliPlaceholderValues() {
        ValidationResult cnpg = validate(
                "syntasso/kratix-cli/test/assets/e2e-cnpg/expected-example-resource.yaml",
                "syntasso/kratix-cli/test/assets/e2e-cnpg/expected-promise.yaml");
        ValidationResult pulumi = validate(
                "syntasso/kratix-cli/test/assets/pulumi/expected-output/example-resource.yaml",
                "syntasso/kratix-cli/test/assets/pulumi/expected-output/promise.yaml");

        assertThat(cnpg.diagnostics()).filteredOn(Diagnostic::isError).anySatisfy(d -> {
            assertThat(d.field()).isEqualTo("spec.instances");
            assertThat(d.message())
                    .isEqualTo("must be an integer but is a string (\"# type integer\"); change it to an" + " integer");
        });
        assertThat(pulumi.diagnostics())
                .filteredOn(Diagnostic::isError)
                .anySatisfy(d -> assertThat(d.field()).isEqualTo("spec.network"));
    }

    @Test
    void evaluatesTheCelRulesOfAGeneratedOperatorPromise() {
        String promiseFile = "syntasso/kratix-cli/test/assets/e2e-cnpg/expected-promise.yaml";
        PromiseApi api = TestDocuments.apiOf(TestDocuments.promiseDocument(SharedFiles.corpus(promiseFile)))
                .orElseThrow();
        ObjectNode object = TestDocuments.yaml("""
                apiVersion: syntasso.io/v1
                kind: Database
                metadata: {name: example-database}
                spec:
                  instances: 1
                  imageName: ghcr.io/cloudnative-pg/postgresql:16
                  imageCatalogRef: {apiGroup: example.com, kind: ImageCatalog, name: pg, major: 16}
                """);

        ValidationResult result =
                requests.validate(TestDocuments.request("postgresql", object, "db.yaml", LineMap.empty()), api);

        assertThat(result.diagnostics())
                .filteredOn(Diagnostic::isError)
                .extracting(d -> d.field() + ": " + d.message())
                .containsExactly(
                        "spec: imageName and imageCatalogRef are mutually exclusive",
                        "spec.imageCatalogRef: Only image catalogs are supported");
    }

    @Test
    void findsOnlyTheKnownProblemsInTheCorpusPromises() throws IOException {
        List<String> checked = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Path file : yamlFiles(SharedFiles.corpus("syntasso"))) {
            List<ObjectNode> documents = TestDocuments.readAll(file);
            for (int i = 0; i < documents.size(); i++) {
                if (!TestDocuments.isPromise(documents.get(i))) {
                    continue;
                }
                String name = SharedFiles.corpus("").relativize(file) + "#" + i;
                Promise promise = TestDocuments.promise(documents.get(i), name);
                List<Diagnostic> diagnostics = new ArrayList<>();
                assertThatCode(() -> diagnostics.addAll(promises.validate(promise)))
                        .as(name)
                        .doesNotThrowAnyException();
                checked.add(name);
                diagnostics.forEach(d -> (d.isError() ? errors : warnings).add(d.toString()));
            }
        }

        assertThat(checked).hasSizeGreaterThanOrEqualTo(60);
        // Kratix's own sample has an "API" that is no CustomResourceDefinition at all.
        String sample = "syntasso/kratix/config/samples/platform_v1alpha1_promise.yaml#0: error: ";
        assertThat(errors)
                .containsExactly(
                        // A generated Promise whose spec has no type: not a structural schema.
                        "syntasso/kratix-cli/test/assets/crossplane/expected-output-with-empty-openAPIV3Schema/"
                                + "promise.yaml#0: error: spec.api.spec.versions[0].schema.openAPIV3Schema.properties"
                                + ".spec.type: is required for every field of a CustomResourceDefinition schema"
                                + " (Kubernetes accepts only structural schemas); add a type such as object or string,"
                                + " or x-kubernetes-preserve-unknown-fields: true to accept anything; the Kubernetes"
                                + " API server would reject this Promise's API",
                        sample + "spec.api.apiVersion: is \"something\" but Kratix needs a Kubernetes"
                                + " CustomResourceDefinition here; set spec.api.apiVersion: apiextensions.k8s.io/v1",
                        sample + "spec.api.kind: is \"Redis\" but Kratix needs a Kubernetes CustomResourceDefinition"
                                + " here; set spec.api.kind: CustomResourceDefinition",
                        sample + "spec.api.spec.versions: is missing; a CustomResourceDefinition needs at least one"
                                + " version, with storage: true and a schema.openAPIV3Schema for the requests' spec");
        // The only keyword Kubernetes would silently drop in these Promise APIs.
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("app-as-a-service/promise.yaml")
                .contains("spec.api.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.name.regex")
                .contains("\"regex\" is not a keyword of Kubernetes schemas");
    }

    @Test
    void acceptsAValidMarketplacePromise() {
        Path file = SharedFiles.corpus(MARKETPLACE + "jenkins/promise.yaml");
        Promise promise = TestDocuments.promise(TestDocuments.promiseDocument(file), "jenkins/promise.yaml");

        assertThat(promises.validate(promise)).isEmpty();
    }

    @Test
    void validatesEveryCorpusRequestOfAKnownApiWithoutThrowing() throws IOException {
        List<PromiseApi> apis = new ArrayList<>();
        List<String> promiseNames = new ArrayList<>();
        List<ObjectNode> candidates = new ArrayList<>();
        for (Path file : yamlFiles(SharedFiles.corpus("syntasso"))) {
            for (ObjectNode doc : TestDocuments.readAll(file)) {
                if (TestDocuments.isPromise(doc)) {
                    TestDocuments.apiOf(doc).ifPresent(api -> {
                        apis.add(api);
                        promiseNames.add(doc.path("metadata").path("name").asText());
                    });
                } else if (doc.has("apiVersion") && doc.has("kind")) {
                    candidates.add(doc);
                }
            }
        }
        int validated = 0;
        for (ObjectNode doc : candidates) {
            for (int i = 0; i < apis.size(); i++) {
                PromiseApi api = apis.get(i);
                if (api.gvk().apiVersion().equals(doc.path("apiVersion").asText())
                        && api.gvk().kind().equals(doc.path("kind").asText())) {
                    ResourceRequest request =
                            TestDocuments.request(promiseNames.get(i), doc, "request.yaml", LineMap.empty());
                    assertThatCode(() -> requests.validate(request, api)).doesNotThrowAnyException();
                    validated++;
                }
            }
        }
        assertThat(validated).isGreaterThan(50);
    }

    private ValidationResult validate(String requestFile, String promiseFile) {
        String[] parts = requestFile.split("#");
        List<ObjectNode> documents = TestDocuments.readAll(SharedFiles.corpus(parts[0]));
        ObjectNode document = documents.get(parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
        ObjectNode promise = TestDocuments.promiseDocument(SharedFiles.corpus(promiseFile));
        PromiseApi api = TestDocuments.apiOf(promise).orElseThrow();
        ResourceRequest request = TestDocuments.request(
                promise.path("metadata").path("name").asText(), document, requestFile, LineMap.empty());
        ValidationResult result = requests.validate(request, api);
        result.diagnostics().stream()
                .filter(d -> d.severity() == Severity.WARNING)
                .forEach(d -> System.out.println("corpus warning: " + d));
        return result;
    }

    private static List<Path> yamlFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
