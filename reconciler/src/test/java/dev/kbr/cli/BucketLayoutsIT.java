package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.S3Server;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every filepath mode on a bucket: the layouts platform (one Destination per mode, below the
 * store path {@code clusters}) applied to a BucketStateStore on a real S3 server holds, key for
 * key and byte for byte, what the same platform applied to a Git state store holds, before and
 * after requests of each mode are removed.
 */
class BucketLayoutsIT {
    private static final Path LAYOUTS = SharedFiles.repoRoot().resolve("fixtures/platforms/layouts");
    private static final String STORE = """
            apiVersion: platform.kratix.io/v1alpha1
            kind: BucketStateStore
            metadata:
              name: default
            spec:
              bucketName: layouts
              endpoint: minio.example.com
              path: clusters
              secretRef:
                name: bucket-keys
            """;

    @TempDir
    Path tmp;

    @Test
    void aBucketHoldsWhatAGitStoreHoldsInEveryMode() throws Exception {
        Path gitPlatform = copy(LAYOUTS, tmp.resolve("git-platform"));
        Path bucketPlatform = copy(LAYOUTS, tmp.resolve("bucket-platform"));
        Files.writeString(bucketPlatform.resolve("state-stores/default.yaml"), STORE);
        try (Stream<Path> destinations = Files.list(bucketPlatform.resolve("destinations"))) {
            for (Path destination : destinations.toList()) {
                Files.writeString(
                        destination,
                        Files.readString(destination).replace("kind: GitStateStore", "kind: BucketStateStore"));
            }
        }
        StateRepo repo = StateRepo.bare(tmp);
        try (S3Server server = S3Server.start()) {
            server.createBucket("layouts");
            Path secrets = server.secretsDir(tmp.resolve("secrets"), "default", "bucket-keys");
            List<String> bucketArgs = List.of(
                    "--state-url",
                    "default=" + server.endpoint() + "/layouts/clusters",
                    "--secrets-dir",
                    secrets.toString(),
                    "--pipeline-network",
                    "none");

            int compared = 0;
            for (String removed : new String[] {"", "a1", "f1", "n1"}) {
                if (!removed.isEmpty()) {
                    Files.delete(gitPlatform.resolve("requests/" + removed + ".yaml"));
                    Files.delete(bucketPlatform.resolve("requests/" + removed + ".yaml"));
                }
                StateRepo.Run git = repo.kbr(gitPlatform, "apply");
                assertThat(git.exitCode()).as(git.out()).isZero();
                String bucket = kbr("apply", bucketPlatform, bucketArgs);
                SortedMap<String, String> fromGit = new TreeMap<>();
                for (String path : repo.tree()) {
                    if (!path.startsWith("clusters/.kbr/")) {
                        fromGit.put(path, repo.show(path));
                    }
                }
                SortedMap<String, String> fromBucket = new TreeMap<>();
                Path download = Files.createDirectories(tmp.resolve("download-" + compared));
                for (String path : server.download("layouts", "", download)) {
                    if (!path.startsWith("clusters/.kbr/")) {
                        fromBucket.put(path, Files.readString(download.resolve(path), StandardCharsets.UTF_8));
                    }
                }
                assertThat(fromBucket).as(bucket).isEqualTo(fromGit);
                assertThat(server.keys("layouts", "clusters/.kbr/"))
                        .containsOnlyKeys("clusters/.kbr/records/default.tar.gz");
                compared += fromGit.size();
            }
            String plan = kbr("plan", bucketPlatform, append(bucketArgs, "--detailed-exitcode"));
            assertThat(plan).contains("No changes");
            System.out.println("BucketLayoutsIT: modes=3 passes=4 files-compared=" + compared + " equal=true");
        }
    }

    private static String kbr(String command, Path platform, List<String> args) {
        List<String> all = new ArrayList<>(List.of(command, "--platform", platform.toString()));
        all.addAll(args);
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(out), all.toArray(String[]::new));
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    private static List<String> append(List<String> args, String more) {
        List<String> all = new ArrayList<>(args);
        all.add(more);
        return all;
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }
}
