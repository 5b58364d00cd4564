package dev.kbr.execute;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Pipeline;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkflowAction;
import dev.kbr.model.WorkflowType;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PlatformAccess;
import dev.kbr.plan.Canonical;
import dev.kbr.platformapi.ApiChange;
import dev.kbr.platformapi.ApiSession;
import dev.kbr.platformapi.ApiWrites;
import dev.kbr.report.Notice;
import dev.kbr.report.PipelineRun;
import dev.kbr.schedule.Work;
import dev.kbr.schedule.WorkloadGroups;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs an object's workflow through the pipeline runtime: the pipelines of its configure
 * workflow in order, or the first pipeline of its delete workflow. The one place that turns a
 * pipeline's result into a Work, a status and a workflow outcome, for both a pass and {@code kbr
 * render}.
 *
 * <p>Each call works only on its arguments and returns everything it produced as a value (its
 * runs, its notices, the attempts it made), so calls for different objects may run on different
 * threads at once without sharing anything but the runner and the listener.
 *
 * <p>Mirrors Kratix's pipeline handling: each configure pipeline's output is its own Work
 * (KRATIX.md §2.5), {@code status.yaml} is merged into the object the next pipeline sees, {@code
 * workflow-control.yaml} can suspend the workflow, and bad metadata fails the pipeline as
 * Kratix's work-writer does; a delete workflow runs only its first pipeline and ignores its output
 * (§2.7).
 */
public final class WorkflowExecutor {
    private static final WorkflowControl CARRY_ON = WorkflowControl.parse(NullNode.getInstance());

    private final PipelineServices services;
    private final PipelineListener listener;
    private final Instant now;
    private final Map<String, PipelineAttempt> prior;

    /**
     * @param services the runtime, Secrets, timeout and platform API pipelines use
     * @param listener hears each pipeline start and end (from the calling thread)
     * @param now the instant conditions are stamped with when they change
     * @param prior attempts of earlier tries of this pass, by {@link #attemptKey}: reused instead of
     *     running a pipeline again (empty outside a pass, or on its first try)
     */
    public WorkflowExecutor(
            PipelineServices services, PipelineListener listener, Instant now, Map<String, PipelineAttempt> prior) {
        this.services = services;
        this.listener = listener;
        this.now = now;
        this.prior = Map.copyOf(prior);
    }

    /**
     * The key under which an attempt of {@code description} on {@code object} is kept for later
     * attempts of a pass: the object without its status, which is kbr's own bookkeeping and may
     * differ between attempts.
     */
    public static String attemptKey(String description, ObjectNode object) {
        ObjectNode withoutStatus = object.deepCopy();
        withoutStatus.remove("status");
        return description + "\n" + Canonical.sha256(withoutStatus);
    }

    /**
     * Runs the job's configure workflow: each pipeline in order, stopping at the first that fails
     * or suspends the workflow.
     *
     * @param job the object and why it runs
     * @param steps hears each step as soon as it is done
     * @return how it ended; a failing pipeline is an outcome, never an exception
     * @throws InterruptedException when interrupted while a pipeline runs
     */
    public ConfigureRun configure(WorkflowJob job, Consumer<PipelineStep> steps) throws InterruptedException {
        ObjectNode object = job.object();
        KratixStatus.started(object);
        List<Pipeline> pipelines = job.promise().workflows().of(job.type(), WorkflowAction.CONFIGURE);
        List<String> names = pipelines.stream().map(Pipeline::name).toList();
        Collected collected = new Collected();
        List<PipelineStep> done = new ArrayList<>();
        List<WorkId> kept = new ArrayList<>();
        WorkflowOutcome outcome = new WorkflowOutcome.Completed(names, names.size());
        for (int i = 0; i < pipelines.size(); i++) {
            Pipeline pipeline = pipelines.get(i);
            String description = job.displayName() + " " + job.type().value() + ".configure " + pipeline.name();
            PipelineStep step = configureStep(job, pipeline, object, description, collected);
            done.add(step);
            steps.accept(step);
            if (step.failure().isPresent() || step.control().stops()) {
                pipelines.subList(i, pipelines.size()).forEach(p -> kept.add(job.workId(p.name())));
                outcome = stopped(job.displayName(), names, i, step, collected);
                break;
            }
        }
        KratixStatus.configured(object, job.type() == WorkflowType.PROMISE, outcome, now);
        return new ConfigureRun(object, outcome, done, kept, collected.log());
    }

    /**
     * Runs the first pipeline of the job's delete workflow on the recorded object.
     *
     * @param job the gone object as kbr recorded it; its Promise must have a delete pipeline
     * @return how it ended
     * @throws IllegalArgumentException when the Promise has no delete pipeline for the job's type
     * @throws InterruptedException when interrupted while the pipeline runs
     */
    public DeleteRun delete(WorkflowJob job) throws InterruptedException {
        List<Pipeline> deletes = job.promise().workflows().of(job.type(), WorkflowAction.DELETE);
        if (deletes.isEmpty()) {
            throw new IllegalArgumentException(
                    job.displayName() + " has no " + job.type().value() + ".delete pipeline");
        }
        Collected collected = new Collected();
        if (deletes.size() > 1) {
            collected.notice(
                    Notice.Topic.WORKFLOW,
                    job.displayName(),
                    job.displayName() + ": only the first " + job.type().value()
                            + ".delete pipeline runs, as in Kratix; the others are ignored");
        }
        Pipeline pipeline = deletes.get(0);
        String description = job.displayName() + " " + job.type().value() + ".delete " + pipeline.name();
        ObjectNode object = job.object();
        PipelineAttempt attempt = attempt(job, WorkflowAction.DELETE, pipeline, object, description, collected);
        Optional<String> failure = failure(attempt);
        WorkflowControl control = CARRY_ON;
        if (failure.isEmpty()) {
            try {
                // The delete pipeline's output is ignored, as in Kratix; its metadata is not.
                control = applyMetadata(job, object, succeeded(attempt), description, collected);
            } catch (IllegalArgumentException e) {
                failure = Optional.of(e.getMessage());
            }
        }
        collected.report(description, job.why(), attempt, failure);
        List<String> names = List.of(pipeline.name());
        WorkflowOutcome outcome;
        if (failure.isPresent()) {
            outcome = new WorkflowOutcome.Failed(names, 0, pipeline.name());
        } else if (control.stops()) {
            outcome = new WorkflowOutcome.Suspended(names, 0, pipeline.name(), control.message(), control.retryAfter());
        } else {
            outcome = new WorkflowOutcome.Completed(names, 1);
        }
        if (!(outcome instanceof WorkflowOutcome.Completed)) {
            KratixStatus.deleteNotCompleted(object, outcome, now);
        }
        return new DeleteRun(object, outcome, collected.log());
    }

    /** What one call produced besides its result; local to the call. */
    private final class Collected {
        final List<PipelineRun> runs = new ArrayList<>();
        final List<Notice> notices = new ArrayList<>();
        final Map<String, PipelineAttempt> attempted = new TreeMap<>();
        /** Keys of attempts reused from earlier tries: reported by the try that ran them. */
        final List<String> reused = new ArrayList<>();

        final List<ApiChange> apiChanges = new ArrayList<>();

        void notice(Notice.Topic topic, String subject, String message) {
            notices.add(new Notice(topic, subject, message));
        }

        /**
         * Takes in what a run did through the platform API: its status writes become the object's
         * status (what it published stands, as in a cluster, whether the pipeline then succeeds or
         * not; {@code status.yaml} is merged after it), its request changes are kept for the pass,
         * and each refused call is a notice.
         */
        void apiWritten(String description, ApiWrites writes, ObjectNode object) {
            writes.status().ifPresent(status -> object.set("status", status.deepCopy()));
            apiChanges.addAll(writes.changes());
            for (String refused : writes.refused()) {
                notice(Notice.Topic.PLATFORM_API, description, description + ": the platform API refused " + refused);
            }
        }

        WorkflowLog log() {
            return new WorkflowLog(runs, notices, attempted, apiChanges);
        }

        void report(String description, String why, PipelineAttempt attempt, Optional<String> failure) {
            if (reused.contains(description)) {
                return;
            }
            Duration duration = attempt.result().map(PipelineResult::duration).orElse(Duration.ZERO);
            PipelineRun run = new PipelineRun(
                    description,
                    why,
                    failure.isEmpty(),
                    failure.orElse(""),
                    duration,
                    attempt.result().map(PipelineResult::logs).orElse(List.of()));
            runs.add(run);
            listener.pipelineFinished(run);
        }
    }

    private PipelineStep configureStep(
            WorkflowJob job, Pipeline pipeline, ObjectNode object, String description, Collected collected)
            throws InterruptedException {
        ObjectNode input = object.deepCopy();
        PipelineAttempt attempt = attempt(job, WorkflowAction.CONFIGURE, pipeline, object, description, collected);
        Optional<String> failure = failure(attempt);
        Optional<Work> work = Optional.empty();
        WorkflowControl control = CARRY_ON;
        if (failure.isEmpty()) {
            PipelineResult.Succeeded result = succeeded(attempt);
            try {
                control = applyMetadata(job, object, result, description, collected);
                var selectors =
                        PipelineMetadata.destinationSelectors(result.metadata().get("destination-selectors.yaml"));
                work = Optional.of(new Work(
                        job.workId(pipeline.name()),
                        WorkloadGroups.build(
                                result.output(), selectors, job.promise().destinationSelectors(), job.type())));
            } catch (IllegalArgumentException e) {
                // Kratix's work-writer fails the pipeline on bad metadata; so do we.
                failure = Optional.of(e.getMessage());
                control = CARRY_ON;
            }
        }
        collected.report(description, job.why(), attempt, failure);
        return new PipelineStep(pipeline.name(), input, attempt.result(), failure, work, control);
    }

    /** Runs one pipeline, or reuses an earlier try's attempt at it. */
    private PipelineAttempt attempt(
            WorkflowJob job,
            WorkflowAction action,
            Pipeline pipeline,
            ObjectNode object,
            String description,
            Collected collected)
            throws InterruptedException {
        String key = attemptKey(description, object);
        PipelineAttempt earlier = prior.get(key);
        if (earlier != null) {
            collected.reused.add(description);
            collected.apiWritten(description, earlier.apiWrites(), object);
            return earlier;
        }
        listener.pipelineStarted(description);
        PipelineAttempt attempt;
        try {
            PipelineInvocation invocation = PipelineInvocations.of(
                    job.promise(),
                    job.type(),
                    action,
                    pipeline,
                    object,
                    job.name(),
                    job.namespace(),
                    description,
                    services);
            attempt = run(
                    invocation,
                    services.platformApi()
                            .map(api -> api.open(PipelinePermissions.of(job, pipeline, description, object))));
        } catch (IOException | IllegalArgumentException e) {
            attempt = PipelineAttempt.notStarted(e.getMessage());
        }
        collected.attempted.put(key, attempt);
        collected.apiWritten(description, attempt.apiWrites(), object);
        return attempt;
    }

    /** Runs the invocation, with the session's access when the platform API is on. */
    private PipelineAttempt run(PipelineInvocation invocation, Optional<ApiSession> session)
            throws IOException, InterruptedException {
        if (session.isEmpty()) {
            return PipelineAttempt.ran(
                    SecretRedaction.redacting(services.runner().run(invocation), invocation.pipeline()));
        }
        ApiSession open = session.get();
        PipelineResult result;
        try {
            result = services.runner()
                    .run(invocation.withPlatformAccess(new PlatformAccess(
                            open.host(), open.port(), open.token(), open.caCertificatePem(), open.namespace())));
        } finally {
            // Ends the token's life with the run, whatever happened to it.
            open.finish();
        }
        return PipelineAttempt.ran(
                SecretRedaction.redacting(result, invocation.pipeline())
                        .redacting(open.token(), "<platform API token>"),
                open.finish());
    }

    private static Optional<String> failure(PipelineAttempt attempt) {
        if (attempt.notStarted().isPresent()) {
            return attempt.notStarted();
        }
        if (attempt.result().orElseThrow() instanceof PipelineResult.Failed failed) {
            return Optional.of("container " + failed.container() + " " + failed.reason());
        }
        return Optional.empty();
    }

    private static PipelineResult.Succeeded succeeded(PipelineAttempt attempt) {
        return (PipelineResult.Succeeded) attempt.result().orElseThrow();
    }

    /** {@link PipelineMetadata#applyTo}, each dropped Promise status key a notice. */
    private static WorkflowControl applyMetadata(
            WorkflowJob job,
            ObjectNode object,
            PipelineResult.Succeeded result,
            String description,
            Collected collected) {
        return PipelineMetadata.applyTo(
                job.type(),
                object,
                result.metadata(),
                key -> collected.notice(
                        Notice.Topic.WORKFLOW,
                        description,
                        description + ": status.yaml key \"" + key
                                + "\" dropped; a Promise's status keeps only message (as in Kratix)"));
    }

    private static WorkflowOutcome stopped(
            String displayName, List<String> names, int index, PipelineStep step, Collected collected) {
        String pipeline = step.pipeline();
        if (step.failure().isPresent()) {
            collected.notice(
                    Notice.Topic.KEPT,
                    displayName,
                    displayName + ": pipeline " + pipeline
                            + " failed; outputs of it and later pipelines are kept from the last successful pass");
            return new WorkflowOutcome.Failed(names, index, pipeline);
        }
        WorkflowControl control = step.control();
        collected.notice(
                Notice.Topic.WORKFLOW,
                displayName,
                displayName + ": pipeline " + pipeline + " suspended the workflow"
                        + control.retryAfter()
                                .map(d -> " (retry after " + d + ")")
                                .orElse("")
                        + (control.message().isEmpty() ? "" : ": " + control.message())
                        + "; previous outputs are kept and it is pending");
        return new WorkflowOutcome.Suspended(names, index, pipeline, control.message(), control.retryAfter());
    }
}
