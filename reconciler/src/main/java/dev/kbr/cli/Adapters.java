package dev.kbr.cli;

import dev.kbr.execute.Secrets;
import dev.kbr.model.BucketStateStore;
import dev.kbr.model.GitStateStore;
import dev.kbr.model.StateStoreDefinition;
import dev.kbr.pipeline.ConnectingPipelineRunner;
import dev.kbr.pipeline.ImageMirrors;
import dev.kbr.pipeline.MirroredImages;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.pipeline.docker.DockerPipelineRunner;
import dev.kbr.pipeline.docker.DockerRunnerSettings;
import dev.kbr.pipeline.kubernetes.KubernetesPipelineRunner;
import dev.kbr.pipeline.kubernetes.KubernetesRunnerSettings;
import dev.kbr.platformapi.PlatformApiStarter;
import dev.kbr.platformapi.server.PlatformApiServer;
import dev.kbr.run.RunOwner;
import dev.kbr.state.StateStore;
import dev.kbr.state.bucket.BucketSettings;
import dev.kbr.state.bucket.S3StateStore;
import dev.kbr.state.git.GitCredentials;
import dev.kbr.state.git.GitRepoStateStore;
import dev.kbr.state.git.GitStoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The composition root: the only place that constructs adapters. */
final class Adapters {
    private Adapters() {}

    /** The value of {@code --runner} that runs pipelines on a Docker engine. */
    static final String DOCKER = "docker";

    /** The value of {@code --runner} that runs pipelines as Pods. */
    static final String KUBERNETES = "kubernetes";

    // Where Kubernetes mounts a Pod's service account namespace.
    private static final Path POD_NAMESPACE_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /**
     * The runner {@code --runner} names (or its default), wrapped in {@link MirroredImages} when
     * {@code --image-mirror} is given.
     *
     * @throws IllegalArgumentException naming the option when a value is invalid
     */
    static PipelineRunner pipelineRunner(RunnerOptions options) throws IOException {
        ImageMirrors mirrors = options.mirrors();
        return MirroredImages.wrap(connector(options).connect(), mirrors);
    }

    /**
     * Like {@link #pipelineRunner(RunnerOptions)}, but the connection is made on a background
     * thread while the pass loads the platform ({@link ConnectingPipelineRunner}); option values
     * are still checked here.
     *
     * @throws IllegalArgumentException naming the option when a value is invalid
     */
    static PipelineRunner connectingPipelineRunner(PassOptionsMixin options) throws IOException {
        ImageMirrors mirrors = options.pipelines.mirrors();
        return MirroredImages.wrap(ConnectingPipelineRunner.start(connector(options.pipelines)), mirrors);
    }

    /**
     * The platform API {@code --platform-api} asks for: served on {@code 127.0.0.1} to Docker
     * pipelines, which then join the host's network, or on kbr's Pod address ({@code $KBR_POD_IP})
     * to pipeline Pods. {@code auto} turns it on unless {@code --pipeline-network none} (docker) or
     * the Pod address is unknown (kubernetes).
     *
     * @throws IllegalArgumentException naming the option when its value is invalid or cannot work
     *     with the runner or network chosen
     */
    static Optional<PlatformApiStarter> platformApi(RunnerOptions options, Map<String, String> env) {
        String mode = options.platformApi == null ? "auto" : options.platformApi;
        if (!List.of("auto", "on", "off").contains(mode)) {
            throw new IllegalArgumentException("--platform-api must be auto, on or off, not '" + mode + "'");
        }
        if (mode.equals("off")) {
            return Optional.empty();
        }
        if (runner(options.runner, env).equals(KUBERNETES)) {
            // Pipeline Pods reach kbr through its own Pod's address, which the chart passes in.
            String podIp = env.getOrDefault(POD_IP_VARIABLE, "");
            if (podIp.isBlank()) {
                if (mode.equals("on")) {
                    throw new IllegalArgumentException("--platform-api on with --runner kubernetes needs kbr's Pod"
                            + " address in $" + POD_IP_VARIABLE + " (the chart sets it from status.podIP); set it or"
                            + " use --platform-api off");
                }
                return Optional.empty();
            }
            return Optional.of((view, admission, secrets) -> PlatformApiServer.start(view, admission, secrets, podIp));
        }
        if ("none".equals(options.pipelineNetwork)) {
            if (mode.equals("on")) {
                throw new IllegalArgumentException("--platform-api on needs the host's network, which"
                        + " --pipeline-network none takes away; choose one of them");
            }
            return Optional.empty();
        }
        return Optional.of((view, admission, secrets) -> PlatformApiServer.start(view, admission, secrets, LOOPBACK));
    }

    /** The variable holding kbr's own Pod address, for the platform API with the Kubernetes runner. */
    static final String POD_IP_VARIABLE = "KBR_POD_IP";

    /** Where the platform API listens: only the host itself can reach it. */
    static final String LOOPBACK = "127.0.0.1";

    /** How to connect to the runner {@code --runner} names, with the option values checked. */
    private static ConnectingPipelineRunner.Connector connector(RunnerOptions options) throws IOException {
        if (runner(options.runner, System.getenv()).equals(KUBERNETES)) {
            KubernetesRunnerSettings settings = kubernetesSettings(options, System.getenv(), POD_NAMESPACE_FILE);
            return () -> KubernetesPipelineRunner.connect(settings);
        }
        DockerRunnerSettings defaults = DockerRunnerSettings.defaults().withNetworkMode(options.pipelineNetwork);
        DockerRunnerSettings settings =
                options.dockerHost != null ? defaults.withDockerHost(options.dockerHost) : defaults;
        return () -> DockerPipelineRunner.connect(settings);
    }

    /**
     * Which runner to use: the option when given, else {@value #KUBERNETES} when {@code
     * KUBERNETES_SERVICE_HOST} is set (Kubernetes sets it in every container of a Pod), else
     * {@value #DOCKER}.
     *
     * @param option the value of {@code --runner}, or null
     * @param env the process environment
     * @throws IllegalArgumentException naming the option when the value is neither
     */
    static String runner(String option, Map<String, String> env) {
        if (option != null) {
            if (!option.equals(DOCKER) && !option.equals(KUBERNETES)) {
                throw new IllegalArgumentException("--runner must be docker or kubernetes, not '" + option + "'");
            }
            return option;
        }
        String host = env.get("KUBERNETES_SERVICE_HOST");
        return host != null && !host.isBlank() ? KUBERNETES : DOCKER;
    }

    /**
     * The Kubernetes runner's settings: {@code --kubernetes-namespace}, else the namespace of the
     * Pod kbr runs in (from its service account), else the kubeconfig context's (fabric8's
     * auto-configuration), else {@code default}. Inside a Pod, the Pod is named as the owner of
     * the pipeline Pods.
     */
    static KubernetesRunnerSettings kubernetesSettings(
            RunnerOptions options, Map<String, String> env, Path podNamespaceFile) {
        Optional<String> podNamespace = readFirstLine(podNamespaceFile);
        String namespace = options.kubernetesNamespace != null
                ? options.kubernetesNamespace
                : podNamespace.orElseGet(KubernetesRunnerSettings::kubeconfigNamespace);
        KubernetesRunnerSettings settings =
                KubernetesRunnerSettings.defaults(namespace).withHelperImage(options.kubernetesHelperImage);
        String host = env.get("KUBERNETES_SERVICE_HOST");
        if (podNamespace.isPresent() && host != null && !host.isBlank()) {
            // A Pod's host name is its name, unless the Pod sets spec.hostname.
            settings = settings.withOwnerPod(
                    podNamespace.get() + "/" + RunOwner.current().host());
        }
        return settings;
    }

    private static Optional<String> readFirstLine(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens a state store's adapter (URL overrides already applied): for a GitStateStore, a Git
     * branch; for a BucketStateStore, the objects under its prefix. Credentials come from the
     * store's {@code spec.secretRef} read through {@code secrets}.
     *
     * @param access the {@code --cache-dir}, {@code --ca-file}, {@code --bucket-lease-ttl} and {@code
     *     --github-api-url} in effect
     */
    static StateStore openStateStore(StateStoreDefinition definition, Secrets secrets, StoreAccess access)
            throws IOException {
        if (definition instanceof BucketStateStore bucket) {
            BucketSettings settings = BucketSettings.from(bucket).withLeaseTtl(access.bucketLeaseTtl());
            Optional<BucketSettings.AccessKey> key = StateStoreCredentials.of(bucket, secrets);
            if (key.isPresent()) {
                settings = settings.withAccessKey(key.get());
            }
            if (access.caFile().isPresent()) {
                settings = settings.withTrustedCaFile(access.caFile().get());
            }
            return S3StateStore.open(settings);
        }
        GitStateStore store = (GitStateStore) definition;
        GitStoreSettings settings = GitStoreSettings.from(store);
        Optional<GitCredentials> credentials = StateStoreCredentials.of(store, secrets, access.githubApiUrl());
        if (credentials.isPresent()) {
            settings = settings.withCredentials(credentials.get());
        }
        if (access.caFile().isPresent()) {
            settings = settings.withTrustedCaFile(access.caFile().get());
        }
        if (access.cacheDir().isPresent()) {
            // With a cache folder, a Git store keeps its local repository there between runs, one
            // folder per URL and branch, so a repeated pass fetches only what changed.
            String key = store.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                    + sha256(store.url() + "\n" + store.branch()).substring(0, 12);
            settings = settings.withScratchDirectory(
                    access.cacheDir().get().resolve("git").resolve(key));
        }
        return GitRepoStateStore.open(settings);
    }

    /**
     * How state stores are reached besides their documents and Secrets.
     *
     * @param cacheDir {@code --cache-dir}: where Git stores keep their repositories between runs
     * @param caFile {@code --ca-file}: CA certificates trusted for https Git remotes and S3 endpoints
     * @param bucketLeaseTtl {@code --bucket-lease-ttl}: how long a bucket writer's lease lasts
     * @param githubApiUrl {@code --github-api-url}: where {@code authMethod: githubApp} stores get
     *     installation tokens
     */
    record StoreAccess(
            Optional<Path> cacheDir, Optional<Path> caFile, Duration bucketLeaseTtl, java.net.URI githubApiUrl) {
        /** The given cache, CA file and GitHub API with the default bucket lease time. */
        static StoreAccess of(Optional<Path> cacheDir, Optional<Path> caFile, java.net.URI githubApiUrl) {
            return new StoreAccess(cacheDir, caFile, BucketSettings.DEFAULT_LEASE_TTL, githubApiUrl);
        }
    }

    /** {@code --cache-dir}, else {@code $KBR_CACHE_DIR}, else none. */
    static Optional<Path> cacheDir(Path option) {
        if (option != null) {
            return Optional.of(option);
        }
        String env = System.getenv("KBR_CACHE_DIR");
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(Path.of(env));
    }

    /** SHA-256 of {@code text} (UTF-8), as hex. */
    static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
