package dev.kbr.pipeline;

import java.time.Duration;

/**
 * Durations written the way Go's {@code time.Duration} prints them, briefly, as Kratix users read
 * them in its messages and as kbr's options take them: {@code 250ms}, {@code 3s}, {@code 10m},
 * {@code 1h30m}. Used by the runners in their {@code timed out after …} reasons.
 */
public final class GoDurations {
    private GoDurations() {}

    /**
     * @param duration any duration; zero or negative prints as {@code 0s}
     * @return whole milliseconds as {@code <n>ms} when not a whole number of seconds (or under
     *     one second), else hours, minutes and seconds, leaving out zero parts
     */
    public static String format(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return "0s";
        }
        if (duration.toMillis() % 1000 != 0 || duration.toSeconds() == 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 != 0) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }
}
