package dev.kbr.pipeline.kubernetes;

import dev.kbr.model.Container;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.pipeline.GoDurations;
import dev.kbr.pipeline.LogTail;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.pipeline.RuntimeInterrupts;
import dev.kbr.pipeline.TarTrees;
import dev.kbr.pipeline.UnsafeOutputException;
import dev.kbr.run.RunOwner;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * field that cannot become part of a Pod, and unsafe output give {@link PipelineResult.Failed}
 * naming the container and the reason; an API server that cannot be reached or refuses a request
 * gives an {@link IOException} naming what was attempted.
 *
 * <p>Pods are labelled as Kratix labels its pipeline Pods plus {@value PipelinePod#MANAGED_LABEL}
 * {@code =true}, and annotated with their owner ({@value PipelinePod#RUN_ANNOTATION}, {@value
 * PipelinePod#OWNER_POD_ANNOTATION}), so that {@link #connect} removes the leftovers of killed
 * runs. API use, all in the configured namespace: pods create, get, list, delete; pods/log get;
 * pods/exec create and get; configmaps and secrets create and delete.
 *
 * <p>Thread-safe: independent pipelines may run concurrently on one runner.
 */
public final class KubernetesPipelineRunner implements PipelineRunner {
    // Bound for API calls after the containers ended, which the pipeline timeout no longer covers.
    private static final Duration AFTER_EXIT_TIMEOUT = Duration.ofSeconds(60);
    // Waiting reasons after which a container will not start without someone changing something.
    private static final Set<String> STUCK_REASONS = Set.of(
            "ImagePullBackOff",
            "InvalidImageName",
            "ErrImageNeverPull",
            "CreateContainerConfigError",
            "CreateContainerError",
            "RunContainerError");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final KubernetesClient client;
    private final KubernetesRunnerSettings settings;
    private final Supplier<String> suffixes;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * For tests that bring their own client and Pod name suffixes.
     *
     * @param client a fabric8 client; closed by {@link #close()}
     * @param settings where and how to run
     * @param suffixes gives the five characters that end each run's object names
     */
    KubernetesPipelineRunner(KubernetesClient client, KubernetesRunnerSettings settings, Supplier<String> suffixes) {
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
        KubernetesPipelineRunner runner = new KubernetesPipelineRunner(client, settings, randomSuffixes());
        try {
            runner.removeLeftovers(Instant.now());
        } catch (IOException | RuntimeException e) {
            runner.close();
            throw e;
        } catch (InterruptedException e) {
            runner.close();
            throw RuntimeInterrupts.whileConnecting("the Kubernetes API server at " + runner.server(), e);
        }
        return runner;
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
        if (closed.get()) {
            throw new IllegalStateException("The Kubernetes pipeline runner is closed");
        }
        long started = System.nanoTime();
        String name = PipelinePod.name(invocation, suffixes.get());
        PipelinePod.Plan plan;
        try {
            plan = PipelinePod.plan(invocation, name, settings, RunOwner.current());
        } catch (PipelinePod.InvalidPipeline e) {
            return new PipelineResult.Failed(e.where(), e.getMessage(), List.of(), since(started));
        }
        Run run = new Run(invocation, plan, started);
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

    /** Closes the API connection; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }

    /** How the Pod's init containers ended, as far as the runner needs to know. */
    private sealed interface Wait {
        /** Every init container exited 0 and the outputs container runs. */
        record Ready(Pod pod) implements Wait {}

        /** The run is over without outputs. */
        record Stopped(String container, String reason, Pod pod) implements Wait {}
    }

    /** One pipeline run: its Pod's life from creation to deletion. */
    private final class Run {
        private final PipelineInvocation invocation;
        private final PipelinePod.Plan plan;
        private final String name;
        private final long started;
        private final long deadline;
        private final String subject;
        private boolean created;

        Run(PipelineInvocation invocation, PipelinePod.Plan plan, long started) {
            this.invocation = invocation;
            this.plan = plan;
            this.name = plan.pod().getMetadata().getName();
            this.started = started;
            this.deadline = started + invocation.timeout().toNanos();
            this.subject = "Pod " + settings.namespace() + "/" + name + " of pipeline "
                    + invocation.pipeline().name();
        }

        PipelineResult execute() throws IOException, InterruptedException {
            Pod pod;
            // Set before the request: a create that times out may still have made the Pod.
            created = true;
            try {
                pod = client.pods()
                        .inNamespace(settings.namespace())
                        .resource(plan.pod())
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    // Another run's Pod has this name: never delete it.
                    created = false;
                }
                RuntimeInterrupts.throwIfInterrupted(e, "Kubernetes");
                if (e.getCode() == 422) {
                    // The API server names the offending field; it is the Pipeline's to fix.
                    return failed(
                            invocation.pipeline().name(), "the API server refused the pipeline Pod: " + describe(e));
                }
                throw new IOException(
                        "Tried to create " + subject + " but the Kubernetes API server at " + server() + " answered: "
                                + describe(e),
                        e);
            }
            Pod owner = pod;
            call(
                    "Tried to create ConfigMap " + name + " (the input object) for " + subject,
                    () -> client.configMaps()
                            .inNamespace(settings.namespace())
                            .resource(PipelinePod.ownedBy(plan.input(), owner))
                            .create());
            if (plan.secret().isPresent()) {
                call(
                        "Tried to create Secret " + name + " (the pipeline's Secret values) for " + subject,
                        () -> client.secrets()
                                .inNamespace(settings.namespace())
                                .resource(PipelinePod.ownedBy(plan.secret().get(), owner))
                                .create());
            }
            Wait wait = awaitInitContainers();
            if (wait instanceof Wait.Stopped stopped) {
                return failed(stopped.container(), stopped.reason(), logs(stopped.pod(), true));
            }
            Pod ready = ((Wait.Ready) wait).pod();
            List<ContainerLog> logs = logs(ready, false);
            TarTrees.Tree kratix;
            try {
                Fetch fetch = fetchOutputs();
                if (fetch instanceof Fetch.Refused refused) {
                    return failed(invocation.pipeline().name(), refused.reason(), logs);
                }
                kratix = ((Fetch.Fetched) fetch).tree();
            } catch (UnsafeOutputException e) {
                return failed(invocation.pipeline().name(), "produced unsafe output: " + e.getMessage(), logs);
            }
            for (String directory : List.of("output", "metadata")) {
                if (kratix.files().containsKey(directory)) {
                    return failed(
                            invocation.pipeline().name(),
                            "produced unsafe output: /kratix/" + directory + " is a file, not a directory",
                            logs);
                }
            }
            return new PipelineResult.Succeeded(
                    kratix.subtree("output").files(), kratix.subtree("metadata").files(), logs, since(started));
        }

        /** Reads the Pod's status until its init containers are done, one failed, or time ran out. */
        private Wait awaitInitContainers() throws IOException, InterruptedException {
            List<String> initNames = plan.pod().getSpec().getInitContainers().stream()
                    .map(io.fabric8.kubernetes.api.model.Container::getName)
                    .toList();
            while (true) {
                Pod pod = call(
                        "Tried to read the status of " + subject,
                        () -> client.pods()
                                .inNamespace(settings.namespace())
                                .withName(name)
                                .get());
                if (pod == null) {
                    return new Wait.Stopped(
                            invocation.pipeline().name(),
                            "the pipeline Pod " + settings.namespace() + "/" + name
                                    + " was deleted before its containers finished",
                            null);
                }
                PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
                boolean allDone = true;
                for (String container : initNames) {
                    ContainerState state = state(status.getInitContainerStatuses(), container);
                    ContainerStateTerminated terminated = state == null ? null : state.getTerminated();
                    if (terminated != null && exitCode(terminated) != 0) {
                        return new Wait.Stopped(container, exited(container, terminated), pod);
                    }
                    if (terminated == null) {
                        allDone = false;
                        Optional<String> stuck = stuck(container, state);
                        if (stuck.isPresent()) {
                            return new Wait.Stopped(container, stuck.get(), pod);
                        }
                        break;
                    }
                }
                ContainerState outputs = state(status.getContainerStatuses(), PipelinePod.OUTPUTS);
                Optional<String> outputsStuck = stuck(PipelinePod.OUTPUTS, outputs);
                if (outputsStuck.isPresent()) {
                    return new Wait.Stopped(PipelinePod.OUTPUTS, outputsStuck.get(), pod);
                }
                if (allDone && outputs != null && outputs.getRunning() != null) {
                    return new Wait.Ready(pod);
                }
                String phase = status.getPhase();
                if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
                    return new Wait.Stopped(
                            current(pod, initNames),
                            "the pipeline Pod ended (" + phase
                                    + (status.getReason() != null ? ", " + status.getReason() : "")
                                    + ")" + (status.getMessage() != null ? ": " + status.getMessage() : "")
                                    + " before kbr could copy its outputs",
                            pod);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return new Wait.Stopped(current(pod, initNames), timedOut() + whyWaiting(pod, initNames), pod);
                }
                TimeUnit.NANOSECONDS.sleep(
                        Math.min(remaining, settings.pollInterval().toNanos()));
            }
        }

        /** The user container that runs or waits, else the pipeline's name. */
        private String current(Pod pod, List<String> initNames) {
            PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
            for (String container : initNames) {
                ContainerState state = state(status.getInitContainerStatuses(), container);
                if (state == null || state.getTerminated() == null) {
                    return container.equals(PipelinePod.READER)
                            ? invocation.pipeline().name()
                            : container;
                }
            }
            return invocation.pipeline().name();
        }

        /** What the Pod was waiting for when time ran out, for the timeout message. */
        private String whyWaiting(Pod pod, List<String> initNames) {
            PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
            if (status.getConditions() != null) {
                for (PodCondition condition : status.getConditions()) {
                    if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                        return "; the Pod was never scheduled"
                                + (condition.getMessage() != null ? ": " + condition.getMessage() : "");
                    }
                }
            }
            for (String container : initNames) {
                ContainerState state = state(status.getInitContainerStatuses(), container);
                if (state != null && state.getTerminated() != null) {
                    continue;
                }
                // Only the first unfinished container matters: later ones wait for it.
                if (state != null && state.getWaiting() != null) {
                    ContainerStateWaiting waiting = state.getWaiting();
                    return "; container " + container + " was waiting (" + waiting.getReason()
                            + (waiting.getMessage() != null ? ": " + waiting.getMessage() : "") + ")";
                }
                break;
            }
            return status.getPhase() == null
                            || "Pending".equals(status.getPhase()) && status.getInitContainerStatuses() == null
                    ? "; the Pod had not started"
                    : "";
        }

        /** Copies {@code /kratix/output} and {@code /kratix/metadata} out of the outputs container. */
        private Fetch fetchOutputs() throws IOException, InterruptedException, UnsafeOutputException {
            String attempted = "Tried to copy /kratix/output and /kratix/metadata out of " + subject;
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            ExecWatch watch = call(
                    attempted,
                    () -> pod().inContainer(PipelinePod.OUTPUTS)
                            .redirectingOutput()
                            .writingError(new Capped(errors, 64 * 1024))
                            .exec("tar", "-c", "-f", "-", "-C", "/", "kratix/output", "kratix/metadata"));
            try (watch) {
                TarTrees.Tree tree;
                InputStream tar = watch.getOutput();
                try {
                    tree = TarTrees.readTree(tar, "kratix", Set.of("output", "metadata"), settings.outputLimits());
                    // The tail (block padding) must be read, or the stream stalls before the exit status.
                    tar.transferTo(OutputStream.nullOutputStream());
                } catch (InterruptedIOException e) {
                    throw RuntimeInterrupts.interrupted(attempted, e);
                } catch (UnsafeOutputException e) {
                    throw e;
                } catch (IOException e) {
                    int code = tarExitCode(watch, attempted);
                    if (code != 0) {
                        return new Fetch.Refused(tarFailed(code, errors));
                    }
                    throw new IOException(attempted + " but reading the archive failed: " + e.getMessage(), e);
                }
                int code = tarExitCode(watch, attempted);
                if (code != 0) {
                    return new Fetch.Refused(tarFailed(code, errors));
                }
                return new Fetch.Fetched(tree);
            }
        }

        private String tarFailed(int code, ByteArrayOutputStream errors) {
            return "kbr could not copy /kratix/output and /kratix/metadata out of the pipeline Pod: tar exited with"
                    + " code " + code + ": "
                    + errors.toString(StandardCharsets.UTF_8).strip()
                    + "; pipeline files must be readable by other users (kbr's " + PipelinePod.OUTPUTS
                    + " container runs as user " + PipelinePod.HELPER_USER + "), and the helper image ("
                    + settings.helperImage() + ") needs tar";
        }

        private int tarExitCode(ExecWatch watch, String attempted) throws IOException, InterruptedException {
            try {
                Integer code = watch.exitCode().get(AFTER_EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return code == null ? -1 : code;
            } catch (ExecutionException e) {
                throw new IOException(attempted + " but the exec stream failed: " + describe(e.getCause()), e);
            } catch (TimeoutException e) {
                throw new IOException(
                        attempted + " but tar's exit status did not arrive within "
                                + GoDurations.format(AFTER_EXIT_TIMEOUT),
                        e);
            }
        }

        /**
         * Logs of the user containers that started, in order; with {@code withReader}, also the
         * reader's when it failed, as it then explains the failure.
         */
        private List<ContainerLog> logs(Pod pod, boolean withReader) throws InterruptedException {
            List<ContainerLog> logs = new ArrayList<>();
            if (pod == null || pod.getStatus() == null) {
                return logs;
            }
            List<String> names = new ArrayList<>();
            if (withReader) {
                names.add(PipelinePod.READER);
            }
            invocation.pipeline().containers().stream().map(Container::name).forEach(names::add);
            for (String container : names) {
                ContainerState state = state(pod.getStatus().getInitContainerStatuses(), container);
                if (state == null || (state.getTerminated() == null && state.getRunning() == null)) {
                    continue;
                }
                int code = state.getTerminated() != null ? exitCode(state.getTerminated()) : -1;
                if (container.equals(PipelinePod.READER) && code == 0) {
                    continue;
                }
                logs.add(new ContainerLog(container, code, log(container)));
            }
            return logs;
        }

        private String log(String container) throws InterruptedException {
            LogTail tail = new LogTail(settings.maxLogBytes());
            String problem = null;
            try (InputStream in = pod().inContainer(container).getLogInputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    tail.append(java.util.Arrays.copyOf(buffer, n));
                }
            } catch (InterruptedIOException e) {
                Thread.currentThread().interrupt();
                throw (InterruptedException) new InterruptedException("Interrupted while reading a log").initCause(e);
            } catch (IOException | RuntimeException e) {
                if (e instanceof RuntimeException runtime) {
                    RuntimeInterrupts.throwIfInterrupted(runtime, "Kubernetes");
                }
                // The log is diagnostic: losing it must not turn a result into an API error.
                problem = "the log could not be read: " + describe(e);
            }
            String text = tail.text();
            if (problem != null) {
                text = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "[kbr: " + problem + "]\n";
            }
            return text;
        }

        /** Deletes the Secret, ConfigMap and Pod, even after an interrupt (which is kept). */
        void cleanUp() throws IOException {
            if (!created) {
                return;
            }
            boolean interrupted = Thread.interrupted();
            try {
                delete(name, plan.secret().isPresent());
            } catch (InterruptedException e) {
                interrupted = true;
                InterruptedIOException io = new InterruptedIOException("Interrupted while deleting " + subject);
                io.initCause(e);
                throw io;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private PodResource pod() {
            return client.pods().inNamespace(settings.namespace()).withName(name);
        }

        private PipelineResult failed(String container, String reason) {
            return failed(container, reason, List.of());
        }

        private PipelineResult failed(String container, String reason, List<ContainerLog> logs) {
            return new PipelineResult.Failed(container, reason, logs, since(started));
        }

        private String timedOut() {
            return "timed out after " + GoDurations.format(invocation.timeout());
        }

        private String exited(String container, ContainerStateTerminated terminated) {
            int code = exitCode(terminated);
            String reason = "exited with code " + code;
            if (container.equals(PipelinePod.READER)) {
                reason = "kbr's reader container (image " + settings.helperImage() + ") " + reason
                        + " while copying the input object; check --kubernetes-helper-image";
            }
            if (terminated.getReason() != null && !"Error".equals(terminated.getReason())) {
                reason += " (" + terminated.getReason() + ")";
            }
            return reason;
        }

        /** Why a waiting container will not start, when it will not without help. */
        private Optional<String> stuck(String container, ContainerState state) {
            ContainerStateWaiting waiting = state == null ? null : state.getWaiting();
            if (waiting == null || !STUCK_REASONS.contains(waiting.getReason())) {
                return Optional.empty();
            }
            String image = image(container);
            String detail = waiting.getMessage() != null ? ": " + waiting.getMessage() : "";
            boolean pull = waiting.getReason().contains("Image");
            String what = pull
                    ? "image " + image + " could not be pulled (" + waiting.getReason() + detail + ")"
                    : "the container could not be started (" + waiting.getReason() + detail + ")";
            String fix = container.equals(PipelinePod.READER) || container.equals(PipelinePod.OUTPUTS)
                    ? "; kbr's helper image is set by --kubernetes-helper-image"
                    : pull ? "; check the image name and the Pipeline's spec.imagePullSecrets" : "";
            return Optional.of(what + fix);
        }

        private String image(String container) {
            return java.util.stream.Stream.concat(
                            plan.pod().getSpec().getInitContainers().stream(),
                            plan.pod().getSpec().getContainers().stream())
                    .filter(c -> c.getName().equals(container))
                    .map(io.fabric8.kubernetes.api.model.Container::getImage)
                    .findFirst()
                    .orElse("?");
        }
    }

    /** The outcome of copying the outputs out. */
    private sealed interface Fetch {
        record Fetched(TarTrees.Tree tree) implements Fetch {}

        record Refused(String reason) implements Fetch {}
    }

    /** Deletes a run's Secret (when it has one), ConfigMap and Pod; absent ones are fine. */
    private void delete(String name, boolean withSecret) throws IOException, InterruptedException {
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

    private static ContainerState state(List<ContainerStatus> statuses, String container) {
        if (statuses == null) {
            return null;
        }
        for (ContainerStatus status : statuses) {
            if (container.equals(status.getName())) {
                return status.getState();
            }
        }
        return null;
    }

    private static int exitCode(ContainerStateTerminated terminated) {
        return terminated.getExitCode() == null ? -1 : terminated.getExitCode();
    }

    /** A fabric8 call; its unchecked exceptions are translated by {@link #call}. */
    private interface ApiCall<T> {
        T call() throws InterruptedException;
    }

    /**
     * Runs a fabric8 call, turning its exceptions into an {@link IOException} ({@code "<attempted>
     * but the Kubernetes API server at … answered: …"}) or, when the thread was interrupted, an
     * {@link InterruptedException}.
     */
    private <T> T call(String attempted, ApiCall<T> apiCall) throws IOException, InterruptedException {
        try {
            return apiCall.call();
        } catch (KubernetesClientException e) {
            RuntimeInterrupts.throwIfInterrupted(e, "Kubernetes");
            if (e.getStatus() == null && e.getCode() <= 0) {
                // No HTTP answer at all: fabric8's own message only repeats the request.
                throw new IOException(
                        attempted + " but the Kubernetes API server at " + server() + " could not be reached: "
                                + describe(rootCause(e))
                                + "; run kbr in a Pod, or point KUBECONFIG at a cluster",
                        e);
            }
            String hint = e.getCode() == 403
                    ? "; grant kbr's service account the Role in docs/kubernetes-runner.md in namespace "
                            + settings.namespace()
                    : "";
            throw new IOException(
                    attempted + " but the Kubernetes API server at " + server() + " answered: " + describe(e) + hint,
                    e);
        } catch (RuntimeException e) {
            RuntimeInterrupts.throwIfInterrupted(e, "Kubernetes");
            throw new IOException(
                    attempted + " but the Kubernetes API server at " + server() + " could not be reached: "
                            + describe(e),
                    e);
        }
    }

    private String server() {
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
        if (e instanceof KubernetesClientException k
                && k.getStatus() != null
                && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message.strip();
        }
        Throwable cause = e.getCause();
        return cause != null && cause != e ? describe(cause) : e.getClass().getSimpleName();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
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

    /** Keeps at most {@code limit} bytes written to it; the rest is dropped. */
    private static final class Capped extends OutputStream {
        private final ByteArrayOutputStream target;
        private final int limit;

        Capped(ByteArrayOutputStream target, int limit) {
            this.target = target;
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            if (target.size() < limit) {
                target.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            target.write(bytes, offset, Math.min(length, Math.max(0, limit - target.size())));
        }
    }
}
