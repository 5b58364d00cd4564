package dev.kbr.pipeline;

import java.util.Objects;

/**
 * What one container printed (stdout and stderr interleaved) and how it ended.
 *
 * @param container the container name
 * @param exitCode its exit code
 * @param text its log, possibly truncated by the runner
 */
public record ContainerLog(String container, int exitCode, String text) {
    public ContainerLog {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(text, "text");
    }
}
