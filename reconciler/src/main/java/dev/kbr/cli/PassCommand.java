package dev.kbr.cli;

import dev.kbr.engine.PassOptions;
import dev.kbr.engine.Reconciler;
import dev.kbr.load.PlatformSource;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.report.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** What {@code plan} and {@code apply} share: build the adapters, run one pass, print, exit. */
abstract class PassCommand implements Callable<Integer> {
    /** Sub-request nesting allowed in one pass (compound Promises). */
    static final int MAX_REQUEST_DEPTH = 8;

    @CommandLine.Mixin
    PassOptionsMixin options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main;

    abstract boolean apply();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (options.pushRetries < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--push-retries must be 0 or more, not " + options.pushRetries);
        }
        MountedSecrets secrets = options.inputs.secrets();
        Optional<Path> caFile = options.inputs.caFile();
        Optional<Path> cacheDir = options.inputs.cacheDir();
        // Opened (a Git commit fetched) before connecting to Docker, so the first error names the
        // real mistake.
        try (PlatformSource platform = options.platform.open(secrets, caFile, cacheDir)) {
            return pass(platform, secrets, caFile, cacheDir, out);
        }
    }

    private int pass(
            PlatformSource platform,
            MountedSecrets secrets,
            Optional<Path> caFile,
            Optional<Path> cacheDir,
            PrintWriter out)
            throws IOException, InterruptedException {
        PassOptions pass = new PassOptions(
                platform,
                options.stateUrls,
                apply(),
                options.pipelines.pipelineTimeout,
                MAX_REQUEST_DEPTH,
                secrets,
                options.reconcileAll,
                options.reconcileInterval,
                options.parallelism != null ? options.parallelism : PassOptions.DEFAULT_PARALLELISM,
                options.maxDeleteFraction,
                options.allowMassDelete,
                options.pushRetries);
        RunReport report;
        Environment environment = main.environment();
        try (PipelineRunner runner = Adapters.pipelineRunner(options);
                PassOutput.Progress progress = PassOutput.progress(
                        options, environment, spec.commandLine().getErr(), apply() ? "apply" : "plan")) {
            report = new Reconciler(
                            runner,
                            store -> Adapters.openStateStore(store, cacheDir, secrets, caFile),
                            Clock.systemUTC(),
                            progress.listener())
                    .run(pass);
        }
        PassOutput.report(report, options, environment, out, spec.commandLine().getErr());
        if (report.hasErrors()) {
            return Main.ERROR;
        }
        return options.detailedExitCode && report.hasChanges() ? Main.CHANGES : Main.OK;
    }
}
