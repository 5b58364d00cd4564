package dev.kbr.report;

import dev.kbr.pipeline.ContainerLog;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One pipeline that ran in a pass.
 *
 * @param description what ran, e.g. {@code redis/default/example-redis resource.configure instance-configure}
 * @param why why it ran: {@code new}, {@code input changed}, {@code --reconcile-all}, …
 * @param succeeded whether every container exited 0 and the outputs were accepted
 * @param reason why it failed; empty when it succeeded
 * @param duration wall time
 * @param logs logs of the containers that ran
 */
public record PipelineRun(
        String description, String why, boolean succeeded, String reason, Duration duration, List<ContainerLog> logs) {
    public PipelineRun {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(duration, "duration");
        logs = List.copyOf(logs);
    }
}
