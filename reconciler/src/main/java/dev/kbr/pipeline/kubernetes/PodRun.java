package dev.kbr.pipeline.kubernetes;

import dev.kbr.model.Container;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.pipeline.GoDurations;
import dev.kbr.pipeline.LogTail;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.RuntimeInterrupts;
import dev.kbr.pipeline.TarTrees;
import dev.kbr.pipeline.UnsafeOutputException;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One pipeline run on Kubernetes: its Pod's life from creation to deletion, as {@link
 * KubernetesPipelineRunner} describes. Used once, by one thread.
 */
final class PodRun {
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

    private final KubernetesPipelineRunner runner;
    private final KubernetesClient client;
    private final KubernetesRunnerSettings settings;
    private final PipelineInvocation invocation;
    private final PipelinePod.Plan plan;
    private final String name;
    private final long started;
    private final long deadline;
    private final String subject;
    private boolean created;

    PodRun(KubernetesPipelineRunner runner, PipelineInvocation invocation, PipelinePod.Plan plan, long started) {
        this.runner = runner;
        this.client = runner.client();
        this.settings = runner.settings();
        this.invocation = invocation;
        this.plan = plan;
        this.name = plan.pod().getMetadata().getName();
        this.started = started;
        this.deadline = started + invocation.timeout().toNanos();
        this.subject = "Pod " + settings.namespace() + "/" + name + " of pipeline "
                + invocation.pipeline().name();
    }

    /**
     * Creates the Pod and its objects, waits for the pipeline's containers and copies the outputs
     * out; {@link #cleanUp()} must follow, whatever happens.
     *
     * @throws IOException when the API server refuses or fails a request
     * @throws InterruptedException when interrupted meanwhile
     */
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
                        invocation.pipeline().name(),
                        "the API server refused the pipeline Pod: " + KubernetesPipelineRunner.describe(e));
            }
            throw new IOException(
                    "Tried to create " + subject + " but the Kubernetes API server at " + runner.server()
                            + " answered: " + KubernetesPipelineRunner.describe(e),
                    e);
        }
        Pod owner = pod;
        runner.api(
                "Tried to create ConfigMap " + name + " (the input object) for " + subject,
                () -> client.configMaps()
                        .inNamespace(settings.namespace())
                        .resource(PipelinePod.ownedBy(plan.input(), owner))
                        .create());
        if (plan.secret().isPresent()) {
            runner.api(
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
                kratix.subtree("output").files(),
                kratix.subtree("metadata").files(),
                logs,
                KubernetesPipelineRunner.elapsed(started));
    }

    /** Reads the Pod's status until its init containers are done, one failed, or time ran out. */
    private Wait awaitInitContainers() throws IOException, InterruptedException {
        List<String> initNames = plan.pod().getSpec().getInitContainers().stream()
                .map(io.fabric8.kubernetes.api.model.Container::getName)
                .toList();
        while (true) {
            Pod pod = runner.api(
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
        ExecWatch watch = runner.api(
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
            throw new IOException(
                    attempted + " but the exec stream failed: " + KubernetesPipelineRunner.describe(e.getCause()), e);
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
            problem = "the log could not be read: " + KubernetesPipelineRunner.describe(e);
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
        KubernetesPipelineRunner.deleteKeepingInterrupt(
                runner, subject, name, plan.secret().isPresent());
    }

    private PodResource pod() {
        return client.pods().inNamespace(settings.namespace()).withName(name);
    }

    private PipelineResult failed(String container, String reason) {
        return failed(container, reason, List.of());
    }

    private PipelineResult failed(String container, String reason, List<ContainerLog> logs) {
        return new PipelineResult.Failed(container, reason, logs, KubernetesPipelineRunner.elapsed(started));
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

    /** How the Pod's init containers ended, as far as the runner needs to know. */
    private sealed interface Wait {
        /** Every init container exited 0 and the outputs container runs. */
        record Ready(Pod pod) implements Wait {}

        /** The run is over without outputs. */
        record Stopped(String container, String reason, Pod pod) implements Wait {}
    }

    /** The outcome of copying the outputs out. */
    private sealed interface Fetch {
        record Fetched(TarTrees.Tree tree) implements Fetch {}

        record Refused(String reason) implements Fetch {}
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
