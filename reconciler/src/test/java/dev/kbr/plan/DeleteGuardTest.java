package dev.kbr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.WorkId;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeleteGuardTest {
    private static DeleteGuard.Limits options(double fraction, boolean allow) {
        return new DeleteGuard.Limits(fraction, allow, "platform");
    }

    private static Set<WorkId> works(int from, int to) {
        Set<WorkId> works = new TreeSet<>();
        IntStream.range(from, to).forEach(i -> works.add(WorkId.resource("p", "ns", "r" + i, "make")));
        return works;
    }

    @Test
    void refusesOnlyMoreThanTheFraction() {
        assertThat(DeleteGuard.refusal(options(0.5, false), works(0, 4), works(0, 2)))
                .isEmpty();
        assertThat(DeleteGuard.refusal(options(0.5, false), works(0, 4), works(0, 3)))
                .get()
                .asString()
                .contains("Refusing to delete 3 of 4 recorded works")
                .contains("p/ns/r0, p/ns/r1, p/ns/r2")
                .contains("pass --allow-mass-delete if this is intended");
        assertThat(DeleteGuard.refusal(options(0.5, true), works(0, 4), works(0, 4)))
                .isEmpty();
        assertThat(DeleteGuard.refusal(options(0, false), works(0, 4), works(0, 1)))
                .isPresent();
        assertThat(DeleteGuard.refusal(options(0.5, false), Set.of(), Set.of())).isEmpty();
    }

    @Test
    void namesTheFirstFewObjects() {
        assertThat(DeleteGuard.refusal(options(0.5, false), works(0, 10), works(0, 9)))
                .get()
                .asString()
                .contains("9 object(s): p/ns/r0, p/ns/r1, p/ns/r2, p/ns/r3, p/ns/r4 and 4 more");
    }
}
