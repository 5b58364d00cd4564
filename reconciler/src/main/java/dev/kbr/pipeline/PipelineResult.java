package dev.kbr.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** How a pipeline run ended. */
public sealed interface PipelineResult permits PipelineResult.Succeeded, PipelineResult.Failed {

    /** Logs of the containers that ran, in order. */
    List<ContainerLog> logs();

    /** Wall time of the whole run. */
    Duration duration();

    /**
     * This result with every occurrence of {@code secret} in its logs (and a failure's reason)
     * replaced by {@code replacement}: a credential the run was given must not reach reports.
     */
    default PipelineResult redacting(String secret, String replacement) {
        if (secret.isEmpty()) {
            return this;
        }
        List<ContainerLog> redacted = logs().stream()
                .map(log -> new ContainerLog(
                        log.container(), log.exitCode(), log.text().replace(secret, replacement)))
                .toList();
        if (this instanceof Succeeded ok) {
            return new Succeeded(ok.output(), ok.metadata(), redacted, ok.duration());
        }
        Failed failed = (Failed) this;
        return new Failed(
                failed.container(), failed.reason().replace(secret, replacement), redacted, failed.duration());
    }

    /**
     * Every container exited 0.
     *
     * @param output files under {@code /kratix/output}, keyed by path relative to it ({@code /}
     *     separated, normalised, sorted)
     * @param metadata files under {@code /kratix/metadata}, keyed the same way
     * @param logs logs of every container
     * @param duration wall time
     */
    record Succeeded(
            SortedMap<String, byte[]> output,
            SortedMap<String, byte[]> metadata,
            List<ContainerLog> logs,
            Duration duration)
            implements PipelineResult {
        public Succeeded {
            output = new TreeMap<>(output);
            metadata = new TreeMap<>(metadata);
            logs = List.copyOf(logs);
            Objects.requireNonNull(duration, "duration");
        }
    }

    /**
     * A container exited non-zero, timed out, or its output was rejected; later containers did
     * not run.
     *
     * @param container the container that failed (or the pipeline name when not one container)
     * @param reason what happened, e.g. {@code exited with code 3} or {@code timed out after 10m}
     * @param logs logs of the containers that ran, the failing one last
     * @param duration wall time
     */
    record Failed(String container, String reason, List<ContainerLog> logs, Duration duration)
            implements PipelineResult {
        public Failed {
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(reason, "reason");
            logs = List.copyOf(logs);
            Objects.requireNonNull(duration, "duration");
        }
    }
}
