package dev.kbr.cli;

import dev.kbr.engine.PassListener;
import dev.kbr.report.PipelineRun;
import dev.kbr.state.StoreLocation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of a pass on stderr: objects done of those queued, pipelines running, cached objects,
 * failed pipelines and time elapsed, plus a {@code pushed STORE COMMIT} line after each push ({@code wrote STORE version V}
 * for a bucket).
 *
 * <p>On a terminal it is one line rewritten in place ({@code \r}), redrawn on events (at most ten
 * times a second) and every second; otherwise (CI logs, files) it prints a start line, a line when something changed
 * at most once a second, and a finish line, so a log stays short. Thread-safe: the pass calls it
 * from its pipeline threads.
 */
final class ProgressPrinter implements PassListener, AutoCloseable {
    /** ANSI: erase from the cursor to the end of the line. */
    private static final String ERASE_LINE = "\u001b[K";

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Shortest time between two redraws of the terminal line: a person cannot read faster. */
    private static final long REDRAW = TimeUnit.MILLISECONDS.toNanos(100);

    private final PrintWriter err;
    private final boolean terminal;
    private final String command;
    private final LongSupplier nanoTime;
    private final long started;
    private boolean stopped;
    private ScheduledExecutorService ticker;

    // Guarded by this.
    private int queued;
    private int done;
    private int running;
    private int cached;
    private int failed;
    /** Finished pipelines by description: true when succeeded (a later report of one wins). */
    private final Map<String, Boolean> finished = new HashMap<>();

    private boolean dirty;
    private long lastPrinted;

    /**
     * @param err where progress goes (stderr)
     * @param terminal true to rewrite one line in place
     * @param command {@code plan} or {@code apply}, to start each line with
     * @param nanoTime a monotonic clock in nanoseconds (tests pass their own)
     */
    ProgressPrinter(PrintWriter err, boolean terminal, String command, LongSupplier nanoTime) {
        this.err = err;
        this.terminal = terminal;
        this.command = command;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
        // So the first change is printed at once.
        this.lastPrinted = started - SECOND;
    }

    /** Prints the start line and starts a one-second ticker (a daemon thread) for updates. */
    synchronized ProgressPrinter start() {
        if (!terminal) {
            err.println("kbr " + command + ": started");
            err.flush();
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "kbr-progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    @Override
    public synchronized void objectsQueued(int count) {
        queued += count;
        changed();
    }

    @Override
    public synchronized void objectDone() {
        done++;
        changed();
    }

    @Override
    public synchronized void pipelineStarted(String description) {
        running++;
        changed();
    }

    @Override
    public synchronized void pipelineFinished(PipelineRun run) {
        Boolean before = finished.put(run.description(), run.succeeded());
        if (before == null) {
            running = Math.max(0, running - 1);
        }
        failed += (run.succeeded() ? 0 : 1) - (before == null || before ? 0 : 1);
        changed();
    }

    @Override
    public synchronized void cached(String object) {
        cached++;
        changed();
    }

    @Override
    public synchronized void written(StoreLocation store, String version) {
        permanent(
                store.branch().isPresent()
                        ? "pushed " + store.name() + " " + version
                        : "wrote " + store.name() + " version " + version);
    }

    /** Once a second: redraws the terminal line (for the elapsed time), or prints what changed. */
    synchronized void tick() {
        if (terminal) {
            draw();
        } else if (dirty) {
            line(status());
        }
    }

    /** Makes the finish line say the pass stopped (it ended with an error, not a report). */
    synchronized void stopped() {
        stopped = true;
    }

    /** Stops the ticker and prints the finish line (on a terminal, in place of the live line). */
    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        String finish =
                "kbr " + command + (stopped ? ": stopped after " : ": finished in ") + elapsed() + ": " + counts();
        if (terminal) {
            err.print("\r" + finish + ERASE_LINE + System.lineSeparator());
        } else {
            err.println(finish);
        }
        err.flush();
    }

    private void changed() {
        dirty = true;
        long since = nanoTime.getAsLong() - lastPrinted;
        if (terminal && since >= REDRAW) {
            draw();
        } else if (!terminal && since >= SECOND) {
            line(status());
        }
    }

    private void draw() {
        err.print("\r" + status() + ERASE_LINE);
        err.flush();
        lastPrinted = nanoTime.getAsLong();
        dirty = false;
    }

    private void line(String text) {
        err.println(text);
        err.flush();
        lastPrinted = nanoTime.getAsLong();
        dirty = false;
    }

    /** A line that stays: on a terminal it replaces the live line, which is drawn again below it. */
    private void permanent(String text) {
        if (terminal) {
            err.print("\r" + text + ERASE_LINE + System.lineSeparator());
            err.flush();
            draw();
        } else {
            err.println(text);
            err.flush();
        }
    }

    private String status() {
        return "kbr " + command + ": " + counts() + ", " + elapsed();
    }

    private String counts() {
        return done + "/" + queued + " objects done, " + running + " running, " + cached + " cached, " + finished.size()
                + " pipelines ran, " + failed + " failed";
    }

    private String elapsed() {
        long seconds = Duration.ofNanos(nanoTime.getAsLong() - started).toSeconds();
        return seconds < 60 ? seconds + "s" : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
