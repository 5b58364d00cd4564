package dev.kbr.cli;

import dev.kbr.engine.PassListener;
import dev.kbr.plan.PassPlan;
import dev.kbr.report.JsonReport;
import dev.kbr.report.MarkdownReport;
import dev.kbr.report.PipelineRun;
import dev.kbr.report.RunReport;
import dev.kbr.report.TextReport;
import dev.kbr.state.StoreLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Where {@code plan} and {@code apply} put what they tell: progress on stderr while the pass
 * runs, the report on stdout as text or JSON ({@code --output}), and a Markdown summary appended
 * to the file {@code $GITHUB_STEP_SUMMARY} names, when set (GitHub Actions).
 */
final class PassOutput {
    private PassOutput() {}

    /** Progress while a pass runs; closing it prints the finish line. */
    interface Progress extends AutoCloseable {
        /** What the pass tells about its work. */
        PassListener listener();

        /** The pass ended with an error instead of a report: the last line says it stopped. */
        default void stopped() {}

        @Override
        void close();
    }

    /**
     * Starts progress on {@code err}, or nothing with {@code --quiet}.
     *
     * @param command {@code plan} or {@code apply}
     */
    static Progress progress(PassOptionsMixin options, Environment environment, PrintWriter err, String command) {
        if (options.quiet) {
            return new Progress() {
                @Override
                public PassListener listener() {
                    return PassListener.NONE;
                }

                @Override
                public void close() {}
            };
        }
        ProgressPrinter printer = new ProgressPrinter(err, environment.terminal(), command, System::nanoTime).start();
        return new Progress() {
            @Override
            public PassListener listener() {
                return printer;
            }

            @Override
            public void stopped() {
                printer.stopped();
            }

            @Override
            public void close() {
                printer.close();
            }
        };
    }

    /**
     * {@code delegate}, also handing each plan the pass makes to {@code plans}.
     *
     * @param plans called once per attempt, before any pipeline runs; must return quickly
     */
    static PassListener plansTo(PassListener delegate, Consumer<PassPlan> plans) {
        return new PassListener() {
            @Override
            public void planned(PassPlan plan) {
                plans.accept(plan);
                delegate.planned(plan);
            }

            @Override
            public void objectsQueued(int count) {
                delegate.objectsQueued(count);
            }

            @Override
            public void objectDone() {
                delegate.objectDone();
            }

            @Override
            public void cached(String object) {
                delegate.cached(object);
            }

            @Override
            public void writing(StoreLocation store, int files) {
                delegate.writing(store, files);
            }

            @Override
            public void written(StoreLocation store, String version) {
                delegate.written(store, version);
            }

            @Override
            public void pipelineStarted(String description) {
                delegate.pipelineStarted(description);
            }

            @Override
            public void pipelineFinished(PipelineRun run) {
                delegate.pipelineFinished(run);
            }
        };
    }

    /**
     * Prints {@code plan --explain}'s plan: on {@code out} before the text report, or on {@code
     * err} with {@code --output json}, so that stdout stays one JSON document.
     */
    static void explain(PassPlan plan, PassOptionsMixin options, PrintWriter out, PrintWriter err) {
        PrintWriter to = options.output == PassOptionsMixin.Output.json ? err : out;
        to.println("Plan (decided before any pipeline ran):");
        plan.lines().forEach(line -> to.println("  " + line));
        to.println();
        to.flush();
    }

    /**
     * Writes the report to {@code out} in the {@code --output} format, then appends the Markdown
     * summary to {@code $GITHUB_STEP_SUMMARY} when it is set. A summary that cannot be written is
     * a warning on {@code err}, not a failed pass: the state stores are already written.
     */
    static void report(
            RunReport report, PassOptionsMixin options, Environment environment, PrintWriter out, PrintWriter err) {
        if (options.output == PassOptionsMixin.Output.json) {
            JsonReport.write(report, out);
        } else {
            TextReport.write(report, out, options.showSecrets, environment.colour(options.noColor));
        }
        environment.get(Environment.STEP_SUMMARY).ifPresent(file -> {
            try {
                Files.writeString(
                        Path.of(file),
                        MarkdownReport.render(report) + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException | RuntimeException e) {
                err.println("Warning: could not append the Markdown summary to " + file + " ($"
                        + Environment.STEP_SUMMARY + "): " + e.getMessage()
                        + "; check that the variable names a writable file");
                err.flush();
            }
        });
    }
}
