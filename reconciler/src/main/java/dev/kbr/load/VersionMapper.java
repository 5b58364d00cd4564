package dev.kbr.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Promise;
import dev.kbr.model.PromiseRevision;
import dev.kbr.model.ResourceBinding;
import dev.kbr.model.Workflows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the documents that say which version of a Promise a request runs: {@code PromiseRevision}
 * ({@code api/v1alpha1/promiserevision_types.go}) and {@code ResourceBinding}
 * ({@code api/v1alpha1/resourcebinding_types.go}), and checks them against the platform's Promises.
 */
final class VersionMapper extends DocumentFields {

    VersionMapper(YamlDocument doc, List<Diagnostic> diagnostics) {
        super(doc, diagnostics);
    }

    /** A {@code PromiseRevision}; empty (with diagnostics) when a required field is wrong. */
    Optional<PromiseRevision> revision() {
        int errorsBefore = errorCount();
        requiredText("metadata.name", "name the PromiseRevision");
        for (String map : List.of(
                "spec",
                "spec.promiseRef",
                "spec.promiseSpec",
                "spec.promiseSpec.workflows",
                "spec.promiseSpec.workflows.resource")) {
            expectMap(map);
        }
        String promise = requiredText("spec.promiseRef.name", "name the Promise this is a revision of");
        String version = requiredText("spec.version", "set the Promise version this revision holds");
        if (!node("spec.promiseSpec").isObject()) {
            error("spec.promiseSpec", "is missing; set it to the Promise's spec at this version");
        }
        // Kratix runs only resource workflows from a revision; its Promise workflows come from the
        // Promise itself, so those of a revision are kept as written.
        DocumentMapper pipelines = new DocumentMapper(doc, diagnostics);
        Workflows workflows = new Workflows(
                List.of(),
                List.of(),
                pipelines.pipelines("spec.promiseSpec.workflows.resource.configure"),
                pipelines.pipelines("spec.promiseSpec.workflows.resource.delete"));
        if (errorCount() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(
                new PromiseRevision(promise, version, workflows, (ObjectNode) doc.body(), doc.location(), doc.lines()));
    }

    /** A {@code ResourceBinding}; empty (with diagnostics) when a required field is wrong. */
    Optional<ResourceBinding> binding() {
        int errorsBefore = errorCount();
        String name = requiredText("metadata.name", "name the ResourceBinding");
        for (String map : List.of("spec", "spec.promiseRef", "spec.resourceRef")) {
            expectMap(map);
        }
        String version = requiredText(
                "spec.version", "set latest to follow the Promise, or the exact version to pin the request to");
        String promise = requiredText("spec.promiseRef.name", "name the Promise of the request");
        String resource = requiredText("spec.resourceRef.name", "name the resource request this binds");
        String ownNamespace = optionalText("metadata.namespace", "");
        String namespace = optionalText("spec.resourceRef.namespace", ownNamespace);
        if (!ownNamespace.isEmpty() && !ownNamespace.equals(namespace)) {
            // Kratix looks a request's binding up in the request's namespace.
            error(
                    "spec.resourceRef.namespace",
                    "is " + namespace + " but the binding is in namespace " + ownNamespace
                            + "; a ResourceBinding lives in its request's namespace, make them equal");
        }
        if (errorCount() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new ResourceBinding(
                name,
                ObjectKey.request(promise, namespace.isEmpty() ? "default" : namespace, resource),
                version,
                doc.location(),
                doc.lines()));
    }

    /**
     * Checks revisions and bindings against the Promises, dropping those in error: a revision of a
     * Promise the platform does not define, or of a version already held (by the Promise itself or
     * another revision; Kratix keeps one revision per version), and a second binding of one request
     * (Kratix: "found multiple ResourceBindings").
     *
     * @param wholePlatform false for documents read alone, whose Promises may be kept elsewhere: then
     *     a Promise that is not among them is not a mistake
     */
    static void check(
            List<Promise> promises,
            List<PromiseRevision> revisions,
            List<ResourceBinding> bindings,
            boolean wholePlatform,
            List<Diagnostic> diagnostics) {
        Map<String, Promise> byName = new HashMap<>();
        promises.forEach(p -> byName.putIfAbsent(p.name(), p));
        Map<String, String> held = new HashMap<>();
        promises.forEach(p -> held.putIfAbsent(
                p.name() + "\n" + p.revisionVersion(), "Promise " + p.name() + " itself (" + p.location() + ")"));
        List<PromiseRevision> dropped = new ArrayList<>();
        for (PromiseRevision revision : revisions) {
            if (wholePlatform && !byName.containsKey(revision.promiseName())) {
                dropped.add(revision);
                diagnostics.add(Diagnostic.error(
                        revision.at("spec.promiseRef.name"),
                        "spec.promiseRef.name",
                        "names Promise " + revision.promiseName() + ", which the platform does not define;"
                                + " add that Promise or remove this revision"));
                continue;
            }
            String first = held.putIfAbsent(
                    revision.promiseName() + "\n" + revision.version(), "the revision at " + revision.location());
            if (first != null) {
                dropped.add(revision);
                diagnostics.add(Diagnostic.error(
                        revision.at("spec.version"),
                        "spec.version",
                        "version " + revision.version() + " of Promise " + revision.promiseName()
                                + " is already held by " + first + "; a Promise has one revision per version,"
                                + " remove this one or change its spec.version"));
            }
        }
        revisions.removeAll(dropped);
        Map<ObjectKey, ResourceBinding> seen = new HashMap<>();
        List<ResourceBinding> duplicates = new ArrayList<>();
        for (ResourceBinding binding : bindings) {
            ResourceBinding first = seen.putIfAbsent(binding.request(), binding);
            if (first != null) {
                duplicates.add(binding);
                diagnostics.add(Diagnostic.error(
                        binding.at("spec.resourceRef.name"),
                        "spec.resourceRef",
                        "request " + binding.request() + " is already bound at " + first.location()
                                + "; a request has one ResourceBinding, remove one"));
            } else if (wholePlatform && !byName.containsKey(binding.request().promise())) {
                duplicates.add(binding);
                diagnostics.add(Diagnostic.error(
                        binding.at("spec.promiseRef.name"),
                        "spec.promiseRef.name",
                        "names Promise " + binding.request().promise() + ", which the platform does not"
                                + " define; fix the name or remove this binding"));
            }
        }
        bindings.removeAll(duplicates);
    }
}
