package dev.kbr.plan;

import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fails closed on mass deletion: a pass that would delete more than
 * {@code --max-delete-fraction} of the Works recorded across all state stores is refused unless
 * {@code --allow-mass-delete}. A Work counts as deleted when it is recorded in some store before
 * the pass and in none after it, so its records and every file it delivered would go; a Work that
 * only moves between stores or Destinations is not deleted. A wrong {@code --platform} folder, a
 * Destination selector that stopped matching, or a renamed pipeline all look like this, and a
 * typo must never wipe a cluster.
 */
public final class DeleteGuard {
    /** How many deleted objects the refusal names before "and N more". */
    static final int NAMED = 5;

    /**
     * How much a pass may delete.
     *
     * @param maxDeleteFraction {@code --max-delete-fraction}, 0 to 1
     * @param allowMassDelete {@code --allow-mass-delete}
     * @param platform where the platform was read from, named in the refusal
     */
    public record Limits(double maxDeleteFraction, boolean allowMassDelete, String platform) {}

    private DeleteGuard() {}

    /**
     * Why the pass must not be written, or empty when it may.
     *
     * @param recorded every Work recorded in any store before the pass
     * @param deleted the recorded Works the pass would delete
     */
    public static Optional<String> refusal(Limits limits, Set<WorkId> recorded, Set<WorkId> deleted) {
        if (limits.allowMassDelete()
                || recorded.isEmpty()
                || deleted.size() <= limits.maxDeleteFraction() * recorded.size()) {
            return Optional.empty();
        }
        Set<ObjectKey> keys = new TreeSet<>();
        deleted.forEach(id -> keys.add(id.object()));
        List<String> objects = keys.stream().map(ObjectKey::toString).toList();
        String named = String.join(", ", objects.subList(0, Math.min(NAMED, objects.size())))
                + (objects.size() > NAMED ? " and " + (objects.size() - NAMED) + " more" : "");
        return Optional.of("Refusing to delete " + deleted.size() + " of " + recorded.size()
                + " recorded works (more than --max-delete-fraction "
                + limits.maxDeleteFraction() + "), delivered for "
                + objects.size() + " object(s): " + named + ". Nothing was written. Check that --platform "
                + limits.platform() + " is the right platform and that every file loaded;"
                + " pass --allow-mass-delete if this is intended");
    }
}
