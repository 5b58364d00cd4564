package dev.kbr.state.layout;

import dev.kbr.state.DesiredFile;
import java.util.Objects;

/**
 * One file of a placed workload group (Kratix's {@code Workload}).
 *
 * @param filepath the path relative to {@code /kratix/output}, {@code /}-separated
 * @param content its bytes, or the id of content the store already holds (a workload kept from
 *     an earlier pass)
 */
public record Workload(String filepath, DesiredFile content) {
    public Workload {
        Objects.requireNonNull(filepath, "filepath");
        Objects.requireNonNull(content, "content");
    }
}
