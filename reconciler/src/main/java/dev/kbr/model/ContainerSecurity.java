package dev.kbr.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code securityContext} of a pipeline container, as far as kbr honours it (Kubernetes
 * {@code core/v1 SecurityContext}). Every field is applied by both runners; fields neither can
 * apply the same way ({@code privileged: true}, {@code seLinuxOptions},
 * {@code procMount}, {@code appArmorProfile}, a {@code Localhost} seccomp profile) are rejected
 * when the Pipeline is read ({@link PipelineSpec}).
 *
 * @param identity who the container runs as
 * @param readOnlyRootFilesystem {@code readOnlyRootFilesystem}
 * @param allowPrivilegeEscalation {@code allowPrivilegeEscalation}
 * @param capabilities {@code capabilities.add} and {@code capabilities.drop}
 * @param seccompProfile {@code seccompProfile.type}: {@code RuntimeDefault} or {@code Unconfined};
 *     empty when not written (Docker then applies its default profile, Kubernetes its node's
 *     default, usually none)
 * @param privilegedFalse whether {@code privileged: false} was written (the default either way)
 */
public record ContainerSecurity(
        Identity identity,
        Optional<Boolean> readOnlyRootFilesystem,
        Optional<Boolean> allowPrivilegeEscalation,
        Capabilities capabilities,
        Optional<String> seccompProfile,
        boolean privilegedFalse) {
    public ContainerSecurity {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(readOnlyRootFilesystem, "readOnlyRootFilesystem");
        Objects.requireNonNull(allowPrivilegeEscalation, "allowPrivilegeEscalation");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(seccompProfile, "seccompProfile");
    }

    /**
     * Who the container runs as.
     *
     * @param runAsUser {@code runAsUser}: numeric user id, 0 to 2147483647; empty keeps the image's
     * @param runAsGroup {@code runAsGroup}: numeric primary group id; empty keeps the image's (or
     *     the user's)
     * @param runAsNonRoot {@code runAsNonRoot}: when true, a container that would run as user 0, or
     *     whose image names its user by name so that it cannot be checked, is not started
     */
    public record Identity(Optional<Long> runAsUser, Optional<Long> runAsGroup, Optional<Boolean> runAsNonRoot) {
        public Identity {
            Objects.requireNonNull(runAsUser, "runAsUser");
            Objects.requireNonNull(runAsGroup, "runAsGroup");
            Objects.requireNonNull(runAsNonRoot, "runAsNonRoot");
        }
    }

    /**
     * Linux capabilities added to and dropped from the runtime's default set, by name without the
     * {@code CAP_} prefix ({@code NET_ADMIN}), or {@code ALL}.
     *
     * @param add {@code capabilities.add}, in the order written
     * @param drop {@code capabilities.drop}, in the order written
     */
    public record Capabilities(List<String> add, List<String> drop) {
        public Capabilities {
            add = List.copyOf(add);
            drop = List.copyOf(drop);
        }

        /** No change to the runtime's default set. */
        public static Capabilities none() {
            return new Capabilities(List.of(), List.of());
        }
    }
}
