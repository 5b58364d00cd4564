package dev.kbr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The deletion rules of docs/architecture.md and docs/safety.md ("fail closed", "malformed input
 * is held, not deleted"), one test each: what is gone, when gone objects are held instead, when
 * the guard refuses, and the order of deletion.
 */
class DeletionsTest {
    private static final ObjectKey PROMISE = ObjectKey.promise("redis");
    private static final ObjectKey A = ObjectKey.request("redis", "default", "a");
    private static final ObjectKey B = ObjectKey.request("redis", "default", "b");
    private static final ObjectKey OTHER = ObjectKey.promise("jenkins");
    private static final Deletions.Trust TRUSTED = new Deletions.Trust(List.of(), false, true);
    private static final DeleteGuard.Limits LIMITS = new DeleteGuard.Limits(1.0, false, "platform");

    @Test
    void nothingIsGoneWhenEveryRecordedObjectWasHandledOrKept() {
        assertThat(Deletions.plan(recorded(), Set.of(PROMISE, A, OTHER), Set.of(B), TRUSTED, LIMITS))
                .isEqualTo(new DeletionPlan.Nothing());
    }

    @Test
    void goneRequestsAreDeletedBeforeGonePromises() {
        DeletionPlan plan = Deletions.plan(recorded(), Set.of(OTHER), Set.of(), TRUSTED, LIMITS);
        assertThat(plan).isEqualTo(new DeletionPlan.Delete(List.of(A, B), List.of(PROMISE)));
    }

    @Test
    void anObjectKnownOnlyByItsWorksIsGoneToo() {
        // A Work recorded without its object's record (an older record, a hand edit).
        Recorded recorded = new Recorded(
                new TreeMap<>(),
                Set.of(),
                new TreeSet<>(),
                new TreeSet<>(Set.of(WorkId.resource("redis", "default", "a", "make"))),
                new TreeMap<>());
        assertThat(Deletions.plan(recorded, Set.of(), Set.of(), TRUSTED, LIMITS))
                .isEqualTo(new DeletionPlan.Delete(List.of(A), List.of()));
    }

    @Test
    void filesThatFailedToParseHoldEverythingGone() {
        DeletionPlan plan = Deletions.plan(
                recorded(),
                Set.of(PROMISE, OTHER),
                Set.of(),
                new Deletions.Trust(List.of("requests/a.yaml"), false, true),
                LIMITS);
        assertThat(plan)
                .isEqualTo(
                        new DeletionPlan.Held("files failed to parse: [requests/a.yaml]", new TreeSet<>(Set.of(A, B))));
    }

    @Test
    void inputErrorsHoldEverythingGone() {
        DeletionPlan plan = Deletions.plan(
                recorded(), Set.of(PROMISE, OTHER), Set.of(), new Deletions.Trust(List.of(), true, true), LIMITS);
        assertThat(plan).isInstanceOf(DeletionPlan.Held.class);
        assertThat(((DeletionPlan.Held) plan).reason()).isEqualTo("this pass has input errors (see above)");
    }

    @Test
    void aPlatformWithoutPromisesDeletesNothing() {
        DeletionPlan plan =
                Deletions.plan(recorded(), Set.of(), Set.of(), new Deletions.Trust(List.of(), false, false), LIMITS);
        assertThat(plan).isInstanceOf(DeletionPlan.Held.class);
        assertThat(((DeletionPlan.Held) plan).gone()).containsExactly(OTHER, PROMISE, A, B);
    }

    @Test
    void theGuardRefusesDeletingMoreThanTheFraction() {
        // 3 of the 4 recorded Works belong to gone objects.
        DeletionPlan plan = Deletions.plan(
                recorded(), Set.of(OTHER), Set.of(), TRUSTED, new DeleteGuard.Limits(0.5, false, "platform"));
        assertThat(plan).isEqualTo(new DeletionPlan.Refused(new TreeSet<>(Set.of(PROMISE, A, B))));
        assertThat(Deletions.plan(
                        recorded(), Set.of(OTHER), Set.of(), TRUSTED, new DeleteGuard.Limits(0.5, true, "platform")))
                .isInstanceOf(DeletionPlan.Delete.class);
    }

    /** Promises redis and jenkins, requests a and b of redis, one Work each. */
    private static Recorded recorded() {
        return new Recorded(
                new TreeMap<>(),
                Set.of(),
                new TreeSet<>(Set.of(PROMISE, A, B, OTHER)),
                new TreeSet<>(Set.of(
                        WorkId.promise("redis", "deps"),
                        WorkId.resource("redis", "default", "a", "make"),
                        WorkId.resource("redis", "default", "b", "make"),
                        WorkId.promise("jenkins", "deps"))),
                new TreeMap<>(Map.of()));
    }
}
