package dev.kbr.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.HealthRecord;
import dev.kbr.model.HealthState;
import dev.kbr.model.ObjectKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Maps a {@code HealthRecord} document ({@code api/v1alpha1/healthrecord_types.go}) with the
 * rules of its CRD: {@code data.promiseRef.name}, {@code data.resourceRef.name} and {@code
 * data.resourceRef.namespace} are required (Kratix's controller finds the request by them), {@code
 * data.state} is one of its enum and {@code unknown} by default, {@code data.lastRun} an integer.
 */
final class HealthRecordMapper extends DocumentFields {
    HealthRecordMapper(YamlDocument doc, List<Diagnostic> diagnostics) {
        super(doc, diagnostics);
    }

    Optional<HealthRecord> healthRecord() {
        int errorsBefore = errorCount();
        String name = requiredText("metadata.name", "name the HealthRecord");
        String namespace = optionalText("metadata.namespace", "default");
        expectMap("data");
        String promise = requiredText("data.promiseRef.name", "name the Promise of the request it is about");
        String requestName = requiredText("data.resourceRef.name", "name the resource request it is about");
        String requestNamespace =
                requiredText("data.resourceRef.namespace", "give the namespace of the resource request it is about");
        String stateText = optionalText("data.state", HealthState.UNKNOWN.value());
        Optional<HealthState> state = HealthState.of(stateText);
        if (stateText != null && state.isEmpty()) {
            error(
                    "data.state",
                    "is " + stateText + "; use one of "
                            + Arrays.stream(HealthState.values())
                                    .map(HealthState::value)
                                    .toList());
        }
        long lastRun = 0;
        JsonNode run = node("data.lastRun");
        if (!run.isMissingNode() && !run.isNull()) {
            if (run.canConvertToLong() && run.isIntegralNumber()) {
                lastRun = run.asLong();
            } else {
                error("data.lastRun", "must be an integer (Unix seconds of the last health check)");
            }
        }
        JsonNode details = node("data.details");
        if (errorCount() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new HealthRecord(
                namespace,
                name,
                ObjectKey.request(promise, requestNamespace, requestName),
                new HealthRecord.Check(
                        state.orElseThrow(),
                        lastRun,
                        details.isMissingNode() || details.isNull() ? Optional.empty() : Optional.of(details)),
                doc.location()));
    }
}
