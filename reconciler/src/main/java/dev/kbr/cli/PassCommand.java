package dev.kbr.cli;

import dev.kbr.engine.PassOptions;
import dev.kbr.engine.Reconciler;
import dev.kbr.engine.SavedPlan;
import dev.kbr.engine.SavedPlanApply;
import dev.kbr.load.PlatformSource;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.plan.PassPlan;
import dev.kbr.report.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
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

    /** {@code plan --out FILE}: where to save the plan; empty for {@code apply}. */
    Optional<Path> saveTo() {
        return Optional.empty();
    }

    /** {@code plan --explain}: print the pass's plan before the report. */
    boolean explain() {
        return false;
    }

    /** {@code apply PLANFILE --accept-dry-run-outputs}: commit a plan made by dry-run pipelines. */
    boolean acceptDryRunOutputs() {
        return false;
    }

    /** {@code apply PLANFILE}: the saved plan to apply; empty for a normal pass. */
    Optional<Path> savedPlan() {
        return Optional.empty();
    }

    /** Options that steer pipelines or the pass, meaningless when applying a saved plan. */
    private static final java.util.Set<String> NOT_WITH_SAVED_PLAN = java.util.Set.of(
            "--reconcile-all",
            "--reconcile-interval",
            "--parallelism",
            "--pipeline-timeout",
            "--push-retries",
            "--max-delete-fraction",
            "--allow-mass-delete",
            "--runner",
            "--kubernetes-namespace",
            "--kubernetes-helper-image",
            "--docker-host",
            "--pipeline-network",
            "--image-mirror");

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (options.pushRetries < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--push-retries must be 0 or more, not " + options.pushRetries);
        }
        if (options.bucketLeaseTtl.compareTo(dev.kbr.state.bucket.BucketSettings.MIN_LEASE_TTL) < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--bucket-lease-ttl must be at least 2s, not " + options.bucketLeaseTtl);
        }
        Optional<SavedPlan> saved = Optional.empty();
        if (acceptDryRunOutputs() && savedPlan().isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--accept-dry-run-outputs applies only to a saved plan (kbr apply PLANFILE): kbr apply"
                            + " without one runs its pipelines for real");
        }
        if (savedPlan().isPresent()) {
            List<String> refused = spec.commandLine().getParseResult().matchedOptions().stream()
                    .map(o -> o.longestName())
                    .filter(NOT_WITH_SAVED_PLAN::contains)
                    .distinct()
                    .sorted()
                    .toList();
            if (!refused.isEmpty()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        String.join(", ", refused) + " cannot be combined with a saved plan: it applies exactly"
                                + " what kbr plan --out computed; give those options to kbr plan instead");
            }
            // Read first: a wrong file is the first thing to report.
            saved = Optional.of(SavedPlan.read(savedPlan().get()));
        }
        MountedSecrets secrets = options.inputs.secrets();
        Optional<Path> caFile = options.inputs.caFile();
        Optional<Path> cacheDir = options.inputs.cacheDir();
        Adapters.StoreAccess access = new Adapters.StoreAccess(
                cacheDir, caFile, options.bucketLeaseTtl, StateStoreCredentials.githubApiUrl(options.githubApiUrl));
        // Opened (a Git commit fetched) before connecting to Docker, so the first error names the
        // real mistake.
        try (PlatformSource platform = options.platform.open(secrets, caFile, cacheDir, access.githubApiUrl())) {
            if (saved.isPresent()) {
                RunReport report = SavedPlanApply.apply(
                        saved.get(),
                        platform,
                        options.stateUrls,
                        store -> Adapters.openStateStore(store, secrets, access),
                        acceptDryRunOutputs());
                return finish(report, main.environment(), out);
            }
            return pass(platform, secrets, access, out);
        }
    }

    /** Prints the report and turns it into the exit code. */
    private int finish(RunReport report, Environment environment, PrintWriter out) {
        PassOutput.report(report, options, environment, out, spec.commandLine().getErr());
        if (report.hasErrors()) {
            return Main.ERROR;
        }
        return options.detailedExitCode && report.hasChanges() ? Main.CHANGES : Main.OK;
    }

    /**
     * Saves a plan pass's report to {@code file} ({@code plan --out}); refused when the pass had
     * errors (the plan is incomplete) or the platform changed while it ran.
     */
    private void save(RunReport report, PlatformSource platform, String fingerprintBefore, Path file)
            throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (report.hasErrors()) {
            err.println("The plan has errors, so it was not saved to " + file + "; fix them and plan again.");
            err.flush();
            return;
        }
        String fingerprint = platform.fingerprint();
        if (!fingerprint.equals(fingerprintBefore)) {
            throw new IOException(
                    "the platform changed while kbr planned, so the plan was not saved to " + file + "; plan again");
        }
        SavedPlan plan = SavedPlan.of(report, platform.origin(), fingerprint);
        plan.write(file);
        err.println("Saved the plan to " + file + ". Apply exactly this plan with: kbr apply " + file
                + " (with the same --platform and --state-url options).");
        if (!plan.dryRunPipelines().isEmpty()) {
            err.println("Its outputs were made by " + plan.dryRunPipelines().size() + " pipeline run(s) with"
                    + " KRATIX_DRY_RUN=true, so kbr apply refuses it unless given --accept-dry-run-outputs.");
        }
        err.flush();
    }

    private int pass(PlatformSource platform, MountedSecrets secrets, Adapters.StoreAccess access, PrintWriter out)
            throws IOException, InterruptedException {
        PassOptions pass = new PassOptions(
                platform,
                options.stateUrls,
                apply(),
                new PassOptions.Pipelines(
                        options.pipelines.pipelineTimeout,
                        MAX_REQUEST_DEPTH,
                        secrets,
                        options.parallelism != null ? options.parallelism : PassOptions.DEFAULT_PARALLELISM,
                        Adapters.platformApi(options.pipelines, System.getenv())),
                new PassOptions.Caching(options.reconcileAll, options.reconcileInterval),
                new PassOptions.Safety(options.maxDeleteFraction, options.allowMassDelete, options.pushRetries));
        RunReport report;
        Environment environment = main.environment();
        Optional<String> fingerprintBefore =
                saveTo().isPresent() ? Optional.of(platform.fingerprint()) : Optional.empty();
        // With retries a pass plans once per attempt; the last attempt's plan is the one reported.
        AtomicReference<PassPlan> plan = new AtomicReference<>();
        try (PipelineRunner runner = Adapters.connectingPipelineRunner(options);
                PassOutput.Progress progress = PassOutput.progress(
                        options, environment, spec.commandLine().getErr(), apply() ? "apply" : "plan")) {
            try {
                report = new Reconciler(
                                runner,
                                store -> Adapters.openStateStore(store, secrets, access),
                                Clock.systemUTC(),
                                explain() ? PassOutput.plansTo(progress.listener(), plan::set) : progress.listener())
                        .run(pass);
            } catch (IOException | RuntimeException e) {
                progress.stopped();
                throw e;
            }
        }
        if (plan.get() != null) {
            PassOutput.explain(plan.get(), options, out, spec.commandLine().getErr());
        }
        int exit = finish(report, environment, out);
        if (saveTo().isPresent()) {
            save(report, platform, fingerprintBefore.orElseThrow(), saveTo().get());
        }
        return exit;
    }
}
