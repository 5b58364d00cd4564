package dev.kbr.engine;

import dev.kbr.execute.Secrets;
import dev.kbr.load.PlatformSource;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.report.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Passes over a platform folder whose one Destination ({@code worker}) is written to a state
 * store held in memory ({@link InMemoryStateStore}), for engine tests that need no container
 * engine and no Git.
 */
final class MemoryPasses {
    private MemoryPasses() {}

    /** Writes the Destination {@code worker} and its GitStateStore {@code default} into {@code platform}. */
    static void writeDestination(Path platform) throws Exception {
        Files.writeString(platform.resolve("destination.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata:
                  name: worker
                spec:
                  path: worker
                  stateStoreRef:
                    kind: GitStateStore
                    name: default
                ---
                apiVersion: platform.kratix.io/v1alpha1
                kind: GitStateStore
                metadata:
                  name: default
                spec:
                  url: memory://state
                  branch: main
                """);
    }

    /**
     * One {@code kbr apply} pass with the default caching and safety, then closes {@code runner}.
     *
     * @param parallelism how many objects run at once
     */
    static RunReport apply(Path platform, InMemoryStateStore store, PipelineRunner runner, Clock clock, int parallelism)
            throws Exception {
        return apply(platform, store, runner, clock, parallelism, PassListener.NONE);
    }

    /** {@link #apply(Path, InMemoryStateStore, PipelineRunner, Clock, int)}, heard by {@code listener}. */
    static RunReport apply(
            Path platform,
            InMemoryStateStore store,
            PipelineRunner runner,
            Clock clock,
            int parallelism,
            PassListener listener)
            throws Exception {
        PassOptions options = new PassOptions(
                PlatformSource.folder(platform),
                Map.of(),
                true,
                new PassOptions.Pipelines(Duration.ofMinutes(1), 5, Secrets.none(), parallelism),
                PassOptions.Caching.DEFAULT,
                PassOptions.Safety.DEFAULT);
        try (runner) {
            return new Reconciler(runner, model -> store, clock, listener).run(options);
        }
    }
}
