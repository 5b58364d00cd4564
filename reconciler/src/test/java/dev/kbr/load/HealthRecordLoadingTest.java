package dev.kbr.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kbr.model.Diagnostic;
import dev.kbr.model.HealthRecord;
import dev.kbr.model.HealthState;
import dev.kbr.model.ObjectKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HealthRecord documents with the rules of Kratix's CRD ({@code api/v1alpha1/healthrecord_types.go}). */
class HealthRecordLoadingTest {
    @Test
    void aHealthRecordIsLoadedWithTheDefaultsOfItsCrd(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("health.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: HealthRecord
                metadata: {name: probe}
                data:
                  promiseRef: {name: redis}
                  resourceRef: {name: cache, namespace: team-a}
                """);
        var result = PlatformLoader.load(dir);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.ignored()).isEmpty();
        HealthRecord record = result.platform().healthRecords().get(0);
        assertThat(record.namespace()).isEqualTo("default");
        assertThat(record.request()).isEqualTo(ObjectKey.request("redis", "team-a", "cache"));
        assertThat(record.state()).isEqualTo(HealthState.UNKNOWN);
        assertThat(record.lastRun()).isZero();
        assertThat(record.details()).isEmpty();
        assertThat(result.platform().healthRecordsOf(ObjectKey.request("redis", "team-a", "cache")))
                .containsExactly(record);
        assertThat(result.platform().healthRecordsOf(ObjectKey.request("other", "team-a", "cache")))
                .isEmpty();
    }

    @Test
    void everyBrokenFieldIsReportedAtItsLineAndTheFileCountsAsFailed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("health.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: HealthRecord
                metadata: {name: probe}
                data:
                  promiseRef: {name: redis}
                  resourceRef: {name: cache}
                  state: Healthy
                  lastRun: yesterday
                """);
        var result = PlatformLoader.load(dir);
        assertThat(result.platform().healthRecords()).isEmpty();
        assertThat(result.filesWithErrors()).containsExactly("health.yaml");
        assertThat(result.diagnostics())
                .filteredOn(Diagnostic::isError)
                .extracting(d -> d.location().line(), Diagnostic::field)
                .containsExactlyInAnyOrder(
                        tuple(6, "data.resourceRef.namespace"), tuple(7, "data.state"), tuple(8, "data.lastRun"));
    }
}
