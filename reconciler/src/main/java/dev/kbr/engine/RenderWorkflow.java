package dev.kbr.engine;

import dev.kbr.execute.ConfigMaps;
import dev.kbr.execute.PipelineInvocations;
import dev.kbr.execute.PipelineListener;
import dev.kbr.execute.PipelineServices;
import dev.kbr.execute.PipelineStep;
import dev.kbr.execute.Secrets;
import dev.kbr.execute.WorkflowControl;
import dev.kbr.execute.WorkflowExecutor;
import dev.kbr.execute.WorkflowJob;
import dev.kbr.execute.YamlText;
import dev.kbr.load.PlatformLoader;
import dev.kbr.load.PlatformSource;
import dev.kbr.load.YamlDocument;
import dev.kbr.load.YamlReader;
import dev.kbr.model.Destination;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.pipeline.PipelineMode;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.schedule.Placement;
import dev.kbr.schedule.Scheduler;
import dev.kbr.schedule.WorkloadGroup;
import dev.kbr.validate.PromiseValidator;
import dev.kbr.validate.RequestValidator;
import dev.kbr.validate.SchemaCache;
import dev.kbr.validate.ValidationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code kbr render}: runs one object's configure workflow through the real runner, outside any
 * pass, for Promise authors: the Promise's {@code promise.configure} pipelines, or those of
 * {@code resource.configure} for one resource request. Each pipeline is invoked exactly as a pass
 * invokes it ({@link PipelineInvocations}) and gets a fresh {@code /kratix/output}, as in Kratix;
 * {@code status.yaml} is merged into the object the next pipeline sees. No state store is read or
 * written: the object carries no recorded status, and placement has no sticky Destinations. Its
 * pipelines run as a dry run ({@code KRATIX_DRY_RUN=true}, {@link PipelineMode#DRY_RUN}): what they
 * make is only shown.
 */
public final class RenderWorkflow {
    /** Why the pipelines run, as a pass's report would say. */
    private static final String RENDERED = "kbr render";

    private RenderWorkflow() {}

    /**
     * A resource request file to render.
     *
     * @param name how messages name the file
     * @param bytes its YAML
     */
    public record RequestFile(String name, byte[] bytes) {
        public RequestFile {
            Objects.requireNonNull(name, "name");
            bytes = bytes.clone();
        }
    }

    /**
     * Where one workload group of a pipeline's output would go.
     *
     * @param directory the group's directory in {@code /kratix/output} ({@code .} for the rest)
     * @param files the group's files, relative to {@code /kratix/output}
     * @param destinations the Destinations it would be written to; empty when unscheduled
     */
    public record Group(String directory, List<String> files, List<String> destinations) {
        public Group {
            files = List.copyOf(files);
            destinations = List.copyOf(destinations);
        }
    }

    /**
     * One pipeline of the workflow, once it ran (or could not start).
     *
     * @param number its position in the workflow, from 1
     * @param pipeline its name
     * @param objectYaml {@code /kratix/input/object.yaml} as it got it
     * @param result how it ended; empty when it could not start
     * @param ending whether it succeeded, failed (why) or suspended the workflow (the message of
     *     its {@code workflow-control.yaml})
     * @param groups where its output would go (none when it failed)
     */
    public record Step(
            int number,
            String pipeline,
            byte[] objectYaml,
            Optional<PipelineResult> result,
            Ending ending,
            List<Group> groups) {
        public Step {
            objectYaml = objectYaml.clone();
            java.util.Objects.requireNonNull(ending, "ending");
            groups = List.copyOf(groups);
        }

        @Override
        public byte[] objectYaml() {
            return objectYaml.clone();
        }

        /** Why it failed; empty when it succeeded (suspending is a success). */
        public Optional<String> failure() {
            return ending instanceof Ending.Failed f ? Optional.of(f.reason()) : Optional.empty();
        }

        /** The message it suspended the workflow with; empty when it did not. */
        public Optional<String> suspended() {
            return ending instanceof Ending.Suspended s ? Optional.of(s.message()) : Optional.empty();
        }
    }

    /** How a rendered pipeline ended. */
    public sealed interface Ending permits Ending.Succeeded, Ending.Failed, Ending.Suspended {
        /** It succeeded and the workflow goes on. */
        record Succeeded() implements Ending {}

        /**
         * It failed, or could not start.
         *
         * @param reason why
         */
        record Failed(String reason) implements Ending {}

        /**
         * It succeeded and its {@code workflow-control.yaml} stopped the workflow.
         *
         * @param message the message, with the retry delay when one was given
         */
        record Suspended(String message) implements Ending {}
    }

    /** Hears each step as soon as it is done (so what ran so far is kept on a later failure). */
    @FunctionalInterface
    public interface StepSink {
        /**
         * @throws IOException when the step cannot be written
         */
        void accept(Step step) throws IOException;
    }

    /**
     * What was rendered.
     *
     * @param object how the object is named, e.g. {@code Promise redis} or {@code
     *     redis/default/example-redis}
     * @param workflow {@code promise.configure} or {@code resource.configure}
     * @param steps the pipelines that ran, in order
     */
    public record Result(String object, String workflow, List<Step> steps) {
        public Result {
            steps = List.copyOf(steps);
        }

        /** True when a pipeline failed (later ones did not run). */
        public boolean failed() {
            return steps.stream().anyMatch(s -> s.failure().isPresent());
        }
    }

    /**
     * Renders the workflow.
     *
     * @param platform the platform (Promises and Destinations)
     * @param promiseName the Promise to render
     * @param request a request of that Promise, or empty to render the Promise's own workflow
     * @param runner runs the pipelines
     * @param secrets where container Secrets come from
     * @param timeout longest a pipeline may run
     * @param sink hears each step when it is done
     * @throws IllegalArgumentException when the Promise is unknown or invalid, or the request is
     *     not a valid request of it; the message names the file and what to fix
     * @return the steps; a pipeline that fails, or that the runtime cannot start (a missing Secret,
     *     an unreachable engine), is a failed step, as in a pass
     * @throws IOException when the platform cannot be read or the sink fails
     * @throws InterruptedException when interrupted while a pipeline runs
     */
    public static Result run(
            PlatformSource platform,
            String promiseName,
            Optional<RequestFile> request,
            PipelineRunner runner,
            Secrets secrets,
            Duration timeout,
            StepSink sink)
            throws IOException, InterruptedException {
        PlatformLoader.Result read = platform.load();
        Platform loaded = read.platform();
        List<Diagnostic> loadErrors =
                read.diagnostics().stream().filter(Diagnostic::isError).toList();
        Promise promise = loaded.promise(promiseName)
                .orElseThrow(() -> new IllegalArgumentException("--promise " + promiseName + ": the platform "
                        + platform.origin() + " has no such Promise; known: "
                        + loaded.promises().stream().map(Promise::name).sorted().toList()
                        + (loadErrors.isEmpty()
                                ? ""
                                : "; some files did not load, fix them first:\n  "
                                        + String.join(
                                                "\n  ",
                                                loadErrors.stream()
                                                        .map(Diagnostic::toString)
                                                        .toList()))));
        SchemaCache schemas = new SchemaCache();
        List<Diagnostic> promiseErrors = new PromiseValidator(schemas)
                .validate(promise).stream().filter(Diagnostic::isError).toList();
        if (!promiseErrors.isEmpty()) {
            throw new IllegalArgumentException("Promise " + promiseName + " has errors; fix them first:\n  "
                    + String.join(
                            "\n  ",
                            promiseErrors.stream().map(Diagnostic::toString).toList()));
        }
        List<Destination> destinations = loaded.destinations();
        if (request.isEmpty()) {
            WorkflowJob job = new WorkflowJob(promise, ObjectKey.promise(promise.name()), promise.document(), RENDERED);
            return configure(job, destinations, services(runner, secrets, read, timeout), sink);
        }
        ResourceRequest parsed = request(loaded, promise, request.get());
        ValidationResult validated =
                new RequestValidator(schemas).validate(parsed, promise.api().orElseThrow());
        List<Diagnostic> errors =
                validated.diagnostics().stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("resource request "
                    + request.get().name() + " is invalid:\n  "
                    + String.join(
                            "\n  ", errors.stream().map(Diagnostic::toString).toList()));
        }
        WorkflowJob job = new WorkflowJob(
                promise,
                ObjectKey.request(promise.name(), parsed.namespace(), parsed.name()),
                validated.object(),
                RENDERED);
        return configure(job, destinations, services(runner, secrets, read, timeout), sink);
    }

    private static ResourceRequest request(Platform platform, Promise promise, RequestFile file) {
        YamlReader.Result read = YamlReader.read(file.name(), file.bytes());
        if (!read.diagnostics().isEmpty()) {
            throw new IllegalArgumentException(read.diagnostics().get(0).toString());
        }
        if (read.documents().size() != 1) {
            throw new IllegalArgumentException("--request " + file.name() + " holds "
                    + read.documents().size() + " YAML documents; give a file with exactly one resource request");
        }
        YamlDocument doc = read.documents().get(0);
        String served = promise.api()
                .map(a -> "kind " + a.gvk().kind() + ", apiVersion " + a.gvk().apiVersion())
                .orElse("no API");
        if (promise.api().isEmpty()) {
            throw new IllegalArgumentException("--request " + file.name() + ": Promise " + promise.name()
                    + " has no spec.api, so it takes no resource requests; leave out --request");
        }
        String apiVersion = doc.body().path("apiVersion").asText("");
        String kind = doc.body().path("kind").asText("");
        List<Diagnostic> diagnostics = new ArrayList<>();
        Optional<ResourceRequest> mapped = PlatformLoader.asRequest(platform, doc, diagnostics);
        if (mapped.isEmpty() && !diagnostics.isEmpty()) {
            throw new IllegalArgumentException(String.join(
                    "\n", diagnostics.stream().map(Diagnostic::toString).toList()));
        }
        if (mapped.isEmpty() || !mapped.get().promiseName().equals(promise.name())) {
            String whose = mapped.map(r -> "a request of Promise " + r.promiseName())
                    .orElse("served by no Promise of the platform");
            throw new IllegalArgumentException("--request " + file.name() + " (kind " + kind + ", apiVersion "
                    + apiVersion + ") is " + whose + ", not of Promise " + promise.name() + " (" + served
                    + "); pass the matching --promise or another file");
        }
        return mapped.get();
    }

    /** As a pass has them, without the platform API; ConfigMaps from the platform repository. */
    private static PipelineServices services(
            PipelineRunner runner, Secrets secrets, PlatformLoader.Result read, Duration timeout) {
        return new PipelineServices(
                runner, secrets, ConfigMaps.of(read.configMaps()), timeout, Optional.empty(), PipelineMode.DRY_RUN);
    }

    private static Result configure(
            WorkflowJob job, List<Destination> destinations, PipelineServices services, StepSink sink)
            throws IOException, InterruptedException {
        WorkflowExecutor executor = new WorkflowExecutor(services, PipelineListener.NONE, Instant.now(), Map.of());
        List<Step> steps = new ArrayList<>();
        try {
            executor.configure(job, step -> {
                Step rendered = step(steps.size() + 1, step, destinations);
                steps.add(rendered);
                try {
                    sink.accept(rendered);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Result(job.displayName(), job.type().value() + ".configure", steps);
    }

    /** Where each workload group of a step's Work would go, scheduled as a pass schedules it. */
    private static Step step(int number, PipelineStep step, List<Destination> destinations) {
        List<Group> placed = new ArrayList<>();
        if (step.work().isPresent()) {
            for (Placement placement : Scheduler.place(step.work().get(), destinations, Map.of())) {
                WorkloadGroup group = placement.group();
                placed.add(
                        new Group(group.directory(), List.copyOf(group.files().keySet()), placement.destinations()));
            }
        }
        WorkflowControl control = step.control();
        Ending ending;
        if (step.failure().isPresent()) {
            ending = new Ending.Failed(step.failure().get());
        } else if (control.stops()) {
            ending = new Ending.Suspended((control.message().isEmpty() ? "suspended" : control.message())
                    + control.retryAfter().map(d -> " (retry after " + d + ")").orElse(""));
        } else {
            ending = new Ending.Succeeded();
        }
        return new Step(number, step.pipeline(), YamlText.write(step.input()), step.result(), ending, placed);
    }
}
