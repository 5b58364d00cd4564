package dev.kbr.execute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Promise;
import dev.kbr.model.WorkflowAction;
import dev.kbr.model.WorkflowType;
import dev.kbr.pipeline.KratixEnvironment;
import dev.kbr.pipeline.PipelineInvocation;
import java.io.IOException;

/**
 * Builds the {@link PipelineInvocation} of one pipeline of an object's workflow exactly as a pass
 * does: the {@code KRATIX_*} environment, the object as {@code /kratix/input/object.yaml}, and
 * the container Secrets and the Secret and ConfigMap volumes resolved from the pipeline's namespace. Used by the pass ({@link
 * Reconciler}) and by {@code kbr render} ({@link RenderWorkflow}).
 */
public final class PipelineInvocations {
    private PipelineInvocations() {}

    /**
     * The invocation of {@code pipeline} on {@code object}.
     *
     * @param promise the Promise whose workflow this is
     * @param type promise or resource workflow
     * @param action configure or delete
     * @param pipeline the pipeline, Secrets not yet resolved
     * @param object the object as the pipeline sees it (status included)
     * @param name the object's name (the Promise's name for promise workflows)
     * @param namespace the request's namespace; empty for promise workflows
     * @param description how reports name the run
     * @param services where {@code secretKeyRef}, {@code envFrom} and volume values come from, how
     *     long the whole pipeline may take, and whether it is a dry run ({@code KRATIX_DRY_RUN})
     * @throws IOException when a Secret exists but cannot be read
     * @throws IllegalArgumentException when a Secret, ConfigMap or key the pipeline needs is
     *     missing (the message says where to put it)
     */
    public static PipelineInvocation of(
            Promise promise,
            WorkflowType type,
            WorkflowAction action,
            Pipeline pipeline,
            ObjectNode object,
            String name,
            String namespace,
            String description,
            PipelineServices services)
            throws IOException {
        var gvk = promise.api().map(a -> a.gvk()).orElse(KratixEnvironment.PROMISE_GVK);
        var env = KratixEnvironment.of(
                type,
                action,
                promise.name(),
                pipeline,
                gvk,
                name,
                namespace,
                promise.api().map(a -> a.plural()).orElse(""));
        env.putAll(services.mode().environment());
        String pipelineNamespace = pipelineNamespace(promise, type, namespace);
        Pipeline resolved = VolumeResolver.resolve(
                VariableResolver.resolve(pipeline, pipelineNamespace, services.secrets(), services.configMaps()),
                pipelineNamespace,
                services.secrets(),
                services.configMaps());
        return new PipelineInvocation(description, resolved, YamlText.write(object), env, services.timeout());
    }

    /**
     * Where a pipeline's Secrets live: {@code spec.workflows.config.pipelineNamespace} when set,
     * else the request's namespace, or {@code kratix-platform-system} for Promise workflows
     * (KRATIX.md §2.1).
     */
    public static String pipelineNamespace(Promise promise, WorkflowType type, String requestNamespace) {
        String configured = promise.document()
                .path("spec")
                .path("workflows")
                .path("config")
                .path("pipelineNamespace")
                .asText("");
        if (!configured.isEmpty()) {
            return configured;
        }
        return type == WorkflowType.PROMISE ? "kratix-platform-system" : requestNamespace;
    }
}
