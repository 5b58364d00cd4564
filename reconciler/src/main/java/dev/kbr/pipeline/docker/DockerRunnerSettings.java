package dev.kbr.pipeline.docker;

import dev.kbr.pipeline.TarTrees;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link DockerPipelineRunner} reaches the engine and confines pipeline containers.
 *
 * @param dockerHost the engine's address, e.g. {@code unix:///var/run/docker.sock}; empty means
 *     docker-java's defaults: {@code DOCKER_HOST} from the environment, else {@code
 *     unix:///var/run/docker.sock}
 * @param networkMode the Docker network mode of pipeline containers, e.g. {@code none} (no network
 *     besides loopback, the default) or {@code bridge}
 * @param maxLogBytes how many bytes of each container's log to keep, the tail being kept
 * @param outputLimits size limits on the output and metadata trees of each container
 */
public record DockerRunnerSettings(
        Optional<String> dockerHost, String networkMode, int maxLogBytes, TarTrees.Limits outputLimits) {
    /** The default network mode: containers get only a loopback interface. */
    public static final String DEFAULT_NETWORK_MODE = "none";

    /** The default log cap: 1 MiB per container. */
    public static final int DEFAULT_MAX_LOG_BYTES = 1024 * 1024;

    public DockerRunnerSettings {
        Objects.requireNonNull(dockerHost, "dockerHost");
        Objects.requireNonNull(networkMode, "networkMode");
        if (networkMode.isBlank()) {
            throw new IllegalArgumentException("networkMode must not be blank");
        }
        if (maxLogBytes < 0) {
            throw new IllegalArgumentException("maxLogBytes must not be negative: " + maxLogBytes);
        }
        Objects.requireNonNull(outputLimits, "outputLimits");
    }

    /** Engine from the environment, network {@code none}, 1 MiB of log, default output limits. */
    public static DockerRunnerSettings defaults() {
        return new DockerRunnerSettings(
                Optional.empty(), DEFAULT_NETWORK_MODE, DEFAULT_MAX_LOG_BYTES, TarTrees.Limits.defaults());
    }

    /** These settings with an explicit engine address. */
    public DockerRunnerSettings withDockerHost(String host) {
        return new DockerRunnerSettings(Optional.of(host), networkMode, maxLogBytes, outputLimits);
    }

    /** These settings with another network mode. */
    public DockerRunnerSettings withNetworkMode(String mode) {
        return new DockerRunnerSettings(dockerHost, mode, maxLogBytes, outputLimits);
    }

    /** These settings with another log cap, in bytes. */
    public DockerRunnerSettings withMaxLogBytes(int bytes) {
        return new DockerRunnerSettings(dockerHost, networkMode, bytes, outputLimits);
    }

    /** These settings with other output limits. */
    public DockerRunnerSettings withOutputLimits(TarTrees.Limits limits) {
        return new DockerRunnerSettings(dockerHost, networkMode, maxLogBytes, limits);
    }
}
