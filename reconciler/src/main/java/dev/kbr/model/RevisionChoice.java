package dev.kbr.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Which revision of its Promise a resource request runs, as Kratix picks it
 * ({@code fetchRevision} in {@code internal/controller/dynamic_resource_request_controller.go}):
 * the one its {@link ResourceBinding} pins, else the latest.
 */
public sealed interface RevisionChoice {

    /**
     * The request runs this revision.
     *
     * @param promise the Promise as the request sees it: the platform's Promise with the
     *     revision's workflows (Kratix replaces the Promise's spec by the revision's)
     * @param version the revision's version ({@value Promise#UNVERSIONED} for an unversioned
     *     Promise)
     * @param revision the revision document; empty when it is the Promise document itself (the
     *     latest revision)
     */
    record Chosen(Promise promise, String version, Optional<PromiseRevision> revision) implements RevisionChoice {
        public Chosen {
            Objects.requireNonNull(promise, "promise");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(revision, "revision");
        }
    }

    /**
     * The request's binding pins a version the Promise has no revision of (Kratix fails the
     * reconcile with {@code FailedPromiseRevisionLookup}).
     *
     * @param binding the binding
     * @param diagnostic the error, at the binding's {@code spec.version}, saying what to do
     */
    record Missing(ResourceBinding binding, Diagnostic diagnostic) implements RevisionChoice {
        public Missing {
            Objects.requireNonNull(binding, "binding");
            Objects.requireNonNull(diagnostic, "diagnostic");
        }
    }
}
