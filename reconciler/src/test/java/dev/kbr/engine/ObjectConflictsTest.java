package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.model.WorkId;
import dev.kbr.state.DesiredFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectConflictsTest {
    private static final WorkId A = WorkId.resource("p", "ns", "a", "make");
    private static final WorkId B = WorkId.resource("p", "ns", "b", "make");

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectConflicts.Placed placed(
            String destination, WorkId work, String file, boolean ran, String text) {
        return new ObjectConflicts.Placed(destination, work, file, file, ran, new DesiredFile.Bytes(bytes(text)));
    }

    /** Contents with the given previous deliveries. */
    private static ObjectConflicts.Contents contents(Map<WorkId, String> previous) {
        return new ObjectConflicts.Contents() {
            @Override
            public Optional<byte[]> of(ObjectConflicts.Placed p) {
                return Optional.of(((DesiredFile.Bytes) p.content()).content());
            }

            @Override
            public List<byte[]> previous(WorkId work, String destination) {
                return previous.containsKey(work) ? List.of(bytes(previous.get(work))) : List.of();
            }
        };
    }

    @Test
    void readsGroupKindNamespaceAndNameOfEveryDocument() {
        assertThat(ObjectConflicts.objects("f", bytes("""
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web, namespace: team-a}
                        ---
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: team-a}
                        ---
                        just: a document without kind
                        """)))
                .containsExactly("Deployment.apps team-a/web", "Namespace team-a");
        assertThat(ObjectConflicts.objects("f", new byte[] {(byte) 0xff, 0})).isEmpty();
    }

    @Test
    void theWorkThatNewlyWritesAnObjectFailsNotTheOneThatHadIt() {
        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: ns}\n";
        ObjectConflicts.Result result = ObjectConflicts.check(
                List.of(placed("d", A, "a.yaml", true, cm), placed("d", B, "b.yaml", true, cm)),
                contents(Map.of(A, cm)));
        assertThat(result.failed()).containsExactly(B);
        assertThat(result.messages())
                .singleElement()
                .asString()
                .contains("ConfigMap ns/x is written to Destination d by")
                .contains(A + " (a.yaml)")
                .contains(B + " (b.yaml)");
    }

    @Test
    void sameObjectOnDifferentDestinationsOrNamespacesIsNoConflict() {
        String x = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: ns}\n";
        String other = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: other}\n";
        assertThat(ObjectConflicts.check(
                                List.of(placed("d1", A, "a.yaml", true, x), placed("d2", B, "b.yaml", true, x)),
                                contents(Map.of()))
                        .failed())
                .isEmpty();
        assertThat(ObjectConflicts.check(
                                List.of(placed("d", A, "a.yaml", true, x), placed("d", B, "b.yaml", true, other)),
                                contents(Map.of()))
                        .failed())
                .isEmpty();
    }

    @Test
    void whenNeitherHadItBothWorksThatRanFail() {
        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
        assertThat(ObjectConflicts.check(
                                List.of(placed("d", A, "a.yaml", true, cm), placed("d", B, "b.yaml", true, cm)),
                                contents(Map.of()))
                        .failed())
                .containsExactly(A, B);
    }

    @Test
    void nonManifestFilesAreIgnored() {
        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
        assertThat(ObjectConflicts.check(
                                List.of(placed("d", A, "a.txt", true, cm), placed("d", B, "b.yaml", true, cm)),
                                contents(Map.of()))
                        .failed())
                .isEmpty();
    }
}
