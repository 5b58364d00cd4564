package dev.kbr.engine;

import dev.kbr.execute.WorkflowControl;
import dev.kbr.load.PlatformLoader;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.plan.PassPlan;
import dev.kbr.validate.PromiseValidator;
import dev.kbr.validate.RequestValidator;
import dev.kbr.validate.SchemaCache;
import dev.kbr.validate.ValidationResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The pass's plan phase: validates every Promise, and every request of a valid Promise against
 * its API (requests on all of the pass's threads), then decides each object ({@link
 * PassPlan#of}) before any pipeline runs.
 */
final class Planning {
    /**
     * The plan and what validation found on the way.
     *
     * @param plan the decisions
     * @param promiseDiagnostics the Promises' validation diagnostics, in platform order
     * @param requests each validated platform request's result (its diagnostics are reported by
     *     its task, only when its Promise is available, as before anything was planned)
     * @param requestValidator the validator that checked them, for the sub-requests pipelines
     *     produce later in the pass: it shares the schemas the plan compiled
     */
    record Planned(
            PassPlan plan,
            List<Diagnostic> promiseDiagnostics,
            Map<ObjectKey, ValidationResult> requests,
            RequestValidator requestValidator) {
        Planned {
            promiseDiagnostics = List.copyOf(promiseDiagnostics);
            requests = Map.copyOf(requests);
        }
    }

    private Planning() {}

    /**
     * Plans the pass.
     *
     * @param inputErrors true when loading or reading the stores reported an input error (the plan
     *     adds the invalid objects it finds)
     * @param pool the pass's threads, which validate the requests
     */
    static Planned plan(
            PassOptions options,
            Platform platform,
            PlatformLoader.Result loaded,
            StoresRead stores,
            Instant now,
            ExecutorService pool,
            boolean inputErrors)
            throws InterruptedException {
        SchemaCache schemas = new SchemaCache();
        PromiseValidator.Checked promises = new PromiseValidator(schemas).validateAll(platform.promises());
        Set<String> invalid = promises.invalid();
        RequestValidator requestValidator = new RequestValidator(schemas);
        Map<ObjectKey, ValidationResult> requests = validateRequests(platform, invalid, requestValidator, pool);
        Map<ObjectKey, Optional<com.fasterxml.jackson.databind.node.ObjectNode>> validated = new HashMap<>();
        requests.forEach((key, result) ->
                validated.put(key, result.hasErrors() ? Optional.empty() : Optional.of(result.object())));
        PassPlan.Checks checks = new PassPlan.Checks(
                invalid, validated, loaded.filesWithErrors(), stores.destinationsDropped(), inputErrors);
        PassPlan plan = PassPlan.of(
                platform,
                stores.destinations().values(),
                checks,
                stores.recorded(),
                stores.previousObjects(),
                new PassPlan.Caching(
                        options.reconcileAll(),
                        options.reconcileInterval(),
                        WorkflowControl::goDuration,
                        now,
                        options.deleteLimits()));
        return new Planned(plan, promises.diagnostics(), requests, requestValidator);
    }

    /** The platform's requests of valid Promises, validated in parallel; the first of a key only. */
    private static Map<ObjectKey, ValidationResult> validateRequests(
            Platform platform, Set<String> invalidPromises, RequestValidator validator, ExecutorService pool)
            throws InterruptedException {
        Map<ObjectKey, Future<ValidationResult>> futures = new HashMap<>();
        for (ResourceRequest request : platform.requests()) {
            ObjectKey key = ObjectKey.request(request.promiseName(), request.namespace(), request.name());
            Optional<Promise> promise = platform.promise(request.promiseName());
            if (futures.containsKey(key)
                    || promise.isEmpty()
                    || promise.get().api().isEmpty()
                    || invalidPromises.contains(request.promiseName())) {
                continue;
            }
            Callable<ValidationResult> task = () -> RevisionCheck.withBinding(
                    platform,
                    request,
                    validator.validate(request, promise.get().api().orElseThrow()));
            futures.put(key, pool.submit(task));
        }
        Map<ObjectKey, ValidationResult> results = new HashMap<>();
        try {
            for (Map.Entry<ObjectKey, Future<ValidationResult>> entry : futures.entrySet()) {
                results.put(entry.getKey(), entry.getValue().get());
            }
        } catch (ExecutionException e) {
            futures.values().forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("validating a resource request failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
            futures.values().forEach(f -> f.cancel(true));
            throw e;
        }
        return results;
    }
}
