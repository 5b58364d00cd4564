package dev.kbr.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectingPipelineRunnerTest {

    /** A runtime that answers every pipeline with an empty success and counts closes. */
    private static final class CountingRunner implements PipelineRunner {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public PipelineResult run(PipelineInvocation invocation) {
            runs.incrementAndGet();
            return new PipelineResult.Succeeded(new TreeMap<>(), new TreeMap<>(), List.of(), Duration.ZERO);
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void startReturnsBeforeTheConnectionIsMadeAndAwaitReadyWaitsForIt() throws Exception {
        CountDownLatch connecting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountingRunner connected = new CountingRunner();

        ConnectingPipelineRunner runner = ConnectingPipelineRunner.start(() -> {
            connecting.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            return connected;
        });

        assertThat(connecting.await(10, TimeUnit.SECONDS)).isTrue();
        Thread waiter = new Thread(() -> {
            try {
                runner.awaitReady();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waiter.start();
        waiter.join(200);
        assertThat(waiter.isAlive())
                .as("awaitReady returns only once connected")
                .isTrue();
        release.countDown();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();

        runner.close();
        runner.close();
        assertThat(connected.closes.get()).isEqualTo(2);
    }

    @Test
    void aRuntimeThatCannotBeReachedIsTheConnectorsErrorAtAwaitReadyAndAtRun() throws Exception {
        ConnectingPipelineRunner runner = ConnectingPipelineRunner.start(() -> {
            throw new IOException("Tried to ping the Docker engine at unix:///nowhere but it did not answer");
        });

        assertThatThrownBy(runner::awaitReady)
                .isInstanceOf(IOException.class)
                .hasMessage("Tried to ping the Docker engine at unix:///nowhere but it did not answer");
        assertThatThrownBy(() -> runner.run(null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not answer");
        // Nothing was connected, so closing has nothing to release and does not fail.
        runner.close();
    }

    @Test
    void runGoesToTheConnectedRunner() throws Exception {
        CountingRunner connected = new CountingRunner();
        try (ConnectingPipelineRunner runner = ConnectingPipelineRunner.start(() -> connected)) {
            assertThat(runner.run(null)).isInstanceOf(PipelineResult.Succeeded.class);
            assertThat(runner.run(null)).isInstanceOf(PipelineResult.Succeeded.class);
        }
        assertThat(connected.runs.get()).isEqualTo(2);
        assertThat(connected.closes.get()).isEqualTo(1);
    }
}
