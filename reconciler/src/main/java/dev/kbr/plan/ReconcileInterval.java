package dev.kbr.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How often the objects of a Promise are reconciled when nothing changed: the Promise's {@code
 * kratix.io/reconciliation-interval} annotation, else its {@code
 * spec.workflows.config.reconciliationInterval}, else the pass's {@code --reconcile-interval}
 * (KRATIX.md §5.1).
 *
 * @param interval the interval; zero never elapses
 * @param warnings one for each value the Promise gives that is not a duration (the next one, or
 *     the fallback, is used)
 */
public record ReconcileInterval(Duration interval, List<Diagnostic> warnings) {
    public ReconcileInterval {
        warnings = List.copyOf(warnings);
    }

    /**
     * The interval of {@code promise}.
     *
     * @param fallback {@code --reconcile-interval}
     * @param goDuration parses a Go duration ({@code 10h}, {@code 1h30m}); throws {@link
     *     IllegalArgumentException} on anything else
     */
    public static ReconcileInterval of(Promise promise, Duration fallback, Function<String, Duration> goDuration) {
        JsonNode annotation =
                promise.document().path("metadata").path("annotations").path("kratix.io/reconciliation-interval");
        JsonNode config =
                promise.document().path("spec").path("workflows").path("config").path("reconciliationInterval");
        List<Diagnostic> warnings = new ArrayList<>();
        for (JsonNode value : List.of(annotation, config)) {
            if (value.isTextual() && !value.asText().isBlank()) {
                try {
                    return new ReconcileInterval(goDuration.apply(value.asText()), warnings);
                } catch (IllegalArgumentException e) {
                    warnings.add(Diagnostic.warning(
                            promise.location(),
                            "",
                            "reconciliation interval \"" + value.asText()
                                    + "\" is not a duration; using --reconcile-interval"));
                }
            }
        }
        return new ReconcileInterval(fallback, warnings);
    }
}
