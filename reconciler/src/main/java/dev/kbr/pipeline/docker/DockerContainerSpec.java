package dev.kbr.pipeline.docker;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import dev.kbr.model.ContainerResources;
import dev.kbr.model.ContainerSecurity;
import dev.kbr.model.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline container's typed {@link PipelineSpec.ContainerSpec} as Docker applies it, mirroring
 * what the kubelet asks of a container runtime for the same fields:
 *
 * <ul>
 *   <li>{@code limits.cpu} as {@code NanoCPUs} (at most the engine's CPU count, which Docker
 *       refuses to exceed; a larger limit limits nothing on Kubernetes either);
 *   <li>{@code requests.cpu} as {@code CpuShares}, 1024 per CPU and at least 2, as the kubelet
 *       converts it ({@code MilliCPUToShares});
 *   <li>{@code limits.memory} as {@code Memory} with {@code MemorySwap} equal to it (no swap, as
 *       on a Kubernetes node), {@code requests.memory} as {@code MemoryReservation};
 *   <li>{@code runAsUser}/{@code runAsGroup} as the container's {@code User} ({@code uid[:gid]});
 *       {@code runAsNonRoot} refuses to start a container that would run as user 0 or whose image
 *       names its user by name, with the kubelet's words;
 *   <li>{@code readOnlyRootFilesystem} as {@code ReadonlyRootfs} (the runner then gives {@code
 *       /kratix} and each volume mount an anonymous volume, as a Pod's are emptyDirs);
 *   <li>{@code allowPrivilegeEscalation: false} as security option {@code no-new-privileges},
 *       {@code seccompProfile.type: Unconfined} as {@code seccomp=unconfined}, {@code
 *       capabilities} as {@code CapAdd}/{@code CapDrop}; {@code privileged} stays false.
 * </ul>
 *
 * <p>Without {@code resources} a container has no limits here (Kratix's defaults are applied only
 * by the Kubernetes runner, where the scheduler needs requests).
 */
final class DockerContainerSpec {
    private static final long MIN_SHARES = 2;
    private static final long MAX_SHARES = 262_144;
    private static final long NANOS_PER_CPU = 1_000_000_000L;

    private DockerContainerSpec() {}

    /**
     * Adds the container's resources and security settings to {@code host}.
     *
     * @param engineCpus the engine's CPU count, which caps the CPU limit
     * @return {@code host}
     */
    static HostConfig apply(HostConfig host, PipelineSpec.ContainerSpec spec, int engineCpus) {
        spec.resources().ifPresent(resources -> resources(host, resources, engineCpus));
        if (spec.securityContext().isEmpty()) {
            return host;
        }
        ContainerSecurity security = spec.securityContext().get();
        host.withReadonlyRootfs(security.readOnlyRootFilesystem().orElse(false));
        List<String> options = new ArrayList<>();
        if (!security.allowPrivilegeEscalation().orElse(true)) {
            options.add("no-new-privileges");
        }
        if (security.seccompProfile().filter("Unconfined"::equals).isPresent()) {
            options.add("seccomp=unconfined");
        }
        if (!options.isEmpty()) {
            host.withSecurityOpts(options);
        }
        if (!security.capabilities().add().isEmpty()) {
            host.withCapAdd(capabilities(security.capabilities().add()));
        }
        if (!security.capabilities().drop().isEmpty()) {
            host.withCapDrop(capabilities(security.capabilities().drop()));
        }
        return host;
    }

    private static void resources(HostConfig host, ContainerResources resources, int engineCpus) {
        resources.cpuLimit().ifPresent(cpu -> host.withNanoCPUs(Math.min(cpu.nano(), engineCpus * NANOS_PER_CPU)));
        resources
                .cpuRequest()
                .ifPresent(cpu -> host.withCpuShares(
                        (int) Math.max(MIN_SHARES, Math.min(MAX_SHARES, cpu.milli() * 1024 / 1000))));
        resources
                .memoryLimit()
                .ifPresent(memory -> host.withMemory(memory.whole()).withMemorySwap(memory.whole()));
        resources.memoryRequest().ifPresent(memory -> host.withMemoryReservation(memory.whole()));
    }

    private static Capability[] capabilities(List<String> names) {
        return names.stream().map(Capability::valueOf).toArray(Capability[]::new);
    }

    /** Whether the container's root filesystem is read-only. */
    static boolean readOnlyRoot(PipelineSpec.ContainerSpec spec) {
        return spec.securityContext()
                .flatMap(ContainerSecurity::readOnlyRootFilesystem)
                .orElse(false);
    }

    /**
     * The {@code User} to create the container with: {@code uid}, {@code uid:gid}, or the image's
     * user with {@code :gid} when only {@code runAsGroup} is set; empty keeps the image's.
     *
     * @param imageUser the image's {@code USER} as written ({@code name}, {@code uid:gid}, or empty)
     */
    static Optional<String> user(PipelineSpec.ContainerSpec spec, String imageUser) {
        Optional<ContainerSecurity.Identity> identity = spec.securityContext().map(ContainerSecurity::identity);
        Optional<Long> uid = identity.flatMap(ContainerSecurity.Identity::runAsUser);
        Optional<Long> gid = identity.flatMap(ContainerSecurity.Identity::runAsGroup);
        if (uid.isEmpty() && gid.isEmpty()) {
            return Optional.empty();
        }
        String userPart = uid.map(String::valueOf).orElseGet(() -> imageUserPart(imageUser));
        return Optional.of(gid.map(g -> userPart + ":" + g).orElse(userPart));
    }

    /**
     * Who the files copied into the container belong to: the user it runs as, so that it can
     * change {@code /kratix/output} as it could a Kubernetes emptyDir.
     */
    static ImageUser owner(PipelineSpec.ContainerSpec spec, ImageUser image) {
        Optional<ContainerSecurity.Identity> identity = spec.securityContext().map(ContainerSecurity::identity);
        Optional<Long> uid = identity.flatMap(ContainerSecurity.Identity::runAsUser);
        Optional<Long> gid = identity.flatMap(ContainerSecurity.Identity::runAsGroup);
        // A user set without a group gets its group from the image's /etc/passwd, which kbr does
        // not read; owning the files is enough to change them.
        return new ImageUser(uid.orElse(image.uid()), gid.orElse(uid.isPresent() ? 0 : image.gid()));
    }

    /**
     * Why the container may not start under {@code runAsNonRoot: true}, in the kubelet's words
     * ({@code pkg/kubelet/kuberuntime/security_context_others.go}, {@code verifyRunAsNonRoot}).
     *
     * @param imageUser the image's {@code USER} as written
     * @return the reason, or empty when it may start
     */
    static Optional<String> nonRootRefusal(PipelineSpec.ContainerSpec spec, String imageUser) {
        Optional<ContainerSecurity.Identity> identity = spec.securityContext().map(ContainerSecurity::identity);
        if (!identity.flatMap(ContainerSecurity.Identity::runAsNonRoot).orElse(false)) {
            return Optional.empty();
        }
        Optional<Long> uid = identity.flatMap(ContainerSecurity.Identity::runAsUser);
        if (uid.isPresent()) {
            return uid.get() == 0
                    ? Optional.of("container's runAsUser breaks non-root policy (runAsNonRoot is true)")
                    : Optional.empty();
        }
        String user = imageUserPart(imageUser);
        if (!user.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of("container has runAsNonRoot and image has non-numeric user (" + user
                    + "), cannot verify user is non-root; set securityContext.runAsUser");
        }
        return user.chars().allMatch(c -> c == '0')
                ? Optional.of("container has runAsNonRoot and image will run as root; set securityContext.runAsUser"
                        + " to a non-zero user id")
                : Optional.empty();
    }

    private static String imageUserPart(String imageUser) {
        String user = imageUser == null ? "" : imageUser.strip();
        int colon = user.indexOf(':');
        user = colon < 0 ? user : user.substring(0, colon);
        return user.isEmpty() ? "0" : user;
    }
}
