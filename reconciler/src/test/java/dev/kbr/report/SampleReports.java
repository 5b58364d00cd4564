package dev.kbr.report;

import dev.kbr.model.Diagnostic;
import dev.kbr.model.SourceLocation;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.FileChange;
import dev.kbr.state.StoreLocation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reports with one of everything, for the report format tests. */
final class SampleReports {
    static final String HEAD = "0123456789abcdef0123456789abcdef01234567";
    static final String NEW = "89abcdef0123456789abcdef0123456789abcdef";
    static final String BLOB_A = "1111111111111111111111111111111111111111";
    static final String BLOB_B = "2222222222222222222222222222222222222222";
    static final String BLOB_C = "3333333333333333333333333333333333333333";

    static final String SECRET_BEFORE =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n" + "  password: hunter2\n";
    static final String SECRET_AFTER =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n" + "  password: swordfish\n";

    private SampleReports() {}

    /**
     * A plan or apply of one store: an added file and a changed ConfigMap and Secret on
     * Destination worker-1, a deleted record, a failed and a succeeded pipeline, a cached object,
     * a diagnostic, a notice.
     */
    static RunReport sample(boolean applied) {
        byte[] before = "kind: ConfigMap\ndata:\n  size: small\n  replicas: 1\n".getBytes(StandardCharsets.UTF_8);
        byte[] after = "kind: ConfigMap\ndata:\n  size: large\n  replicas: 3\n".getBytes(StandardCharsets.UTF_8);
        var changes = new ChangeSet(List.of(
                new FileChange.Added("worker-1/resources/new.yaml", bytes("kind: Namespace\n"), BLOB_A),
                new FileChange.Modified("worker-1/resources/config.yaml", BLOB_B, after, BLOB_C),
                new FileChange.Modified("worker-1/resources/secret.yaml", BLOB_A, bytes(SECRET_AFTER), BLOB_B),
                new FileChange.Deleted(".kbr/works/old.json", BLOB_C)));
        var previous = new TreeMap<String, byte[]>();
        previous.put("worker-1/resources/config.yaml", before);
        previous.put("worker-1/resources/secret.yaml", bytes(SECRET_BEFORE));
        StoreReport store = new StoreReport(
                new StoreLocation("default", "GitStateStore", "https://git.example.com/state.git", Optional.of("main")),
                Optional.of(HEAD),
                changes,
                new TreeMap<>(Map.of("worker-1/", "worker-1")),
                previous,
                applied ? Optional.of(NEW) : Optional.empty());
        List<PipelineRun> runs = List.of(
                new PipelineRun(
                        "redis/default/example-redis resource.configure instance-configure",
                        "new",
                        true,
                        "",
                        Duration.ofMillis(1500),
                        List.of(new ContainerLog("render", 0, "rendered\n"))),
                new PipelineRun(
                        "Promise jenkins promise.configure promise-configure",
                        "input changed",
                        false,
                        "container install exited 3",
                        Duration.ofMillis(250),
                        List.of(new ContainerLog("install", 3, "line one\nboom\n"))));
        List<Diagnostic> diagnostics = List.of(Diagnostic.error(
                new SourceLocation("requests/redis.yaml", 0, 7), "spec.size", "must be one of [small, large]"));
        return new RunReport(
                applied,
                diagnostics,
                runs,
                List.of("Promise redis"),
                List.of(new Notice(
                        Notice.Topic.WAITING, "y/default/x", "request default/x waits: Promise y is not available")),
                List.of(store),
                List.of());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
