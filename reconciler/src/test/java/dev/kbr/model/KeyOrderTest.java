package dev.kbr.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The orders records and reports are sorted by: field by field, in the order the Javadoc gives. */
class KeyOrderTest {
    private static final List<String> WORDS = List.of("", "a", "a-b", "b", "ab", "Z", "default", "z");

    @Test
    void workIdsSortByPromiseTypeNamespaceNameAndPipeline() {
        Random random = new Random(7);
        List<WorkId> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            WorkType type = WorkType.values()[random.nextInt(WorkType.values().length)];
            ids.add(new WorkId(type, pick(random), pick(random), pick(random), pick(random)));
        }
        Comparator<WorkId> fieldByField = Comparator.comparing((WorkId w) -> w.promise())
                .thenComparing(WorkId::type)
                .thenComparing(WorkId::namespace)
                .thenComparing(WorkId::name)
                .thenComparing(WorkId::pipeline);

        assertSameOrder(ids, fieldByField);
    }

    @Test
    void objectKeysSortByPromiseNamespaceAndName() {
        Random random = new Random(11);
        List<ObjectKey> keys = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            keys.add(new ObjectKey(pick(random), pick(random), pick(random)));
        }
        Comparator<ObjectKey> fieldByField = Comparator.comparing((ObjectKey k) -> k.promise())
                .thenComparing(ObjectKey::namespace)
                .thenComparing(ObjectKey::name);

        assertSameOrder(keys, fieldByField);
    }

    /** Each neighbouring pair compares as {@code expected} says, and each item equals itself. */
    private static <T extends Comparable<T>> void assertSameOrder(List<T> items, Comparator<T> expected) {
        for (int i = 0; i + 1 < items.size(); i++) {
            T a = items.get(i);
            T b = items.get(i + 1);
            assertThat(Integer.signum(a.compareTo(b)))
                    .as(a + " vs " + b)
                    .isEqualTo(Integer.signum(expected.compare(a, b)));
            assertThat(a.compareTo(a)).isZero();
        }
    }

    private static String pick(Random random) {
        return WORDS.get(random.nextInt(WORDS.size()));
    }
}
