package dev.kbr.pipeline.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.WaitResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.kbr.model.Container;
import dev.kbr.model.EnvVar;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Volume;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.pipeline.EnvExpansion;
import dev.kbr.pipeline.GoDurations;
import dev.kbr.pipeline.LogTail;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.pipeline.RuntimeInterrupts;
import dev.kbr.pipeline.TarTrees;
import dev.kbr.pipeline.UnsafeOutputException;
import dev.kbr.run.RunOwner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Kratix pipelines on a Docker engine, one fresh container per pipeline container, in order.
 *
 * <p>Before each container starts, one tar is copied into it at {@code /}: {@code
 * /kratix/input/object.yaml} (the invocation's bytes, fresh for every container), {@code
 * /kratix/output} and {@code /kratix/metadata} as the previous container left them (empty for the
 * first), and each pipeline volume the container mounts, at its {@code mountPath}, as the last
 * container that mounted it read-write left it (empty at first). After a zero exit, output,
 * metadata and every read-write mount are copied out and checked with {@link TarTrees} (no links
 * or special files, nothing outside the directory, per-file and per-tree size limits, empty
 * directories kept); the sum of output, metadata and all volumes must stay within the settings'
 * total limit. The container is then force-removed, whatever happened. This mirrors the shared
 * {@code emptyDir} volumes of a Kratix pipeline pod, whose user containers run in order as init
 * containers (Kratix {@code api/v1alpha1/pipeline_factory.go}), without host mounts, so it also
 * works against a remote or rootless engine. Volume content is scratch space: like a Pod's
 * emptyDir it ends with the run and is not part of the {@link PipelineResult}.
 *
 * <p>Because volumes are copies, not mounts:
 *
 * <ul>
 *   <li>a {@code readOnly} mount is copied in owned by root, so a non-root container is refused
 *       writes, but a root container can still change its own copy. Such changes are never copied
 *       back, so later containers do not see them, which is what a read-only mount guarantees to
 *       them;
 *   <li>a container that does not mount a volume does not see it, and the volume keeps its content
 *       for later containers;
 *   <li>missing parents of a mount path are created (owned by root, mode {@code 0755}) and existing
 *       ones are left as the image has them, as with a Kubernetes mount; but content the image
 *       already has at a mount path cannot be hidden, so such a mount fails the pipeline instead of
 *       leaking that content into the volume;
 *   <li>mounts that copies cannot mirror fail the pipeline before any container runs: one
 *       container mounting a volume inside another of its mounts or one volume twice, paths with
 *       {@code ..}, {@code /} or anything under {@code /kratix}.
 * </ul>
 *
 * <p>Containers get the invocation's {@code KRATIX_*} environment followed by their own {@code
 * env}, with {@code $(VAR)} references in env values, {@code command} and {@code args} expanded as
 * the kubelet does ({@link EnvExpansion}). They run with the configured network mode (default
 * {@code none}), unprivileged, and are labelled {@value #MANAGED_LABEL}{@code =true}, {@value
 * #PIPELINE_LABEL}{@code =<pipeline>} and {@value #RUN_LABEL}{@code =<host>:<pid>:<start-millis>}
 * so that the leftovers of a killed run are found and removed by the next run when it connects
 * ({@link #removeLeftovers}). Images are
 * never built; a missing image is pulled only as its {@code imagePullPolicy} allows ({@code
 * Always}; {@code IfNotPresent} or unset when absent; never for {@code Never}).
 *
 * <p>Thread-safe: independent pipelines may run concurrently on one runner.
 */
public final class DockerPipelineRunner implements PipelineRunner {
    /** Label set to {@code true} on every container this runner creates. */
    public static final String MANAGED_LABEL = "dev.kbr.managed";

    /** Label holding the pipeline name on every container this runner creates. */
    public static final String PIPELINE_LABEL = "dev.kbr.pipeline";

    /** Label holding the pipeline container's name on every container this runner creates. */
    public static final String CONTAINER_LABEL = "dev.kbr.container";

    /**
     * Label naming the kbr process that created the container, as {@code
     * <host>:<pid>:<start-millis>} ({@link RunOwner#label()}), so the next run can tell a killed
     * run's leftovers from a live run's containers.
     */
    public static final String RUN_LABEL = "dev.kbr.run";

    // Bounds for engine calls that follow a container's end and so are not covered by the
    // pipeline timeout; a healthy engine answers them in milliseconds.
    private static final Duration AFTER_EXIT_TIMEOUT = Duration.ofSeconds(30);
    // The directories under /kratix that pass from one container to the next.
    private static final Set<String> SHARED_DIRECTORIES = Set.of("output", "metadata");
    private static final Pattern ENGINE_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final DockerClient client;
    private final DockerRunnerSettings settings;
    private final String engine;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Images found usable during this runner's life (one pass), by reference: a pass asks the
    // engine about each image once, not once per container.
    private final ConcurrentMap<String, InspectImageResponse> usableImages = new ConcurrentHashMap<>();

    /**
     * For tests that bring their own client.
     *
     * @param client a docker-java client; closed by {@link #close()}
     * @param settings the settings; only those not about connecting are used
     * @param engine how messages name the engine, e.g. its address
     */
    DockerPipelineRunner(DockerClient client, DockerRunnerSettings settings, String engine) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Connects to the engine named by the settings and checks that it answers.
     *
     * @param settings where the engine is and how to run containers
     * @return a runner owning the connection; close it when done
     * @throws IOException when the address is invalid or the engine does not answer a ping; the
     *     message names the address ({@link InterruptedIOException} when interrupted meanwhile)
     */
    public static DockerPipelineRunner connect(DockerRunnerSettings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        DockerClientConfig config;
        try {
            DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
            settings.dockerHost().ifPresent(builder::withDockerHost);
            config = builder.build();
        } catch (RuntimeException e) {
            throw new IOException(
                    "Tried to configure the Docker client (host "
                            + settings.dockerHost().orElse("from DOCKER_HOST or the default")
                            + ") but the configuration is invalid: " + describe(e),
                    e);
        }
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(30))
                .build();
        DockerPipelineRunner runner = new DockerPipelineRunner(
                DockerClientImpl.getInstance(config, http),
                settings,
                config.getDockerHost().toString());
        try {
            runner.call(
                    "Tried to ping the Docker engine",
                    () -> runner.client.pingCmd().exec());
            runner.removeLeftovers(Instant.now());
        } catch (IOException e) {
            runner.close();
            throw e;
        } catch (InterruptedException e) {
            runner.close();
            throw RuntimeInterrupts.whileConnecting("the Docker engine at " + runner.engine, e);
        }
        return runner;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A missing image that may not or cannot be pulled, a volume mount that copies cannot
     * mirror, a non-zero exit, the pipeline timeout and unsafe output or volume content all give
     * {@link PipelineResult.Failed}; later containers do not run.
     *
     * @throws IOException when the engine fails a request (the message says what was attempted
     *     for which pipeline, container and image, and what the engine answered)
     * @throws IllegalStateException when the runner is closed
     */
    @Override
    public PipelineResult run(PipelineInvocation invocation) throws IOException, InterruptedException {
        Objects.requireNonNull(invocation, "invocation");
        if (closed.get()) {
            throw new IllegalStateException("The Docker pipeline runner is closed");
        }
        long started = System.nanoTime();
        long deadline = started + invocation.timeout().toNanos();
        Pipeline pipeline = invocation.pipeline();
        VolumeMounts.Check check = VolumeMounts.check(pipeline);
        if (check instanceof VolumeMounts.Check.Invalid invalid) {
            return new PipelineResult.Failed(invalid.where(), invalid.reason(), List.of(), since(started));
        }
        List<List<VolumeMounts.Mount>> mounts = ((VolumeMounts.Check.Valid) check).perContainer();
        List<ContainerLog> logs = new ArrayList<>();
        Shared shared = Shared.start(pipeline.volumes());
        for (int i = 0; i < pipeline.containers().size(); i++) {
            Container container = pipeline.containers().get(i);
            Step step = new Step(invocation, container, mounts.get(i), deadline);
            Outcome outcome = step.run(shared);
            if (outcome instanceof Outcome.Stopped stopped) {
                stopped.log().ifPresent(logs::add);
                return new PipelineResult.Failed(container.name(), stopped.reason(), logs, since(started));
            }
            Outcome.Done done = (Outcome.Done) outcome;
            logs.add(done.log());
            shared = done.shared();
        }
        // Volumes are scratch space of the run, as a Pod's emptyDirs die with it.
        return new PipelineResult.Succeeded(
                shared.output().files(), shared.metadata().files(), logs, since(started));
    }

    /**
     * Removes containers that kbr runs killed before they could remove them (SIGKILL, OOM, a lost
     * node): every container with {@link #MANAGED_LABEL} whose {@link #RUN_LABEL} names a process
     * of this host that is gone, or, when the owner is on another host or unknown, that was created
     * more than {@link RunOwner#FOREIGN_LEFTOVER_AGE} ago. Containers of live runs (including concurrent
     * kbr processes on this host) are left alone. Best effort: a container that cannot be removed
     * now is left for a later run.
     *
     * @param now the current time
     * @return the ids of the containers removed
     * @throws InterruptedException when interrupted meanwhile
     */
    List<String> removeLeftovers(Instant now) throws InterruptedException {
        List<com.github.dockerjava.api.model.Container> found;
        try {
            found = call(
                    "Tried to list kbr's containers",
                    () -> client.listContainersCmd()
                            .withShowAll(true)
                            .withLabelFilter(Map.of(MANAGED_LABEL, "true"))
                            .exec());
        } catch (IOException e) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        for (var container : found) {
            Map<String, String> labels = container.getLabels() == null ? Map.of() : container.getLabels();
            Optional<RunOwner> owner = RunOwner.parseLabel(labels.get(RUN_LABEL));
            boolean old = container.getCreated() != null
                    && Instant.ofEpochSecond(container.getCreated())
                            .plus(RunOwner.FOREIGN_LEFTOVER_AGE)
                            .isBefore(now);
            boolean leftover =
                    owner.isPresent() && owner.get().onThisHost() ? owner.get().isDeadOnThisHost() : old;
            if (!leftover) {
                continue;
            }
            try {
                call("Tried to remove leftover container " + container.getId(), () -> {
                    try {
                        return client.removeContainerCmd(container.getId())
                                .withForce(true)
                                .withRemoveVolumes(true)
                                .exec();
                    } catch (NotFoundException e) {
                        return null;
                    }
                });
                removed.add(container.getId());
            } catch (IOException e) {
                // Another run may be removing it at the same time; a later run tries again.
            }
        }
        return removed;
    }

    /** Closes the engine connection; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }

    /**
     * What the containers of one run share, as the previous container left it.
     *
     * @param output {@code /kratix/output}
     * @param metadata {@code /kratix/metadata}
     * @param volumes each pipeline volume's content, by volume name
     */
    record Shared(TarTrees.Tree output, TarTrees.Tree metadata, SortedMap<String, TarTrees.Tree> volumes) {
        Shared {
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(metadata, "metadata");
            volumes = Collections.unmodifiableSortedMap(new TreeMap<>(volumes));
        }

        /** Everything empty, as for a Pod's first container. */
        static Shared start(List<Volume> volumes) {
            SortedMap<String, TarTrees.Tree> empty = new TreeMap<>();
            volumes.forEach(volume -> empty.put(volume.name(), TarTrees.Tree.empty()));
            return new Shared(TarTrees.Tree.empty(), TarTrees.Tree.empty(), empty);
        }

        /** The sum of all file sizes, in bytes. */
        long totalBytes() {
            long total = output.totalBytes() + metadata.totalBytes();
            for (TarTrees.Tree volume : volumes.values()) {
                total += volume.totalBytes();
            }
            return total;
        }
    }

    /** How one container ended. */
    private sealed interface Outcome {
        record Done(ContainerLog log, Shared shared) implements Outcome {}

        record Stopped(String reason, Optional<ContainerLog> log) implements Outcome {}
    }

    /** Whether a container's image can be used. */
    private sealed interface ImageCheck {
        record Usable(InspectImageResponse details) implements ImageCheck {}

        record Unusable(String reason) implements ImageCheck {}
    }

    /** One pipeline container's run: image, create, copy in, start, wait, collect, remove. */
    private final class Step {
        private final PipelineInvocation invocation;
        private final Container container;
        private final List<VolumeMounts.Mount> mounts;
        private final long deadline;
        private final String subject;

        Step(PipelineInvocation invocation, Container container, List<VolumeMounts.Mount> mounts, long deadline) {
            this.invocation = invocation;
            this.container = container;
            this.mounts = mounts;
            this.deadline = deadline;
            this.subject = "container `" + container.name() + "` of pipeline "
                    + invocation.pipeline().name() + " (image " + container.image() + ")";
        }

        Outcome run(Shared shared) throws IOException, InterruptedException {
            if (remainingNanos() <= 0) {
                return new Outcome.Stopped(timedOut() + " before the container started", Optional.empty());
            }
            ImageCheck image = ensureImage();
            if (image instanceof ImageCheck.Unusable unusable) {
                return new Outcome.Stopped(unusable.reason(), Optional.empty());
            }
            ImageUser owner = imageUser(((ImageCheck.Usable) image).details());
            String id = create();
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

        /**
         * Makes sure the image is present, pulling it as its pull policy allows. An image found
         * usable earlier in the pass is not asked about again, except under {@code Always}, which
         * pulls for every container as the kubelet does for every Pod.
         */
        private ImageCheck ensureImage() throws IOException, InterruptedException {
            String policy = container.imagePullPolicy().orElse("IfNotPresent");
            String image = container.image();
            if (!List.of("Always", "IfNotPresent", "Never").contains(policy)) {
                return new ImageCheck.Unusable("imagePullPolicy `" + policy + "` of image " + image
                        + " is not one of Always, IfNotPresent, Never");
            }
            InspectImageResponse known = usableImages.get(image);
            if (known != null && !policy.equals("Always")) {
                return new ImageCheck.Usable(known);
            }
            String buildIt = "build or load it locally (docker build -t " + image + " … or docker load)";
            Optional<InspectImageResponse> inspected = policy.equals("Always") ? Optional.empty() : inspectImage();
            if (inspected.isEmpty() && !policy.equals("Never")) {
                Optional<String> failure = pull();
                if (failure.isPresent()) {
                    return new ImageCheck.Unusable("image " + image + " could not be pulled (" + failure.get() + "); "
                            + buildIt + " and set imagePullPolicy to IfNotPresent or Never");
                }
                inspected = inspectImage();
            }
            if (inspected.isPresent()) {
                usableImages.put(image, inspected.get());
                return new ImageCheck.Usable(inspected.get());
            }
            return new ImageCheck.Unusable("image " + image + " is not present in the Docker engine"
                    + (policy.equals("Never") ? " and its imagePullPolicy is Never" : "") + "; " + buildIt);
        }

        private Optional<InspectImageResponse> inspectImage() throws IOException, InterruptedException {
            try {
                return Optional.of(call(
                        "Tried to inspect the image of " + subject,
                        () -> client.inspectImageCmd(container.image()).exec()));
            } catch (IOException e) {
                if (e.getCause() instanceof NotFoundException) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        /** Pulls the image; a failure (including running out of time) is returned, not thrown. */
        private Optional<String> pull() throws InterruptedException {
            PullImageResultCallback callback = new PullImageResultCallback();
            try {
                client.pullImageCmd(withDefaultTag(container.image())).exec(callback);
                // Also throws the first error the engine streamed back, or one for a pull
                // that ended without success.
                boolean done = callback.awaitCompletion(Math.max(0, remainingNanos()), TimeUnit.NANOSECONDS);
                return done ? Optional.empty() : Optional.of(timedOut() + " while pulling");
            } catch (RuntimeException e) {
                RuntimeInterrupts.throwIfInterrupted(e, "Docker");
                return Optional.of(remainingNanos() <= 0 ? timedOut() + " while pulling" : describe(e));
            } finally {
                closeQuietly(callback);
            }
        }

        private String create() throws IOException, InterruptedException {
            Map<String, String> labels = new TreeMap<>();
            labels.put(MANAGED_LABEL, "true");
            labels.put(PIPELINE_LABEL, invocation.pipeline().name());
            labels.put(CONTAINER_LABEL, container.name());
            labels.put(RUN_LABEL, RunOwner.current().label());
            HostConfig host = HostConfig.newHostConfig()
                    .withNetworkMode(settings.networkMode())
                    .withPrivileged(false);
            Map<String, String> env = EnvExpansion.environment(invocation.env(), container.env());
            List<String> command = EnvExpansion.expandAll(container.command(), env);
            List<String> args = EnvExpansion.expandAll(container.args(), env);
            return call("Tried to create " + subject, () -> {
                        CreateContainerCmd create = client.createContainerCmd(container.image())
                                .withEnv(environment(env))
                                .withLabels(labels)
                                .withHostConfig(host)
                                .withTty(false)
                                .withAttachStdin(false)
                                .withStdinOpen(false);
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
            byte[] tar = inputTar(invocation.objectYaml(), shared, mounts, owner);
            call(
                    (mounts.isEmpty() ? "Tried to copy /kratix into " : "Tried to copy /kratix and volumes into ")
                            + subject,
                    () -> client.copyArchiveToContainerCmd(id)
                            .withRemotePath("/")
                            .withTarInputStream(new ByteArrayInputStream(tar))
                            .exec());
            call("Tried to start " + subject, () -> client.startContainerCmd(id).exec());
            Optional<Integer> exit = awaitExit(id, remainingNanos());
            if (exit.isEmpty()) {
                call("Tried to kill " + subject + " after the pipeline timed out", () -> {
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
            String attempted = "Tried to look at " + mount.absolutePath() + " in " + subject
                    + " before copying volume `" + mount.volume() + "` there";
            InputStream tar;
            try {
                tar = call(
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
                        && describe(engineError).endsWith("not a directory")) {
                    return Optional.of("a file on the way to it");
                }
                throw e;
            }
            String parent =
                    mount.absolutePath().substring(0, mount.absolutePath().lastIndexOf('/') + 1);
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
                call(attempted, () -> client.waitContainerCmd(id).exec(callback));
                // Completion also rethrows an error the engine streamed back.
                if (!call(attempted, () -> callback.awaitCompletion(Math.max(0, nanos), TimeUnit.NANOSECONDS))) {
                    return Optional.empty();
                }
                return Optional.of(call(attempted, callback::exitCode));
            } finally {
                closeQuietly(callback);
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
                problem = "the log could not be read: " + describe(e);
            } finally {
                closeQuietly(callback);
            }
            String text;
            synchronized (tail) {
                text = tail.text();
            }
            if (problem != null) {
                text = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "[kbr: " + problem + "]\n";
            }
            return new ContainerLog(container.name(), exitCode, text);
        }

        private TarTrees.Tree copyOut(String id, String path, String rootName, Set<String> only)
                throws IOException, InterruptedException, UnsafeOutputException {
            String attempted = "Tried to copy " + path + " out of " + subject;
            InputStream tar;
            try {
                tar = call(
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
            boolean interrupted = Thread.interrupted();
            try {
                call("Tried to remove " + subject, () -> {
                    try {
                        return client.removeContainerCmd(id)
                                .withForce(true)
                                .withRemoveVolumes(true)
                                .exec();
                    } catch (NotFoundException e) {
                        return null;
                    }
                });
            } catch (InterruptedException e) {
                interrupted = true;
                InterruptedIOException io = new InterruptedIOException("Interrupted while removing " + subject);
                io.initCause(e);
                throw io;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private long remainingNanos() {
            return deadline - System.nanoTime();
        }

        private String timedOut() {
            return "timed out after " + human(invocation.timeout());
        }
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

    /** A docker-java call; its unchecked exceptions are translated by {@link #call}. */
    private interface EngineCall<T> {
        T call() throws InterruptedException;
    }

    /**
     * Runs a docker-java call, turning its unchecked exceptions into an {@link IOException}
     * ({@code "<attempted> but the Docker engine answered: …"}) or, when the thread was
     * interrupted, an {@link InterruptedException}.
     */
    private <T> T call(String attempted, EngineCall<T> engineCall) throws IOException, InterruptedException {
        try {
            return engineCall.call();
        } catch (DockerException e) {
            RuntimeInterrupts.throwIfInterrupted(e, "Docker");
            throw new IOException(attempted + " but the Docker engine answered: " + describe(e), e);
        } catch (RuntimeException e) {
            RuntimeInterrupts.throwIfInterrupted(e, "Docker");
            throw new IOException(
                    attempted + " but the Docker engine at " + engine + " could not be reached: " + describe(e), e);
        }
    }

    /** The engine's own message where it sent one, else the exception's message. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message != null) {
            Matcher json = ENGINE_MESSAGE.matcher(message);
            if (json.find()) {
                return json.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            if (!message.isBlank()) {
                return message.strip();
            }
        }
        Throwable cause = e.getCause();
        return cause != null && cause != e ? describe(cause) : e.getClass().getSimpleName();
    }

    /**
     * The container environment as Docker takes it: the invocation's variables, then the
     * container's own, each name once, as {@link EnvExpansion#environment} orders and expands
     * them.
     */
    static List<String> environment(Map<String, String> kratix, List<EnvVar> own) {
        return environment(EnvExpansion.environment(kratix, own));
    }

    private static List<String> environment(Map<String, String> env) {
        List<String> result = new ArrayList<>(env.size());
        env.forEach((name, value) -> result.add(name + "=" + value));
        return result;
    }

    /**
     * The single tar, extracted at {@code /}, holding {@code kratix/input}, {@code kratix/output}
     * and {@code kratix/metadata} and each mounted volume at its mount path. Everything is owned
     * by the image's user so that it can change it, except read-only mounts, which are owned by
     * root so that a non-root container is refused writes as on a read-only mount. Ancestors of a
     * mount path get no entries, so that existing ones such as {@code /tmp} keep their owner and
     * mode.
     */
    static byte[] inputTar(byte[] objectYaml, Shared shared, List<VolumeMounts.Mount> mounts, ImageUser owner) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        SortedSet<String> directories = new TreeSet<>(List.of("input", "output", "metadata"));
        files.put("input/object.yaml", objectYaml);
        shared.output().files().forEach((path, content) -> files.put("output/" + path, content));
        shared.metadata().files().forEach((path, content) -> files.put("metadata/" + path, content));
        shared.output().directories().forEach(path -> directories.add("output/" + path));
        shared.metadata().directories().forEach(path -> directories.add("metadata/" + path));
        List<TarTrees.Placement> placements = new ArrayList<>();
        placements.add(
                new TarTrees.Placement("kratix", new TarTrees.Tree(files, directories), owner.uid(), owner.gid()));
        for (VolumeMounts.Mount mount : mounts) {
            TarTrees.Tree content = shared.volumes().get(mount.volume());
            placements.add(
                    mount.readOnly()
                            ? new TarTrees.Placement(mount.path(), content, 0, 0)
                            : new TarTrees.Placement(mount.path(), content, owner.uid(), owner.gid()));
        }
        return TarTrees.write(placements);
    }

    private static ImageUser imageUser(InspectImageResponse image) {
        return image.getConfig() == null
                ? ImageUser.ROOT
                : ImageUser.parse(image.getConfig().getUser());
    }

    /**
     * The reference with {@code :latest} added when it has neither tag nor digest, because the
     * engine pulls every tag of a bare repository name.
     */
    static String withDefaultTag(String image) {
        String last = image.substring(image.lastIndexOf('/') + 1);
        return last.contains(":") || last.contains("@") ? image : image + ":latest";
    }

    /** A duration as Go prints it, briefly ({@link GoDurations#format}). */
    static String human(Duration duration) {
        return GoDurations.format(duration);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing only aborts a finished or abandoned response stream; nothing is lost.
        }
    }
}
