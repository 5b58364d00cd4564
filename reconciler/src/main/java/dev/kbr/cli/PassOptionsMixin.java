package dev.kbr.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by {@code plan} and {@code apply}. */
final class PassOptionsMixin {
    @Mixin
    PlatformOptions platform;

    @Mixin
    InputOptions inputs;

    @Mixin
    RunnerOptions pipelines;

    /** Formats of the report on stdout. */
    enum Output {
        text,
        json
    }

    @Option(
            names = "--state-url",
            paramLabel = "NAME=URL",
            description = {
                "Replace the url of GitStateStore NAME, e.g. with a local bare repo path or a file:// URL;",
                "for BucketStateStore NAME, give s3://BUCKET[/PREFIX] (same server) or",
                "http(s)://HOST[:PORT]/BUCKET[/PREFIX] (another server; http is plain, as spec.insecure).",
                "Repeatable."
            })
    Map<String, String> stateUrls = new LinkedHashMap<>();

    @Option(
            names = "--github-api-url",
            paramLabel = "URL",
            defaultValue = "https://api.github.com",
            description = {
                "GitHub's REST API, where GitStateStores with authMethod githubApp (and a GitHub App named by",
                "--platform-secret) get installation tokens, e.g.",
                "https://HOST/api/v3 for GitHub Enterprise Server; its CA may come from --ca-file (default:",
                "${DEFAULT-VALUE}, as Kratix)."
            })
    String githubApiUrl;

    @Option(
            names = "--detailed-exitcode",
            description = "Exit 2 when there are changes (0 none, 1 error), as Terraform's option does.")
    boolean detailedExitCode;

    @Option(
            names = "--reconcile-all",
            description = "Run every workflow, even those whose inputs did not change since their last run.")
    boolean reconcileAll;

    @Option(
            names = "--reconcile-interval",
            paramLabel = "DURATION",
            defaultValue = "10h",
            converter = DurationConverter.class,
            description = {
                "Re-run a workflow whose inputs did not change once this long has passed since its last run,",
                "unless its Promise sets kratix.io/reconciliation-interval or",
                "spec.workflows.config.reconciliationInterval; 0 means never (default: ${DEFAULT-VALUE})."
            })
    Duration reconcileInterval;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = {
                "How many objects' workflows run at once; an object's own pipelines always run in order",
                "(default: 2 x the number of cores)."
            })
    Integer parallelism;

    @Option(
            names = "--push-retries",
            paramLabel = "N",
            defaultValue = "5",
            description = {
                "Push again when a state store's branch moved since it was read (another writer): read it",
                "again and recompute the commit on the new head without re-running pipelines, up to N",
                "times with jittered backoff; 0 never retries. Never resets or force-pushes (default: ${DEFAULT-VALUE})."
            })
    int pushRetries;

    @Option(
            names = "--bucket-lease-ttl",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = {
                "How long the lease that keeps other writers out of a BucketStateStore lasts without",
                "renewal; a writer killed mid-write holds the bucket for at most this long (at least 2s,",
                "default: ${DEFAULT-VALUE})."
            })
    Duration bucketLeaseTtl;

    @Option(
            names = "--max-delete-fraction",
            paramLabel = "F",
            defaultValue = "0.5",
            description = {
                "Refuse a pass (write nothing, exit 1) that would delete more than this share, 0 to 1, of",
                "the Works recorded across all state stores (default: ${DEFAULT-VALUE})."
            })
    double maxDeleteFraction;

    @Option(
            names = "--allow-mass-delete",
            description = "Write a pass even when it deletes more than --max-delete-fraction of the recorded Works.")
    boolean allowMassDelete;

    @Option(
            names = "--show-secrets",
            description = {
                "Print the values of Secret data and stringData in diffs; by default each value is shown",
                "as its size and a short sha256, so a change is still visible."
            })
    boolean showSecrets;

    @Option(
            names = "--output",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = {
                "Report format on stdout: 'text' for people, or 'json', a versioned document",
                "(apiVersion kbr.dev/report/v1, see docs/json-output.md) (default: ${DEFAULT-VALUE})."
            })
    Output output;

    @Option(
            names = "--no-color",
            description = {
                "Never colour the text report. Without it, colour is used only on a terminal and when",
                "the NO_COLOR environment variable is unset or empty."
            })
    boolean noColor;

    @Option(
            names = "--quiet",
            description = {
                "Print no progress on stderr (pipelines done, running, cached, failed, elapsed time,",
                "and a 'pushed STORE COMMIT' line per push, 'wrote STORE version V' per bucket write).",
                "The report on stdout is unchanged."
            })
    boolean quiet;
}
