package dev.kbr.pipeline.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import dev.kbr.model.ContainerResources;
import dev.kbr.model.ContainerSecurity;
import dev.kbr.model.PipelineSpec;
import dev.kbr.model.Quantity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerContainerSpecTest {
    @Test
    void mapsResourcesAsTheKubeletAsksTheRuntime() {
        PipelineSpec.ContainerSpec spec = new PipelineSpec.ContainerSpec(
                Optional.of(new ContainerResources(q("250m"), q("32Mi"), q("1.5"), q("1G"))), Optional.empty());

        HostConfig host = DockerContainerSpec.apply(HostConfig.newHostConfig(), spec, 8);

        assertThat(host.getNanoCPUs()).isEqualTo(1_500_000_000L);
        assertThat(host.getCpuShares()).isEqualTo(256);
        assertThat(host.getMemory()).isEqualTo(1_000_000_000L);
        assertThat(host.getMemorySwap()).isEqualTo(1_000_000_000L);
        assertThat(host.getMemoryReservation()).isEqualTo(32L << 20);
    }

    @Test
    void capsTheCpuLimitAtTheEnginesCpus() {
        PipelineSpec.ContainerSpec spec = new PipelineSpec.ContainerSpec(
                Optional.of(new ContainerResources(q("10m"), Optional.empty(), q("16"), Optional.empty())),
                Optional.empty());

        HostConfig host = DockerContainerSpec.apply(HostConfig.newHostConfig(), spec, 2);

        assertThat(host.getNanoCPUs()).isEqualTo(2_000_000_000L);
        assertThat(host.getCpuShares()).isEqualTo(10);
    }

    @Test
    void mapsTheSecurityContext() {
        PipelineSpec.ContainerSpec spec = security(
                Optional.of(1000L),
                Optional.empty(),
                new ContainerSecurity.Capabilities(List.of("CHOWN"), List.of("ALL")));

        HostConfig host = DockerContainerSpec.apply(HostConfig.newHostConfig(), spec, 2);

        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges", "seccomp=unconfined");
        assertThat(host.getCapAdd()).containsExactly(Capability.CHOWN);
        assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(DockerContainerSpec.readOnlyRoot(spec)).isTrue();
    }

    @Test
    void runsAsTheGivenUserAndGroupAndGivesThemTheFiles() {
        PipelineSpec.ContainerSpec both =
                security(Optional.of(1000L), Optional.of(3000L), ContainerSecurity.Capabilities.none());
        PipelineSpec.ContainerSpec groupOnly =
                security(Optional.empty(), Optional.of(3000L), ContainerSecurity.Capabilities.none());

        assertThat(DockerContainerSpec.user(both, "app")).contains("1000:3000");
        assertThat(DockerContainerSpec.user(groupOnly, "app:app")).contains("app:3000");
        assertThat(DockerContainerSpec.user(groupOnly, "")).contains("0:3000");
        assertThat(DockerContainerSpec.user(PipelineSpec.ContainerSpec.none(), "app"))
                .isEmpty();
        assertThat(DockerContainerSpec.owner(both, new ImageUser(7, 8))).isEqualTo(new ImageUser(1000, 3000));
        assertThat(DockerContainerSpec.owner(PipelineSpec.ContainerSpec.none(), new ImageUser(7, 8)))
                .isEqualTo(new ImageUser(7, 8));
    }

    @Test
    void refusesRootUnderRunAsNonRootInTheKubeletsWords() {
        PipelineSpec.ContainerSpec nonRoot = new PipelineSpec.ContainerSpec(
                Optional.empty(),
                Optional.of(new ContainerSecurity(
                        new ContainerSecurity.Identity(Optional.empty(), Optional.empty(), Optional.of(true)),
                        Optional.empty(),
                        Optional.empty(),
                        ContainerSecurity.Capabilities.none(),
                        Optional.empty(),
                        false)));

        assertThat(DockerContainerSpec.nonRootRefusal(nonRoot, ""))
                .get()
                .asString()
                .startsWith("container has runAsNonRoot and image will run as root");
        assertThat(DockerContainerSpec.nonRootRefusal(nonRoot, "app"))
                .get()
                .asString()
                .startsWith(
                        "container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root");
        assertThat(DockerContainerSpec.nonRootRefusal(nonRoot, "1000:1000")).isEmpty();
        assertThat(DockerContainerSpec.nonRootRefusal(PipelineSpec.ContainerSpec.none(), ""))
                .isEmpty();
    }

    private static PipelineSpec.ContainerSpec security(
            Optional<Long> user, Optional<Long> group, ContainerSecurity.Capabilities capabilities) {
        return new PipelineSpec.ContainerSpec(
                Optional.empty(),
                Optional.of(new ContainerSecurity(
                        new ContainerSecurity.Identity(user, group, Optional.empty()),
                        Optional.of(true),
                        Optional.of(false),
                        capabilities,
                        Optional.of("Unconfined"),
                        false)));
    }

    private static Optional<Quantity> q(String text) {
        return Quantity.parse(text);
    }
}
