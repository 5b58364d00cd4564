package dev.kbr.pipeline;

import dev.kbr.model.Container;
import dev.kbr.model.Pipeline;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A {@link PipelineRunner} that runs every container from its mirrored image ({@code
 * --image-mirror}) and otherwise leaves the run to the runner it wraps.
 *
 * <p>The rewrite happens only here, when a pipeline runs: the Promise, its hash and so the
 * workflow cache keep the image references as written, so changing or dropping a mirror does not
 * re-run any workflow (a mirror is meant to serve the same images).
 */
public final class MirroredImages implements PipelineRunner {
    private final PipelineRunner runner;
    private final ImageMirrors mirrors;

    /**
     * @param runner the runner that runs the rewritten pipelines; closed with this one
     * @param mirrors the rewrites
     */
    public MirroredImages(PipelineRunner runner, ImageMirrors mirrors) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.mirrors = Objects.requireNonNull(mirrors, "mirrors");
    }

    /**
     * {@code runner} itself when there is no rewrite, else {@code runner} wrapped.
     *
     * @param runner the runner
     * @param mirrors the rewrites
     */
    public static PipelineRunner wrap(PipelineRunner runner, ImageMirrors mirrors) {
        return mirrors.isEmpty() ? runner : new MirroredImages(runner, mirrors);
    }

    @Override
    public PipelineResult run(PipelineInvocation invocation) throws IOException, InterruptedException {
        return runner.run(mirrored(invocation, mirrors));
    }

    /** The invocation with every container's image rewritten. */
    static PipelineInvocation mirrored(PipelineInvocation invocation, ImageMirrors mirrors) {
        Pipeline pipeline = invocation.pipeline();
        List<Container> containers = pipeline.containers().stream()
                .map(c -> new Container(
                        c.name(),
                        mirrors.rewrite(c.image()),
                        c.command(),
                        c.args(),
                        c.env(),
                        c.envFrom(),
                        c.volumeMounts(),
                        c.imagePullPolicy()))
                .toList();
        return new PipelineInvocation(
                invocation.description(),
                pipeline.withContainers(containers),
                invocation.objectYaml(),
                invocation.environment(),
                invocation.timeout(),
                invocation.platformAccess());
    }

    @Override
    public void awaitReady() throws IOException, InterruptedException {
        runner.awaitReady();
    }

    @Override
    public void close() throws IOException {
        runner.close();
    }
}
