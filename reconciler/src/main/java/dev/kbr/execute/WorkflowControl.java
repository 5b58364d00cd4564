package dev.kbr.execute;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline's {@code /kratix/metadata/workflow-control.yaml} ({@code
 * work-creator/lib/workflow_control.go}): {@code suspend: true} or a {@code retryAfter} duration
 * stops the workflow at this pipeline without writing its Work; {@code retryAfter} wins over
 * {@code suspend}.
 *
 * @param suspend whether the workflow is suspended
 * @param retryAfter when set, the workflow should be retried after this long
 * @param message the pipeline's explanation, shown in the report and the status
 */
public record WorkflowControl(boolean suspend, Optional<Duration> retryAfter, String message) {
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /** True when the pipeline asked to stop the workflow here. */
    public boolean stops() {
        return suspend || retryAfter.isPresent();
    }

    /**
     * Parses the file.
     *
     * @throws IllegalArgumentException when it is not a map, or {@code retryAfter} is not a Go
     *     duration (Kratix fails the pipeline then)
     */
    public static WorkflowControl parse(JsonNode file) {
        if (file.isNull() || file.isMissingNode()) {
            return new WorkflowControl(false, Optional.empty(), "");
        }
        if (!file.isObject()) {
            throw new IllegalArgumentException("workflow-control.yaml must be a map with suspend, retryAfter, message");
        }
        Optional<Duration> retry = Optional.empty();
        JsonNode retryAfter = file.path("retryAfter");
        if (!retryAfter.isMissingNode()
                && !retryAfter.isNull()
                && !retryAfter.asText().isEmpty()) {
            retry = Optional.of(goDuration(retryAfter.asText()));
        }
        return new WorkflowControl(
                file.path("suspend").asBoolean(false),
                retry,
                file.path("message").asText(""));
    }

    /** Parses a Go duration such as {@code 30s}, {@code 1h30m} or {@code 1.5h}. */
    public static Duration goDuration(String text) {
        Matcher m = GO_DURATION.matcher(text);
        double nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            nanos += n
                    * switch (m.group(2)) {
                        case "ns" -> 1;
                        case "us", "µs" -> 1e3;
                        case "ms" -> 1e6;
                        case "s" -> 1e9;
                        case "m" -> 60e9;
                        default -> 3600e9;
                    };
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("workflow-control.yaml retryAfter \"" + text
                    + "\" is not a duration; write it like 30s, 5m or 1h30m");
        }
        return Duration.ofNanos((long) nanos);
    }
}
