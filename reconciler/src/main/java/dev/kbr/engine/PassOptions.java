package dev.kbr.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What one pass is asked to do.
 *
 * @param platform the platform repo folder
 * @param stateUrls GitStateStore name to a URL replacing its {@code spec.url}
 * @param apply true to commit and push; false for a plan (dry run)
 * @param pipelineTimeout how long one pipeline may run
 * @param maxRequestDepth how deep compound Promises may nest sub-requests in one pass
 * @param secrets where pipeline {@code secretKeyRef}/{@code envFrom} values come from
 */
public record PassOptions(
        Path platform,
        Map<String, String> stateUrls,
        boolean apply,
        Duration pipelineTimeout,
        int maxRequestDepth,
        Secrets secrets) {
    public PassOptions {
        Objects.requireNonNull(platform, "platform");
        stateUrls = Map.copyOf(stateUrls);
        Objects.requireNonNull(pipelineTimeout, "pipelineTimeout");
        Objects.requireNonNull(secrets, "secrets");
    }
}
