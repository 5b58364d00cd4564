package dev.kbr.execute;

import dev.kbr.pipeline.PipelineResult;
import dev.kbr.platformapi.ApiWrites;
import java.util.Objects;
import java.util.Optional;

/**
 * What asking the runtime to run one pipeline gave: its result, or why it could not be started
 * (a missing Secret, a runtime error). Kept between the attempts of one pass, so an attempt that
 * follows a refused push reuses it instead of running the pipeline again.
 *
 * @param result the result; empty when the pipeline could not be started
 * @param notStarted why it could not be started; empty when {@code result} is present
 * @param apiWrites what it did through the platform API (a reused attempt's writes are not made
 *     again); none when the API is off or it could not start
 */
public record PipelineAttempt(Optional<PipelineResult> result, Optional<String> notStarted, ApiWrites apiWrites) {
    public PipelineAttempt {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(notStarted, "notStarted");
        Objects.requireNonNull(apiWrites, "apiWrites");
        if (result.isPresent() == notStarted.isPresent()) {
            throw new IllegalArgumentException("a pipeline attempt has either a result or a reason");
        }
    }

    /** The pipeline ran (successfully or not). */
    public static PipelineAttempt ran(PipelineResult result) {
        return ran(result, ApiWrites.none());
    }

    /** The pipeline ran and did {@code apiWrites} through the platform API. */
    public static PipelineAttempt ran(PipelineResult result, ApiWrites apiWrites) {
        return new PipelineAttempt(Optional.of(result), Optional.empty(), apiWrites);
    }

    /** The pipeline could not be started, for {@code reason}. */
    public static PipelineAttempt notStarted(String reason) {
        return new PipelineAttempt(Optional.empty(), Optional.of(String.valueOf(reason)), ApiWrites.none());
    }
}
