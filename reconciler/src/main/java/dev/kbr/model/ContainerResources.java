package dev.kbr.model;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code resources} of a pipeline container, as far as kbr honours them: CPU and memory
 * requests and limits (Kubernetes {@code core/v1 ResourceRequirements}). Both runners apply
 * them: the Kubernetes runner as the container's resources, the Docker runner as CPU shares, a
 * memory reservation, nano CPUs and a memory limit.
 *
 * @param cpuRequest {@code requests.cpu}, in CPUs
 * @param memoryRequest {@code requests.memory}, in bytes
 * @param cpuLimit {@code limits.cpu}, in CPUs
 * @param memoryLimit {@code limits.memory}, in bytes
 */
public record ContainerResources(
        Optional<Quantity> cpuRequest,
        Optional<Quantity> memoryRequest,
        Optional<Quantity> cpuLimit,
        Optional<Quantity> memoryLimit) {
    public ContainerResources {
        Objects.requireNonNull(cpuRequest, "cpuRequest");
        Objects.requireNonNull(memoryRequest, "memoryRequest");
        Objects.requireNonNull(cpuLimit, "cpuLimit");
        Objects.requireNonNull(memoryLimit, "memoryLimit");
    }
}
