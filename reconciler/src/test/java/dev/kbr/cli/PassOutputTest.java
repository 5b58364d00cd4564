package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.engine.PassListener;
import dev.kbr.model.Platform;
import dev.kbr.plan.DeleteGuard;
import dev.kbr.plan.PassPlan;
import dev.kbr.plan.Recorded;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code kbr plan --explain}'s output: where the plan goes, and that progress still hears the pass. */
class PassOutputTest {
    private static final PassPlan EMPTY = PassPlan.of(
            new Platform(List.of(), List.of(), List.of(), List.of()),
            List.of(),
            new PassPlan.Checks(Set.of(), Map.of(), List.of(), false, false),
            Recorded.none(),
            Map.of(),
            new PassPlan.Caching(
                    false,
                    Duration.ofHours(10),
                    Duration::parse,
                    Instant.EPOCH,
                    new DeleteGuard.Limits(0.5, false, "platform")));

    @Test
    void explainPrintsThePlanOnStdoutForTextAndOnStderrForJson() {
        PassOptionsMixin options = new PassOptionsMixin();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PassOutput.explain(EMPTY, options, new PrintWriter(out), new PrintWriter(err));
        assertThat(out.toString())
                .startsWith("Plan (decided before any pipeline ran):\n  no Promise, request or recorded object\n");
        assertThat(err.toString()).isEmpty();

        options.output = PassOptionsMixin.Output.json;
        StringWriter jsonOut = new StringWriter();
        StringWriter jsonErr = new StringWriter();
        PassOutput.explain(EMPTY, options, new PrintWriter(jsonOut), new PrintWriter(jsonErr));
        assertThat(jsonOut.toString()).isEmpty();
        assertThat(jsonErr.toString()).startsWith("Plan (decided before any pipeline ran):");
    }

    @Test
    void plansToHandsOutThePlanAndStillTellsTheProgressListener() {
        List<String> heard = new ArrayList<>();
        PassListener progress = new PassListener() {
            @Override
            public void cached(String object) {
                heard.add("cached " + object);
            }

            @Override
            public void planned(PassPlan plan) {
                heard.add("planned");
            }
        };
        AtomicReference<PassPlan> plan = new AtomicReference<>();
        PassListener listener = PassOutput.plansTo(progress, plan::set);
        listener.planned(EMPTY);
        listener.cached("Promise app");
        assertThat(plan.get()).isSameAs(EMPTY);
        assertThat(heard).containsExactly("planned", "cached Promise app");
    }
}
