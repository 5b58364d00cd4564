package dev.kbr.plan;

import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.RequiredPromise;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether a Promise's {@code spec.requiredPromises} are met, as Kratix decides it before making the
 * Promise available ({@code promise_controller.go} {@code evaluateRequirementAgainstRevisions}:
 * each required Promise installed, with a revision of the required version when one is named, and
 * itself available). A revision is the Promise document's own {@code kratix.io/promise-version} or
 * a {@code PromiseRevision} document, so upgrading the required Promise past the version keeps the
 * requirement met while the older revision is kept.
 */
public final class RequiredPromises {
    private RequiredPromises() {}

    /**
     * Why a required Promise keeps {@code promise} from being available.
     *
     * @param platform the platform whose Promises are looked up
     * @param promise the Promise whose requirements are checked, in the order it lists them
     * @param available whether the Promise of a name is available (decided by the caller: planned,
     *     or found after its workflow ran)
     * @return the first unmet requirement as a sentence for the report; empty when all are met
     */
    public static Optional<String> unmet(Platform platform, Promise promise, Predicate<String> available) {
        for (RequiredPromise required : promise.requiredPromises()) {
            Optional<Promise> found = platform.promise(required.name());
            if (found.isEmpty()) {
                return Optional.of("required Promise " + required.name() + " is not installed");
            }
            if (required.version().isPresent()
                    && !platform.hasRevision(required.name(), required.version().get())) {
                return Optional.of("required Promise " + required.name() + " is not installed at version "
                        + required.version().get() + " (it is at "
                        + found.get().version().orElse("no kratix.io/promise-version label")
                        + " and has no PromiseRevision of that version)");
            }
            if (!available.test(required.name())) {
                return Optional.of("required Promise " + required.name() + " is not available");
            }
        }
        return Optional.empty();
    }
}
