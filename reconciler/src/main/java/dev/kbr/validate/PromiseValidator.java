package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Container;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.Pipeline;
import dev.kbr.model.PipelineSpec;
import dev.kbr.model.Promise;
import dev.kbr.model.PromiseApi;
import dev.kbr.model.Severity;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.WorkflowAction;
import dev.kbr.model.WorkflowType;
import dev.kbr.model.YamlPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a Promise the way Kratix would on install, before any of its pipelines runs.
 *
 * <ul>
 *   <li>Legacy Promises (Kratix before workflows: {@code spec.xaasCrd}, {@code
 *       spec.workerClusterResources}) are rejected.
 *   <li>The API, when present, must be an {@code apiextensions.k8s.io/v1}
 *       CustomResourceDefinition with at least one version, namespaced (the Promise webhook, {@code
 *       internal/webhook/v1alpha1/promise_webhook.go}); its storage version must have a schema, and
 *       that schema is checked
 *       for rules Kubernetes would reject ({@code pattern}s that are not RE2, malformed keywords,
 *       {@code x-kubernetes-validations} rules that do not compile: errors) and for keywords
 *       Kubernetes silently drops (such as {@code regex:}) or rules kbr cannot check (they call a
 *       Kubernetes CEL function kbr lacks): warnings.
 *   <li>Pipelines ({@code api/v1alpha1/pipeline_types.go}): names present and unique within each
 *       workflow (type and action); the pipeline id {@code
 *       <promise>-<promise|resource>-<configure|delete>-<pipeline>} at most 60 characters;
 *       labels valid Kubernetes label keys and values; more than one delete pipeline is a warning,
 *       as Kratix runs only the first.
 *   <li>Containers: names present, unique within their pipeline, DNS-1123 labels, and none of
 *       {@code reader}, {@code work-writer}, {@code status-writer} (the containers Kratix adds to
 *       every pipeline Job); an image is required; {@code resources} and {@code securityContext}
 *       hold only what both runners honour, with values of the right shape ({@link PipelineSpec}).
 * </ul>
 *
 * <p>Diagnostics sit at the line of the offending field ({@code promise.lines()}) and are returned
 * sorted with {@link Diagnostic#ORDER}. Nothing is thrown for a bad Promise.
 */
public final class PromiseValidator {
    /** Longest pipeline id Kratix accepts ({@code api/v1alpha1/pipeline_types.go}). */
    static final int MAX_PIPELINE_ID_LENGTH = 60;

    /** Container names Kratix gives its own containers in every pipeline Job. */
    static final List<String> RESERVED_CONTAINER_NAMES = List.of("reader", "work-writer", "status-writer");

    private static final String CRD_API_VERSION = "apiextensions.k8s.io/v1";
    private static final String CRD_KIND = "CustomResourceDefinition";
    private static final List<String> LEGACY_FIELDS = List.of("xaasCrd", "workerClusterResources");

    private final SchemaCache schemas;

    /** A validator with a schema cache of its own. */
    public PromiseValidator() {
        this(new SchemaCache());
    }

    /**
     * A validator that prepares API schemas (compiling their CEL rules) through {@code schemas};
     * share the cache with the {@link RequestValidator} of the same pass so each rule is compiled
     * once.
     */
    public PromiseValidator(SchemaCache schemas) {
        this.schemas = Objects.requireNonNull(schemas, "schemas");
    }

    /**
     * What checking every Promise of a platform found.
     *
     * @param diagnostics every Promise's problems, Promise after Promise in the order given
     * @param invalid the names of the Promises with at least one error
     */
    public record Checked(List<Diagnostic> diagnostics, Set<String> invalid) {
        public Checked {
            diagnostics = List.copyOf(diagnostics);
            invalid = Set.copyOf(invalid);
        }
    }

    /** Checks each of {@code promises} with {@link #validate}. */
    public Checked validateAll(List<Promise> promises) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Set<String> invalid = new HashSet<>();
        for (Promise promise : promises) {
            List<Diagnostic> found = validate(promise);
            diagnostics.addAll(found);
            if (found.stream().anyMatch(Diagnostic::isError)) {
                invalid.add(promise.name());
            }
        }
        return new Checked(diagnostics, invalid);
    }

    /**
     * Checks {@code promise}.
     *
     * @return every problem found, sorted with {@link Diagnostic#ORDER}; empty when the Promise is fine
     */
    public List<Diagnostic> validate(Promise promise) {
        Objects.requireNonNull(promise, "promise");
        Run run = new Run(promise);
        checkLegacy(run);
        checkName(run);
        promise.api().ifPresent(api -> checkApi(api, schemas, run));
        for (WorkflowType type : WorkflowType.values()) {
            for (WorkflowAction action : WorkflowAction.values()) {
                checkWorkflow(type, action, run);
            }
        }
        return run.diagnostics.stream().distinct().sorted(Diagnostic.ORDER).toList();
    }

    private static void checkLegacy(Run run) {
        JsonNode spec = run.promise.document().path("spec");
        for (String field : LEGACY_FIELDS) {
            if (spec.has(field)) {
                run.error(
                        "spec." + field,
                        "unsupported legacy Promise format (xaasCrd/workerClusterResources, Kratix before"
                                + " workflows); rewrite it with spec.api and spec.workflows");
            }
        }
    }

    private static void checkName(Run run) {
        String name = run.promise.name();
        if (name.isEmpty()) {
            run.error("metadata.name", "is required but missing; give the Promise a name");
            return;
        }
        KubernetesNames.dns1123SubdomainProblem(name)
                .ifPresent(problem -> run.error(
                        "metadata.name",
                        YamlPath.quote(name) + " is not a valid Kubernetes name (a DNS-1123 subdomain): it " + problem
                                + "; rename the Promise"));
    }

    private static void checkApi(PromiseApi api, SchemaCache schemas, Run run) {
        JsonNode crd = api.crd();
        expect(crd, "apiVersion", CRD_API_VERSION, run);
        expect(crd, "kind", CRD_KIND, run);
        if (!api.namespaced()) {
            JsonNode scope = api.crd().path("spec").path("scope");
            String actual = scope.isMissingNode() || scope.isNull() ? "missing" : "set to " + Values.describe(scope);
            run.error(
                    "spec.api.spec.scope",
                    "is " + actual + ", but Kratix accepts only namespaced Promise APIs; set spec.api.spec.scope:"
                            + " Namespaced");
        }
        JsonNode versions = crd.path("spec").path("versions");
        if (!versions.isArray() || versions.isEmpty()) {
            run.error(
                    "spec.api.spec.versions",
                    "is missing; a CustomResourceDefinition needs at least one version, with storage: true and a"
                            + " schema.openAPIV3Schema for the requests' spec");
            return;
        }
        String schemaPath = storageVersionPath(api) + ".schema.openAPIV3Schema";
        if (api.schema().isEmpty()) {
            run.error(
                    schemaPath,
                    "is missing; Kubernetes requires a schema for every version of an apiextensions.k8s.io/v1"
                            + " CustomResourceDefinition; add one describing the request's spec");
            return;
        }
        for (ApiSchema.Problem problem : schemas.of(api).problems()) {
            String field = schemaPath + "." + problem.path();
            if (problem.severity() == Severity.ERROR) {
                run.error(field, problem.message() + "; the Kubernetes API server would reject this Promise's API");
            } else {
                run.warning(field, problem.message());
            }
        }
    }

    private static void expect(JsonNode crd, String field, String expected, Run run) {
        JsonNode actual = crd.path(field);
        if (!expected.equals(actual.asText(""))) {
            String shown = actual.isMissingNode() || actual.isNull() ? "missing" : Values.describe(actual);
            run.error(
                    "spec.api." + field,
                    "is " + shown + " but Kratix needs a Kubernetes CustomResourceDefinition here; set spec.api."
                            + field + ": " + expected);
        }
    }

    /** {@code spec.api.spec.versions[i]} of the version Kratix serves: {@code storage: true}, else the first. */
    private static String storageVersionPath(PromiseApi api) {
        JsonNode versions = api.crd().path("spec").path("versions");
        int index = 0;
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).path("storage").booleanValue()) {
                index = i;
                break;
            }
        }
        return YamlPath.index("spec.api.spec.versions", index);
    }

    private static void checkWorkflow(WorkflowType type, WorkflowAction action, Run run) {
        List<Pipeline> pipelines = run.promise.workflows().of(type, action);
        String workflow = "spec.workflows." + type.value() + "." + action.value();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < pipelines.size(); i++) {
            Pipeline pipeline = pipelines.get(i);
            String path = YamlPath.index(workflow, i);
            String namePath = path + ".metadata.name";
            String name = pipeline.name();
            if (name.isEmpty()) {
                run.error(
                        namePath,
                        "is required but missing; give the pipeline a name (it names the pipeline's Jobs, Works and"
                                + " state-store folders)");
            } else {
                Integer first = firstIndex.putIfAbsent(name, i);
                if (first != null) {
                    run.error(
                            namePath,
                            YamlPath.quote(name) + " is already the name of " + YamlPath.index(workflow, first)
                                    + "; pipeline names must be unique within " + workflow + ", rename one of them");
                }
                String id = String.join("-", run.promise.name(), type.value(), action.value(), name);
                if (id.length() > MAX_PIPELINE_ID_LENGTH) {
                    run.error(
                            namePath,
                            "makes the pipeline id " + YamlPath.quote(id) + " " + id.length()
                                    + " characters long, but Kratix allows at most " + MAX_PIPELINE_ID_LENGTH
                                    + " (<promise>-<type>-<action>-<pipeline>); shorten the pipeline name or the"
                                    + " Promise name");
                }
            }
            checkLabels(pipeline, path, run);
            checkContainers(pipeline, path, run);
            // The same reading both runners do, so a field they would refuse fails validation too.
            PipelineSpec.read(pipeline, path + ".", run::at)
                    .problems()
                    .forEach(p -> run.diagnostics.add(p.diagnostic()));
        }
        if (action == WorkflowAction.DELETE && pipelines.size() > 1) {
            run.warning(
                    YamlPath.index(workflow, 1),
                    "has " + pipelines.size() + " delete pipelines but Kratix runs only the first ("
                            + YamlPath.index(workflow, 0) + "); move the containers of the others into it, or remove"
                            + " them");
        }
    }

    private static void checkLabels(Pipeline pipeline, String pipelinePath, Run run) {
        String labels = pipelinePath + ".metadata.labels";
        for (Map.Entry<String, String> label : new TreeMap<>(pipeline.labels()).entrySet()) {
            String field = YamlPath.child(labels, label.getKey());
            KubernetesNames.labelKeyProblem(label.getKey())
                    .ifPresent(problem -> run.error(
                            field,
                            YamlPath.quote(label.getKey()) + " is not a valid Kubernetes label key: it " + problem
                                    + "; rename the label"));
            KubernetesNames.labelValueProblem(label.getValue())
                    .ifPresent(problem -> run.error(
                            field,
                            YamlPath.quote(label.getValue()) + " is not a valid Kubernetes label value: it " + problem
                                    + "; change the value"));
        }
    }

    private static void checkContainers(Pipeline pipeline, String pipelinePath, Run run) {
        Map<String, Integer> firstIndex = new HashMap<>();
        List<Container> containers = pipeline.containers();
        for (int j = 0; j < containers.size(); j++) {
            Container container = containers.get(j);
            String path = YamlPath.index(pipelinePath + ".spec.containers", j);
            String namePath = path + ".name";
            String name = container.name();
            if (name.isEmpty()) {
                run.error(namePath, "is required but missing; give the container a name");
            } else if (RESERVED_CONTAINER_NAMES.contains(name)) {
                run.error(
                        namePath,
                        YamlPath.quote(name) + " is reserved by Kratix for the containers it adds to every pipeline"
                                + " (" + String.join(", ", RESERVED_CONTAINER_NAMES) + "); rename the container");
            } else {
                KubernetesNames.dns1123LabelProblem(name)
                        .ifPresent(problem -> run.error(
                                namePath,
                                YamlPath.quote(name) + " is not a valid container name (a DNS-1123 label): it "
                                        + problem + "; rename the container"));
                Integer first = firstIndex.putIfAbsent(name, j);
                if (first != null) {
                    run.error(
                            namePath,
                            YamlPath.quote(name) + " is already the name of "
                                    + YamlPath.index(pipelinePath + ".spec.containers", first)
                                    + "; container names must be unique within a pipeline, rename one of them");
                }
            }
            if (container.image().isBlank()) {
                run.error(path + ".image", "is required but missing; set the image the container runs");
            }
        }
    }

    /** What one call collects: the Promise it is about and the diagnostics so far. */
    private static final class Run {
        final Promise promise;
        final List<Diagnostic> diagnostics = new ArrayList<>();

        Run(Promise promise) {
            this.promise = promise;
        }

        void error(String field, String message) {
            diagnostics.add(Diagnostic.error(at(field), field, message));
        }

        void warning(String field, String message) {
            diagnostics.add(Diagnostic.warning(at(field), field, message));
        }

        SourceLocation at(String field) {
            return promise.location().atLine(promise.lines().lineOf(field));
        }
    }
}
