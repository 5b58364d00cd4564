package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.report.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many Promises configured at once, pass after pass: the Promises of one level run on parallel
 * threads, and what each records about itself must never be lost to another. A Promise whose
 * handling was lost would look gone from the platform to the same pass and be deleted with
 * everything it delivered. No pipeline runs (the Promises only carry static dependencies), so
 * the pass is driven without a container engine, against a state store held in memory.
 */
class ParallelPromisesTest {
    private static final int PROMISES = 300;
    private static final int PASSES = 40;

    @TempDir
    Path platform;

    @Test
    void noPromiseConfiguredInParallelIsEverTakenForGone() throws Exception {
        writePlatform();
        InMemoryStateStore store = new InMemoryStateStore();
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        RunReport first = pass(store, clock);
        assertThat(first.errorMessages()).isEmpty();
        assertThat(store.commits()).isEqualTo(1);
        assertThat(store.files().keySet().stream().filter(p -> p.contains("/static/")))
                .hasSize(PROMISES);
        for (int i = 0; i < PASSES; i++) {
            RunReport next = pass(store, clock);
            assertThat(next.noticeMessages()).as("pass %d", i).noneMatch(n -> n.contains("gone from the platform"));
            assertThat(next.errorMessages()).as("pass %d", i).isEmpty();
            assertThat(next.hasChanges()).as("pass %d changed the state", i).isFalse();
        }
        assertThat(store.commits()).isEqualTo(1);
    }

    private RunReport pass(InMemoryStateStore store, Clock clock) throws Exception {
        return MemoryPasses.apply(platform, store, new NoPipelines(), clock, 8);
    }

    private void writePlatform() throws Exception {
        MemoryPasses.writeDestination(platform);
        for (int i = 0; i < PROMISES; i++) {
            Files.writeString(platform.resolve("promise-" + i + ".yaml"), """
                    apiVersion: platform.kratix.io/v1alpha1
                    kind: Promise
                    metadata:
                      name: p%d
                    spec:
                      dependencies:
                        - apiVersion: v1
                          kind: ConfigMap
                          metadata:
                            name: p%d
                            namespace: default
                          data:
                            value: "%d"
                    """.formatted(i, i, i));
        }
    }

    /** The Promises of this test have no workflows, so nothing may ask to run a pipeline. */
    private static final class NoPipelines implements PipelineRunner {
        @Override
        public PipelineResult run(PipelineInvocation invocation) {
            throw new AssertionError("no pipeline should run: " + invocation);
        }

        @Override
        public void close() {}
    }
}
