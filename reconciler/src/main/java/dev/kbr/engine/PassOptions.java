package dev.kbr.engine;

import dev.kbr.execute.Secrets;
import dev.kbr.load.PlatformSource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What one pass is asked to do.
 *
 * @param platform the platform repo: a folder, or a Git commit fetched before the pass
 * @param stateUrls GitStateStore name to a URL replacing its {@code spec.url}
 * @param apply true to commit and push; false for a plan (dry run)
 * @param pipelineTimeout how long one pipeline may run
 * @param maxRequestDepth how deep compound Promises may nest sub-requests in one pass
 * @param secrets where pipeline {@code secretKeyRef}/{@code envFrom} values come from
 * @param reconcileAll run every workflow, even when its inputs did not change
 * @param reconcileInterval how long a workflow's outputs stand without a re-run when nothing
 *     else says otherwise (Kratix's {@code reconciliationInterval}); zero means forever
 * @param parallelism how many objects' workflows may run at once (at least 1)
 * @param maxDeleteFraction the largest share (0 to 1) of the Works recorded across all state
 *     stores that one pass may delete before it refuses to write anything
 * @param allowMassDelete true to write a pass that deletes more than {@code maxDeleteFraction}
 * @param pushRetries how many times a commit refused because its state store moved since it was
 *     read is recomputed on the new head and pushed again (0 = never), with jittered exponential backoff
 */
public record PassOptions(
        PlatformSource platform,
        Map<String, String> stateUrls,
        boolean apply,
        Duration pipelineTimeout,
        int maxRequestDepth,
        Secrets secrets,
        boolean reconcileAll,
        Duration reconcileInterval,
        int parallelism,
        double maxDeleteFraction,
        boolean allowMassDelete,
        int pushRetries) {
    public PassOptions {
        Objects.requireNonNull(platform, "platform");
        stateUrls = Map.copyOf(stateUrls);
        Objects.requireNonNull(pipelineTimeout, "pipelineTimeout");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(reconcileInterval, "reconcileInterval");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        if (!(maxDeleteFraction >= 0 && maxDeleteFraction <= 1)) {
            throw new IllegalArgumentException(
                    "--max-delete-fraction must be between 0 and 1, not " + maxDeleteFraction);
        }
        if (pushRetries < 0) {
            throw new IllegalArgumentException("pushRetries must not be negative, not " + pushRetries);
        }
    }

    /** Options with the default mass-delete guard and push-retry count. */
    public PassOptions(
            PlatformSource platform,
            Map<String, String> stateUrls,
            boolean apply,
            Duration pipelineTimeout,
            int maxRequestDepth,
            Secrets secrets,
            boolean reconcileAll,
            Duration reconcileInterval,
            int parallelism) {
        this(
                platform,
                stateUrls,
                apply,
                pipelineTimeout,
                maxRequestDepth,
                secrets,
                reconcileAll,
                reconcileInterval,
                parallelism,
                DEFAULT_MAX_DELETE_FRACTION,
                false,
                DEFAULT_PUSH_RETRIES);
    }

    /** Options with the defaults for caching: nothing forced, Kratix's 10h interval. */
    public PassOptions(
            PlatformSource platform,
            Map<String, String> stateUrls,
            boolean apply,
            Duration pipelineTimeout,
            int maxRequestDepth,
            Secrets secrets) {
        this(
                platform,
                stateUrls,
                apply,
                pipelineTimeout,
                maxRequestDepth,
                secrets,
                false,
                DEFAULT_RECONCILE_INTERVAL,
                DEFAULT_PARALLELISM);
    }

    /** Two tasks per core: pipelines mostly wait for containers. */
    public static final int DEFAULT_PARALLELISM = 2 * Runtime.getRuntime().availableProcessors();

    /** Share of the recorded Works one pass may delete without {@code --allow-mass-delete}. */
    public static final double DEFAULT_MAX_DELETE_FRACTION = 0.5;

    /** How often a refused push is retried by default. */
    public static final int DEFAULT_PUSH_RETRIES = 5;

    /** Kratix's default {@code reconciliationInterval}. */
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofHours(10);

    /** The mass-delete limits of {@code --max-delete-fraction} and {@code --allow-mass-delete}. */
    public dev.kbr.plan.DeleteGuard.Limits deleteLimits() {
        return new dev.kbr.plan.DeleteGuard.Limits(
                maxDeleteFraction, allowMassDelete, platform.origin().toString());
    }
}
