package dev.kbr.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class TarTreesTest {
    private static final TarTrees.Limits DEFAULTS = TarTrees.Limits.defaults();

    @Test
    void defaultLimitsAreTenAndHundredMebibytes() {
        assertThat(DEFAULTS.maxFileBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(DEFAULTS.maxTotalBytes()).isEqualTo(100L * 1024 * 1024);
    }

    @Test
    void roundTripsFilesAndEmptyDirectories() throws Exception {
        SortedMap<String, byte[]> files = new TreeMap<>();
        files.put("output/a.yaml", bytes("a: 1\n"));
        files.put("output/sub/deeper/b.yaml", bytes("b: 2\n"));
        files.put("output/empty.txt", new byte[0]);

        byte[] tar = TarTrees.write(files, Set.of("output/nothing-here"));
        TarTrees.Tree tree = TarTrees.readTree(new ByteArrayInputStream(tar), "output", DEFAULTS);

        assertThat(tree.files()).containsOnlyKeys("a.yaml", "empty.txt", "sub/deeper/b.yaml");
        assertThat(tree.files().get("a.yaml")).isEqualTo(bytes("a: 1\n"));
        assertThat(tree.files().get("sub/deeper/b.yaml")).isEqualTo(bytes("b: 2\n"));
        assertThat(tree.files().get("empty.txt")).isEmpty();
        assertThat(tree.directories()).containsExactly("nothing-here", "sub", "sub/deeper");
        assertThat(tree.totalBytes()).isEqualTo(10);
        assertThat(TarTrees.read(new ByteArrayInputStream(tar), "output", DEFAULTS))
                .containsOnlyKeys("a.yaml", "empty.txt", "sub/deeper/b.yaml");
    }

    @Test
    void writesTheSameBytesForTheSameTree() {
        String longName = "output/" + "very-long-directory-name/".repeat(8) + "file-ü.yaml";
        SortedMap<String, byte[]> files = new TreeMap<>();
        files.put("output/b.yaml", bytes("b"));
        files.put(longName, bytes("long"));
        files.put("output/a.yaml", bytes("a"));
        String userName = System.getProperty("user.name");

        byte[] first = TarTrees.write(files, Set.of("output/x", "output/y"));
        System.setProperty("user.name", "someone-else");
        byte[] second;
        try {
            second = TarTrees.write(new TreeMap<>(files), Set.of("output/y", "output/x"));
        } finally {
            System.setProperty("user.name", userName);
        }

        assertThat(second).isEqualTo(first);
    }

    @Test
    void writesDirectoriesFirstWithFixedOwnerModeAndTime() throws Exception {
        SortedMap<String, byte[]> files = new TreeMap<>();
        files.put("kratix/output/a-b", bytes("x"));
        files.put("kratix/input/object.yaml", bytes("kind: Thing\n"));

        List<TarArchiveEntry> entries = entries(TarTrees.write(files, Set.of("kratix/metadata")));

        assertThat(entries)
                .extracting(TarArchiveEntry::getName)
                .containsExactly(
                        "kratix/",
                        "kratix/input/",
                        "kratix/input/object.yaml",
                        "kratix/metadata/",
                        "kratix/output/",
                        "kratix/output/a-b");
        for (TarArchiveEntry entry : entries) {
            assertThat(entry.getModTime().getTime()).isZero();
            assertThat(entry.getLongUserId()).isZero();
            assertThat(entry.getLongGroupId()).isZero();
            assertThat(entry.getUserName()).isEmpty();
            assertThat(entry.getMode() & 07777).isEqualTo(entry.isDirectory() ? 0755 : 0644);
        }
    }

    @Test
    void writesTheGivenOwner() throws Exception {
        List<TarArchiveEntry> entries =
                entries(TarTrees.write(new TreeMap<>(Map.of("d/f", bytes("x"))), Set.of(), 1000, 2000));

        assertThat(entries).allSatisfy(e -> {
            assertThat(e.getLongUserId()).isEqualTo(1000);
            assertThat(e.getLongGroupId()).isEqualTo(2000);
        });
    }

    @Test
    void placesTreesWithTheirOwnOwnersAndNoEntriesForAncestors() throws Exception {
        TarTrees.Tree kratix = new TarTrees.Tree(
                new TreeMap<>(Map.of("input/object.yaml", bytes("kind: X\n"))), new TreeSet<>(Set.of("output")));
        TarTrees.Tree cache =
                new TarTrees.Tree(new TreeMap<>(Map.of("sub/a.txt", bytes("a"))), new TreeSet<>(Set.of("empty")));

        List<TarArchiveEntry> entries = entries(TarTrees.write(List.of(
                new TarTrees.Placement("tmp/work/cache", cache, 0, 0),
                new TarTrees.Placement("kratix", kratix, 1000, 2000),
                new TarTrees.Placement("data", TarTrees.Tree.empty(), 7, 8))));

        assertThat(entries)
                .extracting(TarArchiveEntry::getName)
                .containsExactly(
                        "data/",
                        "kratix/",
                        "kratix/input/",
                        "kratix/input/object.yaml",
                        "kratix/output/",
                        "tmp/work/cache/",
                        "tmp/work/cache/empty/",
                        "tmp/work/cache/sub/",
                        "tmp/work/cache/sub/a.txt");
        assertThat(entries)
                .extracting(e -> e.getName() + " " + e.getLongUserId() + ":" + e.getLongGroupId())
                .contains("data/ 7:8", "kratix/input/object.yaml 1000:2000", "tmp/work/cache/sub/ 0:0");
    }

    @Test
    void writesEachFileWithItsOwnModeAndKeepsModesInSubtrees() throws Exception {
        TarTrees.Tree creds = new TarTrees.Tree(
                new TreeMap<>(Map.of("db/password", bytes("p"), "username", bytes("u"))),
                new TreeSet<>(),
                new TreeMap<>(Map.of("db/password", 0400)));

        List<TarArchiveEntry> entries = entries(TarTrees.write(List.of(new TarTrees.Placement("creds", creds, 0, 0))));

        assertThat(entries)
                .extracting(e -> e.getName() + " " + Integer.toOctalString(e.getMode()))
                .containsExactly(
                        "creds/ 40755", "creds/db/ 40755", "creds/db/password 100400", "creds/username 100644");
        assertThat(new TarTrees.Tree(creds.files(), new TreeSet<>(Set.of("db")), creds.modes())
                        .subtree("db")
                        .modes())
                .containsExactly(Map.entry("password", 0400));
    }

    @Test
    void writesTheSameBytesForOnePlacementAsForItsTreeBelowThatDirectory() {
        SortedMap<String, byte[]> files = new TreeMap<>(Map.of("a/b.txt", bytes("b")));
        TarTrees.Tree tree = new TarTrees.Tree(files, new TreeSet<>(Set.of("empty")));

        byte[] placed = TarTrees.write(List.of(new TarTrees.Placement("root", tree, 5, 6)));
        byte[] plain =
                TarTrees.write(new TreeMap<>(Map.of("root/a/b.txt", bytes("b"))), Set.of("root", "root/empty"), 5, 6);

        assertThat(placed).isEqualTo(plain);
    }

    @Test
    void refusesOverlappingOrUnnormalisedPlacements() {
        TarTrees.Tree empty = TarTrees.Tree.empty();
        for (List<String> paths : List.of(List.of("a", "a"), List.of("a", "a/b"), List.of("a/b/c", "a/b"))) {
            assertThatThrownBy(() -> TarTrees.write(List.of(
                            new TarTrees.Placement(paths.get(0), empty, 0, 0),
                            new TarTrees.Placement(paths.get(1), empty, 0, 0))))
                    .as(paths.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("overlap");
        }
        assertThat(TarTrees.write(List.of(
                        new TarTrees.Placement("a/b", empty, 0, 0), new TarTrees.Placement("a/bc", empty, 0, 0))))
                .isNotEmpty();
        for (String path : List.of("/abs", "a/../b", "a/", "")) {
            assertThatThrownBy(() -> new TarTrees.Placement(path, empty, 0, 0))
                    .as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesToWriteUnnormalisedOrConflictingPaths() {
        for (String path : List.of("/abs", "a/../b", "./a", "a//b", "a/", "")) {
            assertThatThrownBy(() -> TarTrees.write(new TreeMap<>(Map.of(path, bytes("x"))), Set.of()))
                    .as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        SortedMap<String, byte[]> conflicting = new TreeMap<>(Map.of("a", bytes("x"), "a/b", bytes("y")));
        assertThatThrownBy(() -> TarTrees.write(conflicting, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`a`");
        assertThatThrownBy(() -> TarTrees.write(new TreeMap<>(Map.of("a", bytes("x"))), Set.of("a/b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`a`");
    }

    @Test
    void normalisesDotSegmentsAndDoubleSlashes() throws Exception {
        byte[] tar = tar(out -> {
            directory(out, "./output/");
            file(out, "./output/./a//b.yaml", bytes("b"));
        });

        assertThat(TarTrees.read(new ByteArrayInputStream(tar), "output", DEFAULTS))
                .containsOnlyKeys("a/b.yaml");
    }

    @Test
    void rejectsParentSegments() {
        assertRejected(tar(out -> file(out, "output/../x", bytes("x"))), "output/../x", "`..`");
        assertRejected(tar(out -> file(out, "../x", bytes("x"))), "../x", "`..`");
    }

    @Test
    void rejectsAbsolutePaths() {
        byte[] tar = tar(out -> {
            TarArchiveEntry entry = new TarArchiveEntry("/abs", true);
            entry.setSize(1);
            out.putArchiveEntry(entry);
            out.write(bytes("x"));
            out.closeArchiveEntry();
        });

        assertRejected(tar, "/abs", "absolute");
    }

    @Test
    void rejectsEntriesOutsideTheRoot() {
        assertRejected(tar(out -> file(out, "metadata/x", bytes("x"))), "metadata/x", "outside");
    }

    @Test
    void rejectsSymbolicLinks() {
        byte[] tar = tar(out -> {
            directory(out, "output/");
            TarArchiveEntry link = new TarArchiveEntry("output/link", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        });

        assertRejected(tar, "output/link", "symbolic link");
    }

    @Test
    void rejectsTheRootBeingASymbolicLink() {
        byte[] tar = tar(out -> {
            TarArchiveEntry link = new TarArchiveEntry("output", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        });

        assertRejected(tar, "output", "symbolic link");
    }

    @Test
    void rejectsHardLinks() {
        byte[] tar = tar(out -> {
            file(out, "output/a", bytes("a"));
            TarArchiveEntry link = new TarArchiveEntry("output/hard", TarConstants.LF_LINK);
            link.setLinkName("output/a");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        });

        assertRejected(tar, "output/hard", "hard link");
    }

    @Test
    void rejectsCharacterDevices() {
        byte[] tar = tar(out -> special(out, "output/null", TarConstants.LF_CHR));

        assertRejected(tar, "output/null", "device");
    }

    @Test
    void rejectsBlockDevicesAndFifos() {
        assertRejected(tar(out -> special(out, "output/sda", TarConstants.LF_BLK)), "output/sda", "device");
        assertRejected(tar(out -> special(out, "output/pipe", TarConstants.LF_FIFO)), "output/pipe", "FIFO");
    }

    @Test
    void rejectsFilesOverThePerFileLimit() {
        byte[] tar = tar(out -> {
            file(out, "output/small", new byte[10]);
            file(out, "output/big", new byte[11]);
        });

        assertThatThrownBy(() -> TarTrees.read(new ByteArrayInputStream(tar), "output", new TarTrees.Limits(10, 1000)))
                .isInstanceOf(UnsafeOutputException.class)
                .hasMessageContaining("`output/big`")
                .hasMessageContaining("11 bytes")
                .hasMessageContaining("limit of 10 bytes per file")
                .extracting(e -> ((UnsafeOutputException) e).entry())
                .isEqualTo("output/big");
    }

    @Test
    void rejectsTreesOverTheTotalLimit() {
        byte[] tar = tar(out -> {
            file(out, "output/a", new byte[10]);
            file(out, "output/b", new byte[10]);
            file(out, "output/c", new byte[10]);
        });

        assertThatThrownBy(() -> TarTrees.read(new ByteArrayInputStream(tar), "output", new TarTrees.Limits(10, 25)))
                .isInstanceOf(UnsafeOutputException.class)
                .hasMessageContaining("`output/c`")
                .hasMessageContaining("30 bytes")
                .hasMessageContaining("limit of 25 bytes");
    }

    @Test
    void rejectsAFileWhereTheRootDirectoryWasExpected() {
        assertRejected(tar(out -> file(out, "output", bytes("x"))), "output", "directory");
    }

    @Test
    void rejectsDuplicateEntries() {
        byte[] tar = tar(out -> {
            file(out, "output/a", bytes("1"));
            file(out, "output/./a", bytes("2"));
        });

        assertRejected(tar, "output/./a", "twice");
    }

    @Test
    void rejectsAPathThatIsBothFileAndDirectory() {
        byte[] tar = tar(out -> {
            file(out, "output/a", bytes("1"));
            file(out, "output/a/b", bytes("2"));
        });

        assertRejected(tar, "output/a", "directory");
    }

    @Test
    void readsAnEmptyRoot() throws Exception {
        byte[] tar = tar(out -> directory(out, "output/"));

        TarTrees.Tree tree = TarTrees.readTree(new ByteArrayInputStream(tar), "output", DEFAULTS);

        assertThat(tree.files()).isEmpty();
        assertThat(tree.directories()).isEmpty();
    }

    @Test
    void readsOnlyTheChosenDirectoriesAndSplitsThemIntoSubtrees() throws Exception {
        byte[] tar = tar(out -> {
            directory(out, "kratix/");
            directory(out, "kratix/input/");
            // Skipped unread: neither its type nor its size counts against the chosen parts.
            TarArchiveEntry link = new TarArchiveEntry("kratix/input/link", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            file(out, "kratix/input/object.yaml", new byte[60]);
            directory(out, "kratix/metadata/");
            file(out, "kratix/metadata/status.yaml", bytes("a: 1"));
            directory(out, "kratix/output/");
            directory(out, "kratix/output/empty/");
            directory(out, "kratix/output/sub/");
            file(out, "kratix/output/sub/b.yaml", bytes("kind: B"));
        });

        TarTrees.Tree tree = TarTrees.readTree(
                new ByteArrayInputStream(tar), "kratix", Set.of("output", "metadata"), new TarTrees.Limits(50, 50));

        assertThat(tree.files()).containsOnlyKeys("metadata/status.yaml", "output/sub/b.yaml");
        TarTrees.Tree output = tree.subtree("output");
        assertThat(output.files()).containsOnlyKeys("sub/b.yaml");
        assertThat(output.directories()).containsExactly("empty", "sub");
        assertThat(tree.subtree("metadata").files()).containsOnlyKeys("status.yaml");
        assertThat(tree.subtree("absent").files()).isEmpty();
    }

    @Test
    void checksEntriesOfTheChosenDirectories() {
        byte[] tar = tar(out -> {
            directory(out, "kratix/output/");
            TarArchiveEntry link = new TarArchiveEntry("kratix/output/link", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        });

        assertThatThrownBy(() -> TarTrees.readTree(
                        new ByteArrayInputStream(tar), "kratix", Set.of("output", "metadata"), DEFAULTS))
                .isInstanceOf(UnsafeOutputException.class)
                .hasMessageContaining("`kratix/output/link`")
                .hasMessageContaining("symbolic link");
    }

    @Test
    void reportsTruncatedArchives() {
        byte[] tar = tar(out -> file(out, "output/a", new byte[2000]));
        byte[] truncated = java.util.Arrays.copyOf(tar, 1024);

        assertThatThrownBy(() -> TarTrees.read(new ByteArrayInputStream(truncated), "output", DEFAULTS))
                .isInstanceOf(IOException.class);
    }

    private static void assertRejected(byte[] tar, String entry, String reason) {
        assertThatThrownBy(() -> TarTrees.read(new ByteArrayInputStream(tar), "output", DEFAULTS))
                .isInstanceOf(UnsafeOutputException.class)
                .hasMessageContaining("`" + entry + "`")
                .hasMessageContaining(reason)
                .extracting(e -> ((UnsafeOutputException) e).entry())
                .isEqualTo(entry);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private interface TarBody {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static byte[] tar(TarBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(out);
            out.finish();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void directory(TarArchiveOutputStream out, String name) throws IOException {
        out.putArchiveEntry(new TarArchiveEntry(name, TarConstants.LF_DIR));
        out.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream out, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        entry.setSize(content.length);
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
    }

    private static void special(TarArchiveOutputStream out, String name, byte type) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setDevMajor(1);
        entry.setDevMinor(3);
        out.putArchiveEntry(entry);
        out.closeArchiveEntry();
    }

    private static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
