package dev.kbr.plan;

import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.RequiredPromise;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether a Promise's {@code spec.requiredPromises} are met, as Kratix decides it before making the
 * Promise available ({@code promise_controller.go}: each required Promise installed, at the
 * required {@code kratix.io/promise-version} when one is named, and itself available).
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
                    && !required.version().equals(found.get().version())) {
                return Optional.of("required Promise " + required.name() + " is not installed at version "
                        + required.version().get() + " (it has "
                        + found.get().version().orElse("no kratix.io/promise-version label") + ")");
            }
            if (!available.test(required.name())) {
                return Optional.of("required Promise " + required.name() + " is not available");
            }
        }
        return Optional.empty();
    }
}
