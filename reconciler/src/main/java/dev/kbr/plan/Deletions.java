package dev.kbr.plan;

import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Plans what the pass does with recorded objects the platform no longer has. Decided after the
 * configure workflows, since the sub-requests of compound Promises are known only once their
 * parents' pipelines ran (or their recorded outputs were read).
 */
public final class Deletions {
    private Deletions() {}

    /**
     * How far the pass can be trusted to say what is gone.
     *
     * @param filesWithErrors platform files that failed to parse (their objects only look gone)
     * @param inputErrors the pass has input errors: an invalid compound request is kept, and the
     *     sub-requests its pipeline made then only look gone
     * @param platformHasPromises false when the platform defines no Promise at all
     */
    public record Trust(List<String> filesWithErrors, boolean inputErrors, boolean platformHasPromises) {
        public Trust {
            filesWithErrors = List.copyOf(filesWithErrors);
        }
    }

    /**
     * The plan for the recorded objects neither handled nor kept by this pass.
     *
     * @param recorded what the last passes recorded
     * @param handled every object this pass configured or decided about (Promises and requests of
     *     the platform, and the sub-requests produced)
     * @param kept recorded objects kept as they were (invalid, waiting, held)
     * @param trust whether deletions can be trusted
     * @param limits the mass-delete guard's limits
     */
    public static DeletionPlan plan(
            Recorded recorded, Set<ObjectKey> handled, Set<ObjectKey> kept, Trust trust, DeleteGuard.Limits limits) {
        SortedSet<ObjectKey> gone = new TreeSet<>();
        recorded.objects().stream()
                .filter(k -> !handled.contains(k) && !kept.contains(k))
                .forEach(gone::add);
        recorded.works().stream()
                .map(WorkId::object)
                .filter(k -> !handled.contains(k) && !kept.contains(k))
                .forEach(gone::add);
        if (gone.isEmpty()) {
            return new DeletionPlan.Nothing();
        }
        if (!trust.filesWithErrors().isEmpty()) {
            return new DeletionPlan.Held("files failed to parse: " + trust.filesWithErrors(), gone);
        }
        if (trust.inputErrors()) {
            return new DeletionPlan.Held("this pass has input errors (see above)", gone);
        }
        if (!trust.platformHasPromises()) {
            return new DeletionPlan.Held("the platform defines no Promise at all (wrong --platform folder?)", gone);
        }
        SortedSet<WorkId> goneWorks = new TreeSet<>();
        recorded.works().stream().filter(id -> gone.contains(id.object())).forEach(goneWorks::add);
        if (DeleteGuard.refusal(limits, recorded.works(), goneWorks).isPresent()) {
            return new DeletionPlan.Refused(gone);
        }
        return new DeletionPlan.Delete(
                gone.stream().filter(k -> !k.isPromise()).toList(),
                gone.stream().filter(ObjectKey::isPromise).toList());
    }
}
