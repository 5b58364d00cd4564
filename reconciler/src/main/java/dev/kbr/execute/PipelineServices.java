package dev.kbr.execute;

import dev.kbr.pipeline.PipelineMode;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.platformapi.PlatformApi;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What running a pipeline takes besides the pipeline: the runtime, where Secrets and ConfigMaps
 * come from, how long a pipeline may take, and the platform API its containers may call.
 *
 * @param runner runs pipeline containers
 * @param secrets where the containers' Secrets (variables and volumes) come from
 * @param configMaps where {@code configMap} volumes and projections come from
 * @param timeout the longest one pipeline may take
 * @param platformApi the API served to pipelines; empty when it is off ({@code --platform-api off}
 *     or {@code kbr render})
 * @param mode live ({@code kbr apply}) or dry run ({@code kbr plan}, {@code kbr render}): whether
 *     pipelines get {@code KRATIX_DRY_RUN=true}
 */
public record PipelineServices(
        PipelineRunner runner,
        Secrets secrets,
        ConfigMaps configMaps,
        Duration timeout,
        Optional<PlatformApi> platformApi,
        PipelineMode mode) {
    public PipelineServices {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(configMaps, "configMaps");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(platformApi, "platformApi");
        Objects.requireNonNull(mode, "mode");
    }

    /** Services without ConfigMaps nor the platform API. */
    public PipelineServices(PipelineRunner runner, Secrets secrets, Duration timeout, PipelineMode mode) {
        this(runner, secrets, ConfigMaps.none(), timeout, Optional.empty(), mode);
    }
}
