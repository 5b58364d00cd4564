package dev.kbr.safety;

import dev.kbr.cli.Main;
import dev.kbr.state.ContentId;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.S3Server;
import dev.kbr.testsupport.SharedFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import software.amazon.awssdk.core.sync.ResponseTransformer;

/**
 * What the bucket safety ITs compare: a BucketStateStore's prefix as the S3 server lists and
 * serves it, read with the test's own S3 client and tar reader (not kbr's adapter).
 *
 * <p>Every object is compared by its ETag (the MD5 of its bytes, as every object is written by
 * one PUT), except kbr's records archive ({@code .kbr/records/<store>.tar.gz}), which is opened:
 * each record is compared by its content, object records ({@code records/objects/...}) with every
 * RFC 3339 timestamp masked as {@link StateTrees} masks them, since they hold the time the pass
 * ran; its {@code content-ids} index is compared as it is, after checking that every ETag it lists
 * for an object of the prefix maps to that object's real content id.
 */
final class BucketTrees {
    /** The records archive of store {@code default}, relative to the store's prefix. */
    static final String RECORDS_ARCHIVE = ".kbr/records/default.tar.gz";

    /** The lease object, relative to the store's prefix. */
    static final String LEASE = ".kbr/lease";

    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    /** An object's generation counts the changes it went through: history, as times are. */
    private static final Pattern GENERATION = Pattern.compile("\"generation\" : \\d+");

    private BucketTrees() {}

    /**
     * Every object under {@code prefix/} of {@code bucket}, by key relative to the prefix, as
     * described above; the records archive's entries appear as {@code
     * .kbr/records/default.tar.gz!<entry>}.
     *
     * @throws AssertionError when the archive's ETag index names a wrong content id
     */
    static SortedMap<String, String> comparable(S3Server server, String bucket, String prefix) throws IOException {
        String folder = prefix + "/";
        SortedMap<String, String> listed = server.keys(bucket, folder);
        SortedMap<String, String> tree = new TreeMap<>();
        for (Map.Entry<String, String> object : listed.entrySet()) {
            String relative = object.getKey().substring(folder.length());
            if (!relative.equals(RECORDS_ARCHIVE)) {
                tree.put(relative, "etag " + object.getValue());
                continue;
            }
            for (Map.Entry<String, byte[]> entry :
                    untar(get(server, bucket, object.getKey())).entrySet()) {
                String text = new String(entry.getValue(), StandardCharsets.UTF_8);
                if (entry.getKey().equals("content-ids")) {
                    checkContentIds(server, bucket, listed, text);
                } else if (entry.getKey().startsWith("records/objects/")) {
                    text = "masked:"
                            + GENERATION
                                    .matcher(TIMESTAMP.matcher(text).replaceAll("<time>"))
                                    .replaceAll("\"generation\" : <n>");
                }
                tree.put(relative + "!" + entry.getKey(), text);
            }
        }
        return tree;
    }

    /**
     * How {@code actual} differs from {@code expected} (both from {@link #comparable}): one line per
     * key that only one has or that differs, with both values; empty when they are equal. Short
     * enough for an assertion message, where the two whole trees would hide the difference.
     */
    static List<String> differences(SortedMap<String, String> expected, SortedMap<String, String> actual) {
        List<String> lines = new ArrayList<>();
        SortedMap<String, String> all = new TreeMap<>(expected);
        all.putAll(actual);
        for (String key : all.keySet()) {
            String want = expected.get(key);
            String got = actual.get(key);
            if (want == null) {
                lines.add("unexpected " + key + ": " + got);
            } else if (got == null) {
                lines.add("missing " + key + ": " + want);
            } else if (!want.equals(got)) {
                lines.add("differs " + key + ":\n  expected: " + want + "\n  actual:   " + got);
            }
        }
        return lines;
    }

    /** The content of the one object under {@code prefix/relative} whose key ends with {@code suffix}. */
    static String onlyObject(S3Server server, String bucket, String prefix, String relative, String suffix)
            throws IOException {
        List<String> keys = server.keys(bucket, prefix + "/" + relative).keySet().stream()
                .filter(k -> k.endsWith(suffix))
                .toList();
        if (keys.size() != 1) {
            throw new AssertionError("expected one object ending in " + suffix + " under " + prefix + "/" + relative
                    + ", found " + keys);
        }
        return new String(get(server, bucket, keys.get(0)), StandardCharsets.UTF_8);
    }

    /** The content of object {@code prefix/relative}. */
    static String text(S3Server server, String bucket, String prefix, String relative) {
        return new String(get(server, bucket, prefix + "/" + relative), StandardCharsets.UTF_8);
    }

    /**
     * Downloads Destination {@code destination}'s folder ({@code prefix/destination/}) into {@code
     * dir} as a Flux {@code Bucket} source would, and builds its {@code dependencies/} and {@code
     * resources/} with {@code ../shared/tools/flux-build}, as Flux's kustomize-controller would.
     *
     * @return one line per folder that does not build (the folder and flux-build's output); empty
     *     when both build
     */
    static List<String> unbuildable(S3Server server, String bucket, String prefix, String destination, Path dir)
            throws IOException, InterruptedException {
        Path fluxBuild = SharedFiles.require("tools/flux-build");
        server.download(bucket, prefix + "/" + destination, dir);
        List<String> failures = new ArrayList<>();
        for (String kind : List.of("dependencies", "resources")) {
            Path folder = dir.resolve(kind);
            if (!Files.isDirectory(folder)) {
                failures.add(destination + "/" + kind + ": missing from the bucket");
                continue;
            }
            Processes.Result built = Processes.run(dir, List.of(fluxBuild.toString(), "-q", folder.toString()));
            if (built.exitCode() != 0) {
                failures.add(destination + "/" + kind + ": " + built.output().strip());
            }
        }
        return failures;
    }

    /**
     * Runs {@code kbr ARGS} in this JVM, as the Git safety ITs run their reference applies.
     *
     * @return the exit code and the output (stdout and stderr)
     */
    /**
     * {@code kbr COMMAND} of a safety platform against the bucket store at {@code url}, with
     * the platform's Secret from {@code secrets}, pipelines without a network, then {@code more}.
     */
    static List<String> kbrArgs(String command, SafetyPlatform platform, String url, Path secrets, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                command,
                "--platform",
                platform.root().toString(),
                "--state-url",
                "default=" + url,
                "--secrets-dir",
                secrets.toString(),
                "--pipeline-network",
                "none"));
        args.addAll(List.of(more));
        return args;
    }

    static Processes.Result kbr(List<String> args) {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        return new Processes.Result(code, out.toString());
    }

    private static byte[] get(S3Server server, String bucket, String key) {
        return server.s3()
                .getObject(g -> g.bucket(bucket).key(key), ResponseTransformer.toBytes())
                .asByteArray();
    }

    /** An ETag the index lists for an object of the prefix must name that object's content id. */
    private static void checkContentIds(
            S3Server server, String bucket, SortedMap<String, String> listed, String contentIds) {
        Map<String, String> ids = new TreeMap<>();
        contentIds.lines().forEach(line -> {
            int space = line.indexOf(' ');
            ids.put(line.substring(0, space), line.substring(space + 1));
        });
        listed.forEach((key, etag) -> {
            String id = ids.get(etag);
            if (id != null) {
                String actual = ContentId.of(get(server, bucket, key));
                if (!actual.equals(id)) {
                    throw new AssertionError("the records index says ETag " + etag + " of " + key + " has content id "
                            + id + ", but its content has " + actual);
                }
            }
        });
    }

    private static SortedMap<String, byte[]> untar(byte[] archive) throws IOException {
        SortedMap<String, byte[]> entries = new TreeMap<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    entries.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        return entries;
    }
}
