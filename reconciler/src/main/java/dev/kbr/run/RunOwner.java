package dev.kbr.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kbr process: the host it runs on, its process id and its start time (milliseconds since the
 * epoch). The start time tells a live owner apart from an unrelated process that got the same pid
 * later. Written as {@code <host>:<pid>:<start-millis>} in container labels and, without the host,
 * in temporary folder names ({@code kbr-run-<pid>-<start-millis>-...}, as a temporary folder is
 * local to its host).
 *
 * @param host the host name ({@code /proc/sys/kernel/hostname}, else {@code $HOSTNAME}, else
 *     {@code unknown-host}); never contains {@code :}
 * @param pid the process id
 * @param startMillis when the process started, in milliseconds since the epoch (0 when unknown)
 */
public record RunOwner(String host, long pid, long startMillis) {
    private static final Pattern LABEL = Pattern.compile("([^:]+):(\\d+):(\\d+)");

    /**
     * How old a resource a run left behind (a container, a Pod) must be before another run removes
     * it when its owner's liveness cannot be seen from here (another host, no owner recorded): only
     * resources far older than any pipeline timeout are taken for leftovers.
     */
    public static final Duration FOREIGN_LEFTOVER_AGE = Duration.ofHours(24);

    // Start times come from /proc in clock ticks and are rounded on the way: two readings of
    // the same process may differ by a few milliseconds.
    private static final long START_TOLERANCE_MILLIS = 1000;

    private static final RunOwner CURRENT = new RunOwner(
            hostName(),
            ProcessHandle.current().pid(),
            startMillis(ProcessHandle.current()).orElse(0L));

    /** This process. */
    public static RunOwner current() {
        return CURRENT;
    }

    /** {@code <host>:<pid>:<start-millis>}. */
    public String label() {
        return host + ":" + pid + ":" + startMillis;
    }

    /** Parses {@link #label()}; empty for anything else. */
    public static Optional<RunOwner> parseLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        Matcher m = LABEL.matcher(label);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RunOwner(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True when this owner ran on the same host as the current process. */
    public boolean onThisHost() {
        return host.equals(CURRENT.host);
    }

    /**
     * True when this owner ran on this host and is no longer running: no process has its pid, or
     * the process with its pid started at another time (the pid was reused). False for owners on
     * other hosts (their liveness cannot be seen from here) and for the current process.
     */
    public boolean isDeadOnThisHost() {
        if (!onThisHost() || pid == CURRENT.pid) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        Optional<Long> started = startMillis(process.get());
        return started.isPresent()
                && startMillis != 0
                && Math.abs(started.get() - startMillis) > START_TOLERANCE_MILLIS;
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    private static String hostName() {
        String name = "";
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8)
                    .trim();
        } catch (IOException | RuntimeException e) {
            // Not Linux: fall back to the environment.
        }
        if (name.isEmpty()) {
            name = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("").trim();
        }
        name = name.replace(':', '_');
        return name.isEmpty() ? "unknown-host" : name;
    }
}
