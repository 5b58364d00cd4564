package dev.kbr.plan;

import dev.kbr.model.Diagnostic;
import dev.kbr.model.Promise;
import dev.kbr.model.RequiredPromise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The order a pass configures Promises in: each after the Promises it requires (KRATIX.md §2.6,
 * {@code spec.requiredPromises}), grouped into levels whose Promises require only Promises of
 * earlier levels, so a level's Promises may run in parallel. A Promise that requires itself
 * through a cycle is reported, and is invalid for the pass.
 *
 * @param levels the Promises by level, each level in platform order
 * @param cycles errors naming each Promise found in a cycle of requiredPromises
 * @param inCycles the names of those Promises
 */
public record PromiseOrder(List<List<Promise>> levels, List<Diagnostic> cycles, Set<String> inCycles) {
    public PromiseOrder {
        levels = levels.stream().map(List::copyOf).toList();
        cycles = List.copyOf(cycles);
        inCycles = Set.copyOf(inCycles);
    }

    /**
     * Orders {@code promises}.
     *
     * @param promises the platform's Promises, in platform order
     * @param lookup finds a Promise of the platform by name (a required Promise that is not
     *     installed is skipped here; its requirer is unavailable, not misordered)
     */
    public static PromiseOrder of(List<Promise> promises, Function<String, Optional<Promise>> lookup) {
        List<Promise> order = new ArrayList<>();
        List<Diagnostic> cycles = new ArrayList<>();
        Set<String> cycleNames = new HashSet<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (Promise promise : promises) {
            visit(promise, lookup, order, done, visiting, cycles, cycleNames);
        }
        Map<String, Integer> level = new HashMap<>();
        List<List<Promise>> levels = new ArrayList<>();
        for (Promise promise : order) {
            int l = promise.requiredPromises().stream()
                    .mapToInt(r -> level.getOrDefault(r.name(), -1) + 1)
                    .max()
                    .orElse(0);
            level.put(promise.name(), l);
            while (levels.size() <= l) {
                levels.add(new ArrayList<>());
            }
            levels.get(l).add(promise);
        }
        return new PromiseOrder(levels, cycles, cycleNames);
    }

    private static void visit(
            Promise promise,
            Function<String, Optional<Promise>> lookup,
            List<Promise> order,
            Set<String> done,
            Set<String> visiting,
            List<Diagnostic> cycles,
            Set<String> cycleNames) {
        if (done.contains(promise.name())) {
            return;
        }
        if (!visiting.add(promise.name())) {
            cycles.add(Diagnostic.error(
                    promise.lines().lineOf("spec.requiredPromises") > 0
                            ? promise.location().atLine(promise.lines().lineOf("spec.requiredPromises"))
                            : promise.location(),
                    "spec.requiredPromises",
                    "Promise " + promise.name()
                            + " requires itself through a cycle of requiredPromises; break the cycle"));
            cycleNames.add(promise.name());
            return;
        }
        for (RequiredPromise required : promise.requiredPromises()) {
            lookup.apply(required.name()).ifPresent(p -> visit(p, lookup, order, done, visiting, cycles, cycleNames));
        }
        visiting.remove(promise.name());
        done.add(promise.name());
        order.add(promise);
    }
}
