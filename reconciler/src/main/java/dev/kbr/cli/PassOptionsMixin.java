package dev.kbr.cli;

import dev.kbr.pipeline.kubernetes.KubernetesRunnerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by {@code plan} and {@code apply}. */
final class PassOptionsMixin {
    @Mixin
    PlatformOptions platform;

    /** Formats of the report on stdout. */
    enum Output {
        text,
        json
    }

    @Option(
            names = "--state-url",
            paramLabel = "NAME=URL",
            description = {
                "Replace the url of GitStateStore NAME, e.g. with a local bare repo path or a file:// URL.",
                "Repeatable."
            })
    Map<String, String> stateUrls = new LinkedHashMap<>();

    @Option(
            names = "--detailed-exitcode",
            description = "Exit 2 when there are changes (0 none, 1 error), as Terraform's option does.")
    boolean detailedExitCode;

    @Option(
            names = "--pipeline-timeout",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Longest a single pipeline may run, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    Duration pipelineTimeout;

    @Option(
            names = "--secrets-dir",
            paramLabel = "DIR",
            description = {
                "Secrets for pipeline env valueFrom.secretKeyRef and envFrom.secretRef and for GitStateStore",
                "spec.secretRef, laid out as a mounted Kubernetes Secret: DIR/<namespace>/<name>/<key>.",
                "Variables KBR_SECRET_<NAMESPACE>_<NAME>_<KEY> also work and win. Values are never printed."
            })
    Path secretsDir;

    @Option(
            names = "--ca-file",
            paramLabel = "PATH",
            description = {
                "PEM file of CA certificates to trust for https state stores and --platform, besides the JVM's own CAs",
                "(default: $GIT_SSL_CAINFO, else none)."
            })
    Path caFile;

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
            names = "--cache-dir",
            paramLabel = "DIR",
            description = {
                "Keep each state store's (and a Git --platform's) local repository here between runs, so a repeated pass fetches",
                "only what changed (default: $KBR_CACHE_DIR, else a temporary folder per run)."
            })
    Path cacheDir;

    @Option(
            names = "--runner",
            paramLabel = "RUNNER",
            description = {
                "Where pipeline containers run: 'docker' (a Docker engine) or 'kubernetes' (one Pod per",
                "pipeline in --kubernetes-namespace). Default: kubernetes when $KUBERNETES_SERVICE_HOST is",
                "set (kbr runs in a Pod), else docker."
            })
    String runner;

    @Option(
            names = "--kubernetes-namespace",
            paramLabel = "NS",
            description = {
                "Namespace of the pipeline Pods of --runner kubernetes (default: the namespace kbr's own Pod",
                "runs in, else the current kubeconfig context's, else 'default')."
            })
    String kubernetesNamespace;

    @Option(
            names = "--kubernetes-helper-image",
            paramLabel = "IMAGE",
            defaultValue = KubernetesRunnerSettings.DEFAULT_HELPER_IMAGE,
            description = {
                "Image of kbr's own containers in each pipeline Pod, which copy the input in and the outputs",
                "out; needs cp, sleep and tar and runs as user 65534 (default: ${DEFAULT-VALUE})."
            })
    String kubernetesHelperImage;

    @Option(
            names = "--docker-host",
            paramLabel = "URL",
            description = "Docker engine to run pipelines on (default: $DOCKER_HOST, else the local socket).")
    String dockerHost;

    @Option(
            names = "--pipeline-network",
            paramLabel = "MODE",
            defaultValue = "default",
            description = {
                "Network of pipeline containers: 'default' (the engine's default network, as Kratix",
                "pipeline pods have) or 'none' to sandbox them (default: ${DEFAULT-VALUE})."
            })
    String pipelineNetwork;

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
                "and a 'pushed STORE COMMIT' line per push). The report on stdout is unchanged."
            })
    boolean quiet;
}
