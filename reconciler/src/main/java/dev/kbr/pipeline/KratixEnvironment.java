package dev.kbr.pipeline;

import dev.kbr.model.GroupVersionKind;
import dev.kbr.model.Pipeline;
import dev.kbr.model.WorkflowAction;
import dev.kbr.model.WorkflowType;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code KRATIX_*} variables every pipeline container gets (Kratix {@code
 * api/v1alpha1/pipeline_types.go} and {@code pipeline_factory.go}); {@code KRATIX_DRY_RUN} comes
 * with the run's {@link PipelineMode}.
 */
public final class KratixEnvironment {
    private KratixEnvironment() {}

    /** Group, version and kind Kratix reports for promise workflows. */
    public static final GroupVersionKind PROMISE_GVK =
            new GroupVersionKind("platform.kratix.io", "v1alpha1", "Promise");

    /**
     * The variables for one pipeline run.
     *
     * @param type promise or resource workflow
     * @param action configure or delete
     * @param promiseName the Promise
     * @param pipeline the pipeline
     * @param objectGvk the object's type ({@link #PROMISE_GVK} for promise workflows)
     * @param objectName the object's name
     * @param objectNamespace the request's namespace; ignored for promise workflows
     * @param crdPlural the Promise API's plural; ignored for promise workflows
     * @return the variables, sorted by name
     */
    public static SortedMap<String, String> of(
            WorkflowType type,
            WorkflowAction action,
            String promiseName,
            Pipeline pipeline,
            GroupVersionKind objectGvk,
            String objectName,
            String objectNamespace,
            String crdPlural) {
        boolean promise = type == WorkflowType.PROMISE;
        SortedMap<String, String> env = new TreeMap<>();
        env.put("KRATIX_WORKFLOW_ACTION", action.value());
        env.put("KRATIX_WORKFLOW_TYPE", type.value());
        env.put("KRATIX_PROMISE_NAME", promiseName);
        env.put("KRATIX_PIPELINE_NAME", pipeline.name());
        GroupVersionKind gvk = promise ? PROMISE_GVK : objectGvk;
        env.put("KRATIX_OBJECT_KIND", gvk.kind());
        env.put("KRATIX_OBJECT_GROUP", gvk.group());
        env.put("KRATIX_OBJECT_VERSION", gvk.version());
        env.put("KRATIX_OBJECT_NAME", objectName);
        env.put("KRATIX_OBJECT_NAMESPACE", promise ? "" : objectNamespace);
        env.put("KRATIX_CRD_PLURAL", promise ? "promises" : crdPlural);
        // Promise APIs must be namespaced, so only the Promise itself is cluster scoped.
        env.put("KRATIX_CLUSTER_SCOPED", Boolean.toString(promise));
        return env;
    }
}
