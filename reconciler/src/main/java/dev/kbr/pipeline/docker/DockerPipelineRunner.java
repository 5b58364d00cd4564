package dev.kbr.pipeline.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.kbr.model.Container;
import dev.kbr.model.EnvVar;
import dev.kbr.model.Pipeline;
import dev.kbr.model.PipelineSpec;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.pipeline.EnvExpansion;
import dev.kbr.pipeline.GoDurations;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.RuntimeConnection;
import dev.kbr.pipeline.TarTrees;
import dev.kbr.run.RunOwner;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Each container's {@code resources} and {@code securityContext} are read with {@link
 * PipelineSpec}, as the Kubernetes runner reads them, and applied as {@link DockerContainerSpec}
 * describes (CPU and memory limits and reservations, user and group, {@code runAsNonRoot}, a
 * read-only root filesystem, {@code no-new-privileges}, capabilities). A pipeline with a field
 * that neither runner honours fails before any container runs, with the same message as on
 * Kubernetes, naming the file, line and field.
 *
 * <p>Thread-safe: independent pipelines may run concurrently on one runner.
 */
public final class DockerPipelineRunner extends RuntimeConnection {
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

    // Limits no CPU: the most a container spec can ask for.
    private static final int MAX_CPUS = 1_000_000;
    private static final Pattern ENGINE_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final DockerClient client;
    private final DockerRunnerSettings settings;
    private final String engine;
    private final DockerImages images;
    private final AtomicInteger engineCpus = new AtomicInteger();

    /**
     * For tests that bring their own client.
     *
     * @param client a docker-java client; closed by {@link #close()}
     * @param settings the settings; only those not about connecting are used
     * @param engine how messages name the engine, e.g. its address
     */
    DockerPipelineRunner(DockerClient client, DockerRunnerSettings settings, String engine) {
        super("Docker");
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.images = new DockerImages(this);
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
        return prepared(runner, r -> {
            r.call("Tried to ping the Docker engine", () -> r.client.pingCmd().exec());
            r.removeLeftovers(Instant.now());
        });
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
        requireOpen();
        long started = System.nanoTime();
        long deadline = started + invocation.timeout().toNanos();
        Pipeline pipeline = invocation.pipeline();
        // Checked first, as the Kubernetes runner does, so both report the same problem first.
        PipelineSpec spec = PipelineSpec.read(pipeline);
        Optional<PipelineResult> unhonoured = unhonoured(spec, started);
        if (unhonoured.isPresent()) {
            return unhonoured.get();
        }
        VolumeMounts.Check check = VolumeMounts.check(pipeline);
        if (check instanceof VolumeMounts.Check.Invalid invalid) {
            return new PipelineResult.Failed(invalid.where(), invalid.reason(), List.of(), since(started));
        }
        List<List<VolumeMounts.Mount>> mounts = ((VolumeMounts.Check.Valid) check).perContainer();
        List<ContainerLog> logs = new ArrayList<>();
        Shared shared = Shared.start(pipeline.volumes());
        if (invocation.platformAccess().isPresent()) {
            shared = shared.withVolume(
                    VolumeMounts.SERVICE_ACCOUNT_VOLUME,
                    new TarTrees.Tree(invocation.platformAccess().get().serviceAccountFiles(), new TreeSet<>()));
            mounts = mounts.stream().map(VolumeMounts::withServiceAccount).toList();
        }
        for (int i = 0; i < pipeline.containers().size(); i++) {
            Container container = pipeline.containers().get(i);
            ContainerStep step =
                    new ContainerStep(this, invocation, container, spec.of(container.name()), mounts.get(i), deadline);
            ContainerStep.Outcome outcome = step.run(shared);
            if (outcome instanceof ContainerStep.Outcome.Stopped stopped) {
                stopped.log().ifPresent(logs::add);
                return new PipelineResult.Failed(container.name(), stopped.reason(), logs, since(started));
            }
            ContainerStep.Outcome.Done done = (ContainerStep.Outcome.Done) outcome;
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
                removeContainer("Tried to remove leftover container " + container.getId(), container.getId());
                removed.add(container.getId());
            } catch (IOException e) {
                // Another run may be removing it at the same time; a later run tries again.
            }
        }
        return removed;
    }

    /** Force-removes a container with its anonymous volumes; one that is already gone is fine. */
    void removeContainer(String attempted, String id) throws IOException, InterruptedException {
        call(attempted, () -> {
            try {
                return client.removeContainerCmd(id)
                        .withForce(true)
                        .withRemoveVolumes(true)
                        .exec();
            } catch (NotFoundException e) {
                return null;
            }
        });
    }

    @Override
    protected String address() {
        return "the Docker engine at " + engine;
    }

    @Override
    protected void closeClient() throws IOException {
        client.close();
    }

    /**
     * {@code "<attempted> but the Docker engine answered: …"} for an engine error, {@code
     * "<attempted> but the Docker engine at … could not be reached: …"} for anything else.
     */
    @Override
    protected IOException failure(String attempted, RuntimeException e) {
        if (e instanceof DockerException) {
            return new IOException(attempted + " but the Docker engine answered: " + describe(e), e);
        }
        return new IOException(
                attempted + " but the Docker engine at " + engine + " could not be reached: " + describe(e), e);
    }

    /** Removes a container even after an interrupt, which is kept. */
    static void removeKeepingInterrupt(DockerPipelineRunner runner, String subject, String id) throws IOException {
        cleanUp("removing", subject, () -> runner.removeContainer("Tried to remove " + subject, id));
    }

    /** The log with {@code "[kbr: <problem>]"} appended when there was one. */
    static String withLogProblem(String log, String problem) {
        return withProblem(log, problem);
    }

    /** {@link RuntimeConnection#call} for the rest of this package. */
    <T> T engine(String attempted, LibraryCall<T> engineCall) throws IOException, InterruptedException {
        return call(attempted, engineCall);
    }

    /**
     * The engine's CPU count, asked once: Docker refuses a CPU limit above it.
     *
     * @throws IOException when the engine does not answer
     */
    int engineCpus() throws IOException, InterruptedException {
        int known = engineCpus.get();
        if (known == 0) {
            Integer cpus = call(
                    "Tried to read the Docker engine's CPU count",
                    () -> client.infoCmd().exec().getNCPU());
            known = cpus == null || cpus <= 0 ? MAX_CPUS : cpus;
            engineCpus.set(known);
        }
        return known;
    }

    DockerClient client() {
        return client;
    }

    DockerRunnerSettings settings() {
        return settings;
    }

    DockerImages images() {
        return images;
    }

    /** The engine's own message where it sent one, else the exception's message. */
    static String describe(Throwable e) {
        return describe(e, DockerPipelineRunner::engineMessage);
    }

    private static Optional<String> engineMessage(Throwable e) {
        Matcher json = e.getMessage() == null ? null : ENGINE_MESSAGE.matcher(e.getMessage());
        return json != null && json.find()
                ? Optional.of(json.group(1).replace("\\\"", "\"").replace("\\\\", "\\"))
                : Optional.empty();
    }

    /**
     * The container environment as Docker takes it: the invocation's variables, then the
     * container's own, each name once, as {@link EnvExpansion#environment} orders and expands
     * them.
     */
    static List<String> environment(Map<String, String> kratix, List<EnvVar> own) {
        return environment(EnvExpansion.environment(kratix, own));
    }

    static List<String> environment(Map<String, String> env) {
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
        List<TarTrees.Placement> placements = new ArrayList<>();
        placements.add(new TarTrees.Placement("kratix", kratixTree(objectYaml, shared), owner.uid(), owner.gid()));
        for (VolumeMounts.Mount mount : mounts) {
            TarTrees.Tree content = shared.volumes().get(mount.volume());
            placements.add(
                    mount.readOnly()
                            ? new TarTrees.Placement(mount.path(), content, 0, 0)
                            : new TarTrees.Placement(mount.path(), content, owner.uid(), owner.gid()));
        }
        return TarTrees.write(placements);
    }

    /**
     * The same content as {@link #inputTar}, one tar per volume of a container whose root
     * filesystem is read-only, by the absolute path to extract it at: {@code /kratix}, then each
     * mount path. The engine extracts into a read-only container only inside its volumes.
     */
    static SortedMap<String, byte[]> inputTarsPerVolume(
            byte[] objectYaml, Shared shared, List<VolumeMounts.Mount> mounts, ImageUser owner) {
        SortedMap<String, byte[]> tars = new TreeMap<>();
        TarTrees.Tree kratix = kratixTree(objectYaml, shared);
        tars.put("/kratix", TarTrees.write(kratix.files(), kratix.directories(), owner.uid(), owner.gid()));
        for (VolumeMounts.Mount mount : mounts) {
            TarTrees.Tree content = shared.volumes().get(mount.volume());
            tars.put(
                    mount.absolutePath(),
                    mount.readOnly()
                            ? TarTrees.write(content.files(), content.directories())
                            : TarTrees.write(content.files(), content.directories(), owner.uid(), owner.gid()));
        }
        return tars;
    }

    /** {@code input/object.yaml}, {@code output} and {@code metadata}, as {@code /kratix} holds them. */
    private static TarTrees.Tree kratixTree(byte[] objectYaml, Shared shared) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        SortedSet<String> directories = new TreeSet<>(List.of("input", "output", "metadata"));
        files.put("input/object.yaml", objectYaml);
        shared.output().files().forEach((path, content) -> files.put("output/" + path, content));
        shared.metadata().files().forEach((path, content) -> files.put("metadata/" + path, content));
        shared.output().directories().forEach(path -> directories.add("output/" + path));
        shared.metadata().directories().forEach(path -> directories.add("metadata/" + path));
        return new TarTrees.Tree(files, directories);
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

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing only aborts a finished or abandoned response stream; nothing is lost.
        }
    }
}
