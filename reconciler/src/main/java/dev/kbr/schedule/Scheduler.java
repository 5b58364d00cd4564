package dev.kbr.schedule;

import dev.kbr.model.Destination;
import dev.kbr.model.Selector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Places workload groups onto Destinations with Kratix's rules ({@code
 * internal/controller/scheduler.go}), deterministically.
 *
 * <p>Dependencies go to every matching Destination. A resource group goes to exactly one: the
 * Destination recorded for it if that still exists (sticky; marked misplaced when it no longer
 * matches, and still written, as Kratix does), else the matching Destination with the highest
 * rendezvous hash of (work, group, Destination). Kratix picks at random; rendezvous hashing is
 * kbr's deliberate choice, so runs are reproducible and adding a Destination moves nothing.
 */
public final class Scheduler {
    private Scheduler() {}

    /**
     * Places every group of {@code work}.
     *
     * @param work the work
     * @param destinations all Destinations
     * @param previous group id to the Destination names recorded for it last time
     * @return one placement per group, in the work's group order
     */
    public static List<Placement> place(Work work, List<Destination> destinations, Map<String, List<String>> previous) {
        List<Placement> placements = new ArrayList<>();
        for (WorkloadGroup group : work.groups()) {
            List<Destination> candidates = candidates(WorkloadGroups.resolve(group), destinations);
            if (work.id().type().isDependency()) {
                placements.add(new Placement(group, names(candidates), false));
                continue;
            }
            List<String> recorded = previous.getOrDefault(group.id(), List.of());
            String sticky = recorded.stream()
                    .filter(name -> destinations.stream().anyMatch(d -> d.name().equals(name)))
                    .findFirst()
                    .orElse(null);
            if (sticky != null) {
                boolean stillMatches =
                        candidates.stream().anyMatch(d -> d.name().equals(sticky));
                placements.add(new Placement(group, List.of(sticky), !stillMatches));
                continue;
            }
            String key = work.id() + "\u0000" + group.id();
            placements.add(candidates.stream()
                    .max(Comparator.comparingLong((Destination d) -> score(key, d.name()))
                            .thenComparing(Destination::name, Comparator.reverseOrder()))
                    .map(d -> new Placement(group, List.of(d.name()), false))
                    .orElseGet(() -> new Placement(group, List.of(), false)));
        }
        return placements;
    }

    /**
     * Destinations a selector admits: all that carry its labels; when the selector is empty,
     * those with {@code strictMatchLabels: true} and at least one label are left out.
     */
    public static List<Destination> candidates(Selector selector, List<Destination> destinations) {
        return destinations.stream()
                .filter(d -> selector.matches(d.labels()))
                .filter(d -> !selector.isEmpty()
                        || !d.strictMatchLabels()
                        || d.labels().isEmpty())
                .sorted(Comparator.comparing(Destination::name))
                .toList();
    }

    private static List<String> names(List<Destination> destinations) {
        return destinations.stream().map(Destination::name).toList();
    }

    private static long score(String key, String destination) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((key + "\u0000" + destination).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong() >>> 1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
