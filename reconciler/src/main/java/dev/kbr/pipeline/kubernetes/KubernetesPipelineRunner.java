package dev.kbr.pipeline.kubernetes;

import dev.kbr.model.PipelineSpec;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.RuntimeConnection;
import dev.kbr.pipeline.TarTrees;
import dev.kbr.run.RunOwner;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs Kratix pipelines as Pods in one namespace of a Kubernetes cluster, one Pod per pipeline run,
 * shaped as {@link PipelinePod} describes (the pipeline's containers as init containers over
 * emptyDir volumes, as in Kratix's pipeline Pods).
 *
 * <p>A run: create the Pod, then its ConfigMap ({@code object.yaml}) and, when the pipeline has
 * Secret-derived variables, its Secret, both owned by the Pod so the API server deletes them with
 * it; read the Pod's status every {@link KubernetesRunnerSettings#pollInterval()} until every init
 * container has ended; then copy {@code /kratix/output} and {@code /kratix/metadata} out of the
 * {@value PipelinePod#OUTPUTS} container as a tar stream ({@code exec tar}), checked by {@link
 * TarTrees} (no links or special files, nothing outside the directories, size limits); read each
 * container's log; and always delete the Secret, ConfigMap and Pod, whatever happened.
 *
 * <p>A container exiting non-zero, the pipeline timeout (covering scheduling, image pulls and
 * the containers), an image that cannot be pulled, a Pod that is evicted or deleted, a Pipeline
 * field that cannot become part of a Pod or that the Docker runner could not honour either ({@link
 * dev.kbr.model.PipelineSpec}, checked before anything is created), and unsafe output give {@link
 * PipelineResult.Failed} naming the container and the reason; an API server that cannot be
 * reached or refuses a request gives an {@link IOException} naming what was attempted.
 *
 * <p>Pods are labelled as Kratix labels its pipeline Pods plus {@value PipelinePod#MANAGED_LABEL}
 * {@code =true}, and annotated with their owner ({@value PipelinePod#RUN_ANNOTATION}, {@value
 * PipelinePod#OWNER_POD_ANNOTATION}), so that {@link #connect} removes the leftovers of killed
 * runs. API use, all in the configured namespace: pods create, get, list, delete; pods/log get;
 * pods/exec create and get; configmaps and secrets create and delete.
 *
 * <p>Thread-safe: independent pipelines may run concurrently on one runner.
 */
public final class KubernetesPipelineRunner extends RuntimeConnection {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final KubernetesClient client;
    private final KubernetesRunnerSettings settings;
    private final Supplier<String> suffixes;

    /**
     * For tests that bring their own client and Pod name suffixes.
     *
     * @param client a fabric8 client; closed by {@link #close()}
     * @param settings where and how to run
     * @param suffixes gives the five characters that end each run's object names
     */
    KubernetesPipelineRunner(KubernetesClient client, KubernetesRunnerSettings settings, Supplier<String> suffixes) {
        super("Kubernetes");
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.suffixes = Objects.requireNonNull(suffixes, "suffixes");
    }

    /**
     * Connects to the cluster the environment points at (in a Pod: its service account; else
     * {@code $KUBECONFIG} or {@code ~/.kube/config}), checks that pipeline Pods can be listed in
     * the namespace, and removes leftovers of killed runs ({@link #removeLeftovers}).
     *
     * @param settings the namespace and how to run
     * @return a runner owning the connection; close it when done
     * @throws IOException when no cluster is configured or the API server refuses or does not
     *     answer; the message names the server, the namespace and what to grant
     */
    public static KubernetesPipelineRunner connect(KubernetesRunnerSettings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        KubernetesClient client;
        try {
            client = new KubernetesClientBuilder().build();
        } catch (RuntimeException e) {
            throw new IOException(
                    "Tried to configure the Kubernetes client for --runner kubernetes but could not: " + describe(e)
                            + "; run kbr in a Pod or point KUBECONFIG at a cluster",
                    e);
        }
        return prepared(
                new KubernetesPipelineRunner(client, settings, randomSuffixes()),
                runner -> runner.removeLeftovers(Instant.now()));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IOException when the API server refuses or fails a request (the message says what
     *     was attempted on which Pod, and what the server answered)
     * @throws IllegalStateException when the runner is closed
     */
    @Override
    public PipelineResult run(PipelineInvocation invocation) throws IOException, InterruptedException {
        Objects.requireNonNull(invocation, "invocation");
        requireOpen();
        long started = System.nanoTime();
        PipelineSpec spec = PipelineSpec.read(invocation.pipeline());
        Optional<PipelineResult> unhonoured = unhonoured(spec, started);
        if (unhonoured.isPresent()) {
            return unhonoured.get();
        }
        String name = PipelinePod.name(invocation, suffixes.get());
        PipelinePod.Plan plan;
        try {
            plan = PipelinePod.plan(invocation, spec, name, settings, RunOwner.current());
        } catch (PipelinePod.InvalidPipeline e) {
            return new PipelineResult.Failed(e.where(), e.getMessage(), List.of(), since(started));
        }
        PodRun run = new PodRun(this, invocation, plan, started);
        try {
            return run.execute();
        } finally {
            run.cleanUp();
        }
    }

    /**
     * Removes Pods (with their ConfigMap and Secret) that killed kbr runs left behind: every Pod
     * labelled {@value PipelinePod#MANAGED_LABEL}{@code =true} in the namespace whose owner is
     * gone, i.e. a process of this host that no longer runs, or a Pod of this namespace named in
     * {@value PipelinePod#OWNER_POD_ANNOTATION} that no longer exists or has ended; Pods whose
     * owner cannot be checked only once older than {@link RunOwner#FOREIGN_LEFTOVER_AGE}. Pods of live
     * runs are left alone. A Pod that cannot be deleted now is left for a later run.
     *
     * @param now the current time
     * @return the names of the Pods removed, in the order listed
     * @throws IOException when the Pods cannot be listed (no access to the namespace)
     * @throws InterruptedException when interrupted meanwhile
     */
    List<String> removeLeftovers(Instant now) throws IOException, InterruptedException {
        List<Pod> pods = call(
                "Tried to list kbr's pipeline Pods in namespace " + settings.namespace(),
                () -> client.pods()
                        .inNamespace(settings.namespace())
                        .withLabel(PipelinePod.MANAGED_LABEL, "true")
                        .list()
                        .getItems());
        List<String> removed = new ArrayList<>();
        for (Pod pod : pods) {
            if (!isLeftover(pod, now)) {
                continue;
            }
            String name = pod.getMetadata().getName();
            try {
                delete(name, true);
                removed.add(name);
            } catch (IOException e) {
                // Another run may be removing it at the same time; a later run tries again.
            }
        }
        return removed;
    }

    private boolean isLeftover(Pod pod, Instant now) throws InterruptedException {
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
        Optional<RunOwner> owner = RunOwner.parseLabel(annotations.get(PipelinePod.RUN_ANNOTATION));
        if (owner.isPresent() && owner.get().onThisHost()) {
            return owner.get().isDeadOnThisHost();
        }
        String ownerPod = annotations.getOrDefault(PipelinePod.OWNER_POD_ANNOTATION, "");
        String prefix = settings.namespace() + "/";
        if (ownerPod.startsWith(prefix)) {
            String ownerName = ownerPod.substring(prefix.length());
            try {
                Pod found = call(
                        "Tried to read kbr's Pod " + ownerPod,
                        () -> client.pods()
                                .inNamespace(settings.namespace())
                                .withName(ownerName)
                                .get());
                String phase = found == null || found.getStatus() == null
                        ? null
                        : found.getStatus().getPhase();
                return found == null || "Succeeded".equals(phase) || "Failed".equals(phase);
            } catch (IOException e) {
                return false;
            }
        }
        return created(pod)
                .map(t -> t.plus(RunOwner.FOREIGN_LEFTOVER_AGE).isBefore(now))
                .orElse(false);
    }

    private static Optional<Instant> created(Pod pod) {
        try {
            String timestamp = pod.getMetadata().getCreationTimestamp();
            return timestamp == null
                    ? Optional.empty()
                    : Optional.of(OffsetDateTime.parse(timestamp).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Deletes a run's Secret (when it has one), ConfigMap and Pod; absent ones are fine. */
    void delete(String name, boolean withSecret) throws IOException, InterruptedException {
        String where = settings.namespace() + "/" + name;
        if (withSecret) {
            call(
                    "Tried to delete Secret " + where,
                    () -> client.secrets()
                            .inNamespace(settings.namespace())
                            .withName(name)
                            .delete());
        }
        call(
                "Tried to delete ConfigMap " + where,
                () -> client.configMaps()
                        .inNamespace(settings.namespace())
                        .withName(name)
                        .delete());
        // No grace period: the outputs container only sleeps, and the Pod's work is done.
        call(
                "Tried to delete Pod " + where,
                () -> client.pods()
                        .inNamespace(settings.namespace())
                        .withName(name)
                        .withGracePeriod(0)
                        .delete());
    }

    /**
     * {@code "<attempted> but the Kubernetes API server at … answered: …"} (with the Role to grant
     * on a 403), or {@code "… could not be reached: …"} when no HTTP answer came.
     */
    @Override
    protected IOException failure(String attempted, RuntimeException e) {
        if (e instanceof KubernetesClientException k) {
            if (k.getStatus() == null && k.getCode() <= 0) {
                // No HTTP answer at all: fabric8's own message only repeats the request.
                return new IOException(
                        attempted + " but the Kubernetes API server at " + server() + " could not be reached: "
                                + describe(rootCause(k))
                                + "; run kbr in a Pod, or point KUBECONFIG at a cluster",
                        k);
            }
            String hint = k.getCode() == 403
                    ? "; grant kbr's service account the Role in docs/kubernetes-runner.md in namespace "
                            + settings.namespace()
                    : "";
            return new IOException(
                    attempted + " but the Kubernetes API server at " + server() + " answered: " + describe(k) + hint,
                    k);
        }
        return new IOException(
                attempted + " but the Kubernetes API server at " + server() + " could not be reached: " + describe(e),
                e);
    }

    @Override
    protected String address() {
        return "the Kubernetes API server at " + server();
    }

    @Override
    protected void closeClient() {
        client.close();
    }

    /** {@link RuntimeConnection#call} for the rest of this package. */
    <T> T api(String attempted, LibraryCall<T> apiCall) throws IOException, InterruptedException {
        return call(attempted, apiCall);
    }

    /** Deletes a run's objects even after an interrupt, which is kept. */
    static void deleteKeepingInterrupt(KubernetesPipelineRunner runner, String subject, String name, boolean withSecret)
            throws IOException {
        cleanUp("deleting", subject, () -> runner.delete(name, withSecret));
    }

    /** The log with {@code "[kbr: <problem>]"} appended when there was one. */
    static String withLogProblem(String log, String problem) {
        return withProblem(log, problem);
    }

    /** The time since {@code startedNanos}. */
    static Duration elapsed(long startedNanos) {
        return since(startedNanos);
    }

    KubernetesClient client() {
        return client;
    }

    KubernetesRunnerSettings settings() {
        return settings;
    }

    String server() {
        try {
            return String.valueOf(client.getMasterUrl());
        } catch (RuntimeException e) {
            return "(unknown address)";
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The API server's status message where it sent one, else the exception's message. */
    static String describe(Throwable e) {
        return describe(
                e,
                t -> t instanceof KubernetesClientException k
                                && k.getStatus() != null
                                && k.getStatus().getMessage() != null
                        ? Optional.of(k.getStatus().getMessage())
                        : Optional.empty());
    }

    private static Supplier<String> randomSuffixes() {
        SecureRandom random = new SecureRandom();
        return () -> {
            StringBuilder suffix = new StringBuilder(5);
            for (int i = 0; i < 5; i++) {
                suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            return suffix.toString();
        };
    }
}
