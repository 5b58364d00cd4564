package dev.kbr.pipeline.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.WaitResponse;
import dev.kbr.model.Container;
import dev.kbr.model.PipelineSpec;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.pipeline.EnvExpansion;
import dev.kbr.pipeline.LogTail;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.RuntimeInterrupts;
import dev.kbr.pipeline.TarTrees;
import dev.kbr.pipeline.UnsafeOutputException;
import dev.kbr.run.RunOwner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline container's run on the Docker engine: image, create, copy in, start, wait, collect,
 * remove, as {@link DockerPipelineRunner} describes. Used once, by one thread.
 */
final class ContainerStep {
    // Bounds for engine calls that follow a container's end and so are not covered by the
    // pipeline timeout; a healthy engine answers them in milliseconds.
    private static final Duration AFTER_EXIT_TIMEOUT = Duration.ofSeconds(30);
    // The directories under /kratix that pass from one container to the next.
    private static final Set<String> SHARED_DIRECTORIES = Set.of("output", "metadata");

    private final DockerPipelineRunner runner;
    private final DockerClient client;
    private final DockerRunnerSettings settings;
    private final PipelineInvocation invocation;
    private final Container container;
    private final List<VolumeMounts.Mount> mounts;
    private final PipelineSpec.ContainerSpec spec;
    private final long deadline;
    private final String subject;

    ContainerStep(
            DockerPipelineRunner runner,
            PipelineInvocation invocation,
            Container container,
            PipelineSpec.ContainerSpec spec,
            List<VolumeMounts.Mount> mounts,
            long deadline) {
        this.runner = runner;
        this.client = runner.client();
        this.settings = runner.settings();
        this.invocation = invocation;
        this.container = container;
        this.mounts = mounts;
        this.spec = spec;
        this.deadline = deadline;
        this.subject = "container `" + container.name() + "` of pipeline "
                + invocation.pipeline().name() + " (image " + container.image() + ")";
    }

    /** How one container ended. */
    sealed interface Outcome {
        /** It exited 0; {@code shared} is what it leaves to the next container. */
        record Done(ContainerLog log, Shared shared) implements Outcome {}

        /** The pipeline stops here, for {@code reason}. */
        record Stopped(String reason, Optional<ContainerLog> log) implements Outcome {}
    }

    /**
     * Runs the container over what the previous one left, and removes it whatever happens.
     *
     * @throws IOException when the engine fails a request
     * @throws InterruptedException when interrupted meanwhile
     */
    Outcome run(Shared shared) throws IOException, InterruptedException {
        if (remainingNanos() <= 0) {
            return new Outcome.Stopped(timedOut() + " before the container started", Optional.empty());
        }
        DockerImages.Check image = runner.images().ensure(container, subject, this::remainingNanos, this::timedOut);
        if (image instanceof DockerImages.Check.Unusable unusable) {
            return new Outcome.Stopped(unusable.reason(), Optional.empty());
        }
        DockerImages.Check.Usable usable = (DockerImages.Check.Usable) image;
        Optional<String> refusal = DockerContainerSpec.nonRootRefusal(spec, usable.written());
        if (refusal.isPresent()) {
            return new Outcome.Stopped(refusal.get(), Optional.empty());
        }
        ImageUser owner = DockerContainerSpec.owner(spec, usable.user());
        String id = create(usable.written());
        Outcome outcome;
        try {
            outcome = runCreated(id, owner, shared);
        } catch (Throwable t) {
            try {
                remove(id);
            } catch (IOException | RuntimeException removal) {
                t.addSuppressed(removal);
            }
            throw t;
        }
        remove(id);
        return outcome;
    }

    private String create(String imageUser) throws IOException, InterruptedException {
        Map<String, String> labels = new TreeMap<>();
        labels.put(DockerPipelineRunner.MANAGED_LABEL, "true");
        labels.put(DockerPipelineRunner.PIPELINE_LABEL, invocation.pipeline().name());
        labels.put(DockerPipelineRunner.CONTAINER_LABEL, container.name());
        labels.put(DockerPipelineRunner.RUN_LABEL, RunOwner.current().label());
        // The platform API listens on the host's loopback, which only the host's network reaches.
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(invocation.platformAccess().isPresent() ? "host" : settings.networkMode())
                .withPrivileged(false);
        boolean cpuLimit = spec.resources().flatMap(r -> r.cpuLimit()).isPresent();
        DockerContainerSpec.apply(host, spec, cpuLimit ? runner.engineCpus() : Integer.MAX_VALUE);
        Optional<String> user = DockerContainerSpec.user(spec, imageUser);
        // A read-only root filesystem takes copies only into volumes, as a Pod's emptyDirs are.
        List<Volume> volumes = new ArrayList<>();
        if (DockerContainerSpec.readOnlyRoot(spec)) {
            volumes.add(new Volume("/kratix"));
            mounts.forEach(mount -> volumes.add(new Volume(mount.absolutePath())));
        }
        Map<String, String> env = EnvExpansion.environment(invocation.env(), container.env());
        List<String> command = EnvExpansion.expandAll(container.command(), env);
        List<String> args = EnvExpansion.expandAll(container.args(), env);
        return runner.engine("Tried to create " + subject, () -> {
                    CreateContainerCmd create = client.createContainerCmd(container.image())
                            .withEnv(DockerPipelineRunner.environment(env))
                            .withLabels(labels)
                            .withHostConfig(host)
                            .withTty(false)
                            .withAttachStdin(false)
                            .withStdinOpen(false);
                    user.ifPresent(create::withUser);
                    if (!volumes.isEmpty()) {
                        create.withVolumes(volumes);
                    }
                    // Docker, like Kubernetes, drops the image's CMD when the entrypoint is
                    // overridden, so both are passed only when given.
                    if (!command.isEmpty()) {
                        create.withEntrypoint(command);
                    }
                    if (!args.isEmpty()) {
                        create.withCmd(args);
                    }
                    return create.exec();
                })
                .getId();
    }

    private Outcome runCreated(String id, ImageUser owner, Shared shared) throws IOException, InterruptedException {
        for (VolumeMounts.Mount mount : mounts) {
            Optional<String> hidden = imageContentAt(id, mount);
            if (hidden.isPresent()) {
                return new Outcome.Stopped(
                        "mounts volume `" + mount.volume() + "` at " + mount.absolutePath() + ", where image "
                                + container.image() + " already has " + hidden.get()
                                + "; a Kubernetes mount would hide that, but kbr copies volumes in and out and"
                                + " cannot, so mount the volume at a path the image leaves empty or absent",
                        Optional.empty());
            }
        }
        SortedMap<String, byte[]> tars = DockerContainerSpec.readOnlyRoot(spec)
                ? DockerPipelineRunner.inputTarsPerVolume(invocation.objectYaml(), shared, mounts, owner)
                : new TreeMap<>(
                        Map.of("/", DockerPipelineRunner.inputTar(invocation.objectYaml(), shared, mounts, owner)));
        for (Map.Entry<String, byte[]> tar : tars.entrySet()) {
            runner.engine(
                    (mounts.isEmpty() ? "Tried to copy /kratix into " : "Tried to copy /kratix and volumes into ")
                            + subject,
                    () -> client.copyArchiveToContainerCmd(id)
                            .withRemotePath(tar.getKey())
                            .withTarInputStream(new ByteArrayInputStream(tar.getValue()))
                            .exec());
        }
        runner.engine(
                "Tried to start " + subject, () -> client.startContainerCmd(id).exec());
        Optional<Integer> exit = awaitExit(id, remainingNanos());
        if (exit.isEmpty()) {
            runner.engine("Tried to kill " + subject + " after the pipeline timed out", () -> {
                try {
                    return client.killContainerCmd(id).exec();
                } catch (DockerException e) {
                    // 409: it exited between the timeout and the kill; nothing to do.
                    if (e.getHttpStatus() == 409) {
                        return null;
                    }
                    throw e;
                }
            });
            int killed = awaitExit(id, AFTER_EXIT_TIMEOUT.toNanos()).orElse(-1);
            return new Outcome.Stopped(timedOut(), Optional.of(log(id, killed)));
        }
        ContainerLog log = log(id, exit.get());
        if (exit.get() != 0) {
            return new Outcome.Stopped("exited with code " + exit.get(), Optional.of(log));
        }
        TarTrees.Tree newOutput;
        TarTrees.Tree newMetadata;
        try {
            // One copy of /kratix instead of one per directory: each copy makes the engine
            // mount the stopped container's filesystem, the largest cost after create/start.
            TarTrees.Tree kratix = copyOut(id, "/kratix", "kratix", SHARED_DIRECTORIES);
            for (String directory : SHARED_DIRECTORIES) {
                if (kratix.files().containsKey(directory)) {
                    return new Outcome.Stopped(
                            "produced unsafe output: /kratix/" + directory + " is a file, not a directory",
                            Optional.of(log));
                }
            }
            newOutput = kratix.subtree("output");
            newMetadata = kratix.subtree("metadata");
        } catch (UnsafeOutputException e) {
            return new Outcome.Stopped("produced unsafe output: " + e.getMessage(), Optional.of(log));
        }
        SortedMap<String, TarTrees.Tree> volumes = new TreeMap<>(shared.volumes());
        for (VolumeMounts.Mount mount : mounts) {
            // The container may have written to its copy of a read-only mount; dropping the
            // copy keeps those writes from later containers, which is what read-only promises
            // them.
            if (mount.readOnly()) {
                continue;
            }
            try {
                volumes.put(mount.volume(), copyOut(id, mount.absolutePath(), mount.baseName(), Set.of()));
            } catch (UnsafeOutputException e) {
                return new Outcome.Stopped(
                        "left unsafe content in volume `" + mount.volume() + "` (mounted at " + mount.absolutePath()
                                + "): " + e.getMessage(),
                        Optional.of(log));
            }
        }
        Shared next = new Shared(newOutput, newMetadata, volumes);
        long total = next.totalBytes();
        long limit = settings.outputLimits().maxTotalBytes();
        if (total > limit) {
            String what = volumes.isEmpty()
                    ? "/kratix/output and /kratix/metadata"
                    : "/kratix/output, /kratix/metadata and the pipeline's volumes";
            return new Outcome.Stopped(
                    what + " together hold " + total + " bytes, more than the limit of " + limit
                            + " bytes per pipeline",
                    Optional.of(log));
        }
        return new Outcome.Done(log, next);
    }

    /**
     * What the image itself has at a mount path, if anything: copying a volume in would mix
     * with it, and copying the volume out would then carry the image's files into it.
     */
    private Optional<String> imageContentAt(String id, VolumeMounts.Mount mount)
            throws IOException, InterruptedException {
        String attempted = "Tried to look at " + mount.absolutePath() + " in " + subject + " before copying volume `"
                + mount.volume() + "` there";
        InputStream tar;
        try {
            tar = runner.engine(
                    attempted,
                    () -> client.copyArchiveFromContainerCmd(id, mount.absolutePath())
                            .exec());
        } catch (IOException e) {
            if (e.getCause() instanceof NotFoundException) {
                return Optional.empty();
            }
            // The engine's answer when a parent of the path is a file; the copy in would
            // fail the same way, so this is the pipeline's fault, not the engine's.
            if (e.getCause() instanceof DockerException engineError
                    && DockerPipelineRunner.describe(engineError).endsWith("not a directory")) {
                return Optional.of("a file on the way to it");
            }
            throw e;
        }
        String parent = mount.absolutePath().substring(0, mount.absolutePath().lastIndexOf('/') + 1);
        try (tar) {
            // No byte of content is acceptable, so the read stops at the first file that has any.
            TarTrees.Tree found = TarTrees.readTree(tar, mount.baseName(), new TarTrees.Limits(0, 0));
            SortedSet<String> paths = new TreeSet<>(found.directories());
            paths.addAll(found.files().keySet());
            return paths.isEmpty()
                    ? Optional.empty()
                    : Optional.of("`" + mount.absolutePath() + "/" + paths.first() + "`");
        } catch (UnsafeOutputException e) {
            String entry = parent + e.entry().replaceAll("/+$", "");
            return Optional.of(
                    entry.equals(mount.absolutePath()) ? "something other than a directory" : "`" + entry + "`");
        } catch (InterruptedIOException e) {
            throw RuntimeInterrupts.interrupted(attempted, e);
        } catch (IOException e) {
            throw new IOException(attempted + " but reading the archive failed: " + e.getMessage(), e);
        }
    }

    /** The exit code, or empty when the container still runs after {@code nanos}. */
    private Optional<Integer> awaitExit(String id, long nanos) throws IOException, InterruptedException {
        ExitCallback callback = new ExitCallback();
        try {
            String attempted = "Tried to wait for " + subject + " to exit";
            runner.engine(attempted, () -> client.waitContainerCmd(id).exec(callback));
            // Completion also rethrows an error the engine streamed back.
            if (!runner.engine(attempted, () -> callback.awaitCompletion(Math.max(0, nanos), TimeUnit.NANOSECONDS))) {
                return Optional.empty();
            }
            return Optional.of(runner.engine(attempted, callback::exitCode));
        } finally {
            DockerPipelineRunner.closeQuietly(callback);
        }
    }

    private ContainerLog log(String id, int exitCode) throws InterruptedException {
        LogTail tail = new LogTail(settings.maxLogBytes());
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (tail) {
                    tail.append(frame.getPayload());
                }
            }
        };
        String problem = null;
        try {
            client.logContainerCmd(id)
                    .withStdOut(true)
                    .withStdErr(true)
                    .withFollowStream(false)
                    .exec(callback);
            if (!callback.awaitCompletion(AFTER_EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                problem = "reading the log timed out";
            }
        } catch (RuntimeException e) {
            RuntimeInterrupts.throwIfInterrupted(e, "Docker");
            // The log is diagnostic: losing it must not turn a result into an engine error.
            problem = "the log could not be read: " + DockerPipelineRunner.describe(e);
        } finally {
            DockerPipelineRunner.closeQuietly(callback);
        }
        String text;
        synchronized (tail) {
            text = tail.text();
        }
        return new ContainerLog(container.name(), exitCode, DockerPipelineRunner.withLogProblem(text, problem));
    }

    private TarTrees.Tree copyOut(String id, String path, String rootName, Set<String> only)
            throws IOException, InterruptedException, UnsafeOutputException {
        String attempted = "Tried to copy " + path + " out of " + subject;
        InputStream tar;
        try {
            tar = runner.engine(
                    attempted,
                    () -> client.copyArchiveFromContainerCmd(id, path).exec());
        } catch (IOException e) {
            // A pod's emptyDir cannot be removed, only emptied: treat a removed directory
            // as an empty one.
            if (e.getCause() instanceof NotFoundException) {
                return TarTrees.Tree.empty();
            }
            throw e;
        }
        try (tar) {
            return TarTrees.readTree(tar, rootName, only, settings.outputLimits());
        } catch (InterruptedIOException e) {
            throw RuntimeInterrupts.interrupted(attempted, e);
        } catch (IOException e) {
            throw new IOException(attempted + " but reading the archive failed: " + e.getMessage(), e);
        }
    }

    private void remove(String id) throws IOException {
        // Cleanup must happen even when the run was interrupted; the interrupt is kept.
        DockerPipelineRunner.removeKeepingInterrupt(runner, subject, id);
    }

    private long remainingNanos() {
        return deadline - System.nanoTime();
    }

    private String timedOut() {
        return "timed out after " + DockerPipelineRunner.human(invocation.timeout());
    }

    /** Captures the exit code streamed back by a wait request. */
    private static final class ExitCallback extends ResultCallback.Adapter<WaitResponse> {
        private volatile Integer statusCode;

        @Override
        public void onNext(WaitResponse response) {
            statusCode = response.getStatusCode();
        }

        int exitCode() {
            throwFirstError();
            Integer code = statusCode;
            if (code == null) {
                throw new IllegalStateException("the engine ended the wait without an exit code");
            }
            return code;
        }
    }
}
