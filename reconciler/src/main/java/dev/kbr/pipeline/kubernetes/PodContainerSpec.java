package dev.kbr.pipeline.kubernetes;

import dev.kbr.model.ContainerResources;
import dev.kbr.model.ContainerSecurity;
import dev.kbr.model.PipelineSpec;
import dev.kbr.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A pipeline container's typed {@link PipelineSpec.ContainerSpec} as the fabric8 values of a Pod's
 * container: every honoured field is passed on as written; a container without {@code resources}
 * gets Kratix's built-in defaults ({@link PipelinePod#DEFAULT_RESOURCES}), as Kratix gives it.
 */
final class PodContainerSpec {
    private PodContainerSpec() {}

    /** The container's resources, or Kratix's defaults when it has none. */
    static ResourceRequirements resources(PipelineSpec.ContainerSpec spec) {
        if (spec.resources().isEmpty()) {
            return PipelinePod.DEFAULT_RESOURCES;
        }
        ContainerResources resources = spec.resources().get();
        Map<String, io.fabric8.kubernetes.api.model.Quantity> requests = new TreeMap<>();
        Map<String, io.fabric8.kubernetes.api.model.Quantity> limits = new TreeMap<>();
        put(requests, "cpu", resources.cpuRequest());
        put(requests, "memory", resources.memoryRequest());
        put(limits, "cpu", resources.cpuLimit());
        put(limits, "memory", resources.memoryLimit());
        return new ResourceRequirementsBuilder()
                .withRequests(requests.isEmpty() ? null : requests)
                .withLimits(limits.isEmpty() ? null : limits)
                .build();
    }

    private static void put(
            Map<String, io.fabric8.kubernetes.api.model.Quantity> into, String name, Optional<Quantity> quantity) {
        quantity.ifPresent(q -> into.put(name, new io.fabric8.kubernetes.api.model.Quantity(q.text())));
    }

    /** The container's security context, or null when it has none. */
    static SecurityContext securityContext(PipelineSpec.ContainerSpec spec) {
        if (spec.securityContext().isEmpty()) {
            return null;
        }
        ContainerSecurity security = spec.securityContext().get();
        SecurityContextBuilder builder = new SecurityContextBuilder()
                .withRunAsUser(security.identity().runAsUser().orElse(null))
                .withRunAsGroup(security.identity().runAsGroup().orElse(null))
                .withRunAsNonRoot(security.identity().runAsNonRoot().orElse(null))
                .withReadOnlyRootFilesystem(security.readOnlyRootFilesystem().orElse(null))
                .withAllowPrivilegeEscalation(
                        security.allowPrivilegeEscalation().orElse(null))
                .withPrivileged(security.privilegedFalse() ? Boolean.FALSE : null);
        ContainerSecurity.Capabilities capabilities = security.capabilities();
        if (!capabilities.add().isEmpty() || !capabilities.drop().isEmpty()) {
            builder.withNewCapabilities()
                    .withAdd(capabilities.add().isEmpty() ? null : capabilities.add())
                    .withDrop(capabilities.drop().isEmpty() ? null : capabilities.drop())
                    .endCapabilities();
        }
        security.seccompProfile()
                .ifPresent(
                        type -> builder.withNewSeccompProfile().withType(type).endSeccompProfile());
        return builder.build();
    }
}
