package dev.kbr.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Pipeline;
import dev.kbr.model.WorkflowType;
import dev.kbr.platformapi.Caller;
import dev.kbr.platformapi.ObjectRef;
import dev.kbr.platformapi.PolicyRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a pipeline run is to the platform API and what it may do: the Role Kratix gives every
 * pipeline's service account, plus the pipeline's own {@code spec.rbac.permissions} (Kratix {@code
 * api/v1alpha1/pipeline_factory.go}, KRATIX.md §2.8).
 */
public final class PipelinePermissions {
    /** The verbs of Kratix's pipeline Role on the object's resource and its status. */
    static final List<String> KRATIX_ROLE_VERBS = List.of("get", "list", "update", "create", "patch");

    private PipelinePermissions() {}

    /**
     * The caller of one run.
     *
     * @param job the object and its Promise
     * @param pipeline the pipeline, whose {@code spec.rbac.permissions} add to Kratix's Role
     * @param description how reports name the run
     * @param object the object as the pipeline gets it
     * @return the caller: its own object, the pipeline's namespace and its rules
     */
    public static Caller of(WorkflowJob job, Pipeline pipeline, String description, ObjectNode object) {
        String pipelineNamespace = PipelineInvocations.pipelineNamespace(job.promise(), job.type(), job.namespace());
        List<PolicyRule> rules = new ArrayList<>();
        ObjectRef self;
        if (job.type() == WorkflowType.PROMISE) {
            self = new ObjectRef(
                    "platform.kratix.io", "promises", "", job.promise().name());
            rules.add(new PolicyRule(
                    List.of("platform.kratix.io"),
                    List.of("promises", "promises/status"),
                    KRATIX_ROLE_VERBS,
                    List.of(),
                    "*"));
        } else {
            var api = job.promise().api().orElseThrow();
            String group = api.gvk().group();
            self = new ObjectRef(group, api.plural(), job.namespace(), job.name());
            List<String> resources = List.of(api.plural(), api.plural() + "/status");
            rules.add(new PolicyRule(List.of(group), resources, KRATIX_ROLE_VERBS, List.of(), pipelineNamespace));
            if (!pipelineNamespace.equals(job.namespace())) {
                rules.add(new PolicyRule(List.of(group), resources, KRATIX_ROLE_VERBS, List.of(), job.namespace()));
            }
        }
        rules.addAll(userPermissions(pipeline, pipelineNamespace));
        return new Caller(description, self, pipelineNamespace, rules, object);
    }

    /**
     * The pipeline's {@code spec.rbac.permissions}: a {@code resourceNamespace} of {@code ""} (or
     * none) means the pipeline's namespace, {@code *} every namespace, anything else that
     * namespace.
     */
    static List<PolicyRule> userPermissions(Pipeline pipeline, String pipelineNamespace) {
        List<PolicyRule> rules = new ArrayList<>();
        for (JsonNode permission : pipeline.document().path("spec").path("rbac").path("permissions")) {
            String namespace = permission.path("resourceNamespace").asText("");
            rules.add(new PolicyRule(
                    texts(permission.path("apiGroups")),
                    texts(permission.path("resources")),
                    texts(permission.path("verbs")),
                    texts(permission.path("resourceNames")),
                    namespace.isEmpty() ? pipelineNamespace : namespace));
        }
        return rules;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
