package dev.kbr.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses durations written as Kubernetes and Kratix write them: {@code 90s}, {@code 10m}, {@code
 * 1h30m}; {@code 0} is zero.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    });
            end = m.end();
        }
        if (end == 0 || end != value.length() || total.isZero()) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration; write it like 90s, 10m or 1h30m");
        }
        return total;
    }
}
