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
 * @param pipelines how pipelines run
 * @param caching when a workflow runs again
 * @param safety the mass-delete guard and push retries
 */
public record PassOptions(
        PlatformSource platform,
        Map<String, String> stateUrls,
        boolean apply,
        Pipelines pipelines,
        Caching caching,
        Safety safety) {
    public PassOptions {
        Objects.requireNonNull(platform, "platform");
        stateUrls = Map.copyOf(stateUrls);
        Objects.requireNonNull(pipelines, "pipelines");
        Objects.requireNonNull(caching, "caching");
        Objects.requireNonNull(safety, "safety");
    }

    /** Options with the defaults for caching, parallelism and safety. */
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
                new Pipelines(pipelineTimeout, maxRequestDepth, secrets, DEFAULT_PARALLELISM),
                Caching.DEFAULT,
                Safety.DEFAULT);
    }

    /**
     * How pipelines run.
     *
     * @param timeout how long one pipeline may run
     * @param maxRequestDepth how deep compound Promises may nest sub-requests in one pass
     * @param secrets where pipeline {@code secretKeyRef}/{@code envFrom} values come from
     * @param parallelism how many objects' workflows may run at once (at least 1)
     * @param platformApi starts the platform API served to pipelines; empty when it is off
     * @throws IllegalArgumentException when {@code parallelism} is below 1
     */
    public record Pipelines(
            Duration timeout,
            int maxRequestDepth,
            Secrets secrets,
            int parallelism,
            java.util.Optional<dev.kbr.platformapi.PlatformApiStarter> platformApi) {
        public Pipelines {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(secrets, "secrets");
            Objects.requireNonNull(platformApi, "platformApi");
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
            }
        }

        /** Pipelines without the platform API. */
        public Pipelines(Duration timeout, int maxRequestDepth, Secrets secrets, int parallelism) {
            this(timeout, maxRequestDepth, secrets, parallelism, java.util.Optional.empty());
        }
    }

    /**
     * When a workflow runs again although its inputs did not change.
     *
     * @param reconcileAll run every workflow, even when its inputs did not change
     * @param reconcileInterval how long a workflow's outputs stand without a re-run when nothing
     *     else says otherwise (Kratix's {@code reconciliationInterval}); zero means forever
     */
    public record Caching(boolean reconcileAll, Duration reconcileInterval) {
        /** Nothing forced, Kratix's 10h interval. */
        public static final Caching DEFAULT = new Caching(false, DEFAULT_RECONCILE_INTERVAL);

        public Caching {
            Objects.requireNonNull(reconcileInterval, "reconcileInterval");
        }
    }

    /**
     * What keeps a pass from doing damage.
     *
     * @param maxDeleteFraction the largest share (0 to 1) of the Works recorded across all state
     *     stores that one pass may delete before it refuses to write anything
     * @param allowMassDelete true to write a pass that deletes more than {@code maxDeleteFraction}
     * @param pushRetries how many times a commit refused because its state store moved since it
     *     was read is recomputed on the new head and pushed again (0 = never), with jittered
     *     exponential backoff
     * @throws IllegalArgumentException when the fraction is outside 0..1 or the retries negative
     */
    public record Safety(double maxDeleteFraction, boolean allowMassDelete, int pushRetries) {
        /** Half the recorded Works at most, and 5 push retries. */
        public static final Safety DEFAULT = new Safety(DEFAULT_MAX_DELETE_FRACTION, false, DEFAULT_PUSH_RETRIES);

        public Safety {
            if (!(maxDeleteFraction >= 0 && maxDeleteFraction <= 1)) {
                throw new IllegalArgumentException(
                        "--max-delete-fraction must be between 0 and 1, not " + maxDeleteFraction);
            }
            if (pushRetries < 0) {
                throw new IllegalArgumentException("pushRetries must not be negative, not " + pushRetries);
            }
        }
    }

    /** Two tasks per core: pipelines mostly wait for containers. */
    public static final int DEFAULT_PARALLELISM = 2 * Runtime.getRuntime().availableProcessors();

    /** Share of the recorded Works one pass may delete without {@code --allow-mass-delete}. */
    public static final double DEFAULT_MAX_DELETE_FRACTION = 0.5;

    /** How often a refused push is retried by default. */
    public static final int DEFAULT_PUSH_RETRIES = 5;

    /** Kratix's default {@code reconciliationInterval}. */
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofHours(10);

    /** These options with other caching rules. */
    public PassOptions with(Caching other) {
        return new PassOptions(platform, stateUrls, apply, pipelines, other, safety);
    }

    /** These options with other safety limits. */
    public PassOptions with(Safety other) {
        return new PassOptions(platform, stateUrls, apply, pipelines, caching, other);
    }

    /**
     * How this pass's pipelines run: {@link dev.kbr.pipeline.PipelineMode#LIVE} when it commits,
     * else {@link dev.kbr.pipeline.PipelineMode#DRY_RUN} ({@code KRATIX_DRY_RUN=true}), so a plan's
     * pipelines can skip their side effects.
     */
    public dev.kbr.pipeline.PipelineMode pipelineMode() {
        return apply ? dev.kbr.pipeline.PipelineMode.LIVE : dev.kbr.pipeline.PipelineMode.DRY_RUN;
    }

    /** {@link Pipelines#timeout}. */
    public Duration pipelineTimeout() {
        return pipelines.timeout();
    }

    /** {@link Pipelines#maxRequestDepth}. */
    public int maxRequestDepth() {
        return pipelines.maxRequestDepth();
    }

    /** {@link Pipelines#secrets}. */
    public Secrets secrets() {
        return pipelines.secrets();
    }

    /** {@link Pipelines#parallelism}. */
    public int parallelism() {
        return pipelines.parallelism();
    }

    /** {@link Caching#reconcileAll}. */
    public boolean reconcileAll() {
        return caching.reconcileAll();
    }

    /** {@link Caching#reconcileInterval}. */
    public Duration reconcileInterval() {
        return caching.reconcileInterval();
    }

    /** {@link Safety#pushRetries}. */
    public int pushRetries() {
        return safety.pushRetries();
    }

    /** The mass-delete limits of {@code --max-delete-fraction} and {@code --allow-mass-delete}. */
    public dev.kbr.plan.DeleteGuard.Limits deleteLimits() {
        return new dev.kbr.plan.DeleteGuard.Limits(
                safety.maxDeleteFraction(),
                safety.allowMassDelete(),
                platform.origin().toString());
    }
}
