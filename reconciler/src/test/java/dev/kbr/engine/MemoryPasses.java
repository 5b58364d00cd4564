package dev.kbr.engine;

import dev.kbr.execute.Secrets;
import dev.kbr.load.PlatformSource;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.report.RunReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

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
        return apply(
                platform,
                store,
                runner,
                clock,
                new PassOptions.Pipelines(Duration.ofMinutes(1), 5, Secrets.none(), parallelism),
                listener);
    }

    /** One {@code kbr apply} pass running pipelines as {@code pipelines} says, then closes {@code runner}. */
    static RunReport apply(
            Path platform,
            InMemoryStateStore store,
            PipelineRunner runner,
            Clock clock,
            PassOptions.Pipelines pipelines,
            PassListener listener)
            throws Exception {
        PassOptions options = new PassOptions(
                PlatformSource.folder(platform),
                Map.of(),
                true,
                pipelines,
                PassOptions.Caching.DEFAULT,
                PassOptions.Safety.DEFAULT);
        try (runner) {
            return new Reconciler(runner, model -> store, clock, listener).run(options);
        }
    }

    /**
     * A Promise {@code name} serving {@code App} in {@code example.com/v1} (a {@code spec.size}
     * string), with one resource configure pipeline {@code make}.
     *
     * @param extraSpec lines put first under {@code spec:}, indented by two spaces
     */
    static String appPromise(String name, String extraSpec) {
        return """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata:
                  name: %s
                spec:
                %s  api:
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata:
                      name: apps.example.com
                    spec:
                      group: example.com
                      names:
                        kind: App
                        plural: apps
                        singular: app
                      scope: Namespaced
                      versions:
                        - name: v1
                          served: true
                          storage: true
                          schema:
                            openAPIV3Schema:
                              type: object
                              properties:
                                spec:
                                  type: object
                                  properties:
                                    size:
                                      type: string
                  workflows:
                    resource:
                      configure:
                        - apiVersion: platform.kratix.io/v1alpha1
                          kind: Pipeline
                          metadata:
                            name: make
                          spec:
                            containers:
                              - name: make
                                image: kbr.local/app-pipeline:v0.1.0
                """.formatted(name, extraSpec);
    }

    /**
     * Answers every pipeline with one ConfigMap named after the run (so two objects' outputs never
     * conflict) and whatever {@code extra} adds, and remembers in {@code ran} what ran.
     */
    static final class OneConfigMap implements PipelineRunner {
        private final List<String> ran;
        private final Function<PipelineInvocation, Map<String, byte[]>> extra;

        OneConfigMap(List<String> ran, Function<PipelineInvocation, Map<String, byte[]>> extra) {
            this.ran = ran;
            this.extra = extra;
        }

        @Override
        public synchronized PipelineResult run(PipelineInvocation invocation) {
            ran.add(invocation.description());
            SortedMap<String, byte[]> output = new TreeMap<>(extra.apply(invocation));
            String name = invocation.description().replaceAll("[^a-z0-9]+", "-");
            output.put(
                    "configmap.yaml",
                    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: default\n")
                            .getBytes(StandardCharsets.UTF_8));
            return new PipelineResult.Succeeded(output, new TreeMap<>(), List.of(), Duration.ZERO);
        }

        @Override
        public void close() {}
    }
}
