package dev.kbr.state.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.state.ChangeSet;
import dev.kbr.state.ContentId;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.FileChange;
import dev.kbr.state.StateSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TreeDiffTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String id(String s) {
        return ContentId.of(utf8(s));
    }

    private static DesiredFile bytes(String s) {
        return new DesiredFile.Bytes(utf8(s));
    }

    private static final Map<String, String> TEXT = Map.of(
            "w/same.yaml", "same",
            "w/changed.yaml", "old",
            "w/gone.yaml", "gone",
            "w/theirs.yaml", "theirs",
            "v/kept-here.yaml", "kept",
            ".kbr/works/old.json", "rec");

    /** The paths read through the snapshot's reader, to show what the diff had to read. */
    private final List<String> reads = new ArrayList<>();

    private StateSnapshot current() {
        TreeMap<String, String> files = new TreeMap<>();
        TEXT.forEach((path, text) -> files.put(path, id(text)));
        return new StateSnapshot(Optional.of("v1"), files, (path, contentId) -> {
            reads.add(path);
            return utf8(TEXT.get(path));
        });
    }

    @Test
    void addsChangesAndPrunesOnlyWhatKbrOwns() throws IOException {
        var desired = new TreeMap<String, DesiredFile>(Map.of(
                "w/same.yaml", bytes("same"),
                "w/changed.yaml", bytes("new"),
                "w/added.yaml", bytes("added"),
                "v/kept-here.yaml", new DesiredFile.Existing(id("kept")),
                "w/kept.yaml", new DesiredFile.Existing(id("kept"))));
        ChangeSet changes = TreeDiff.diff(current(), desired, Set.of("w/gone.yaml", "w/same.yaml"), Set.of(".kbr/"));
        assertThat(changes.changes())
                .extracting(c -> c.getClass().getSimpleName() + " " + c.path())
                .containsExactly(
                        "Deleted .kbr/works/old.json",
                        "Added w/added.yaml",
                        "Modified w/changed.yaml",
                        "Deleted w/gone.yaml",
                        "Added w/kept.yaml");
        FileChange.Added kept = (FileChange.Added) changes.changes().get(4);
        assertThat(kept.content()).asString(StandardCharsets.UTF_8).isEqualTo("kept");
        assertThat(kept.contentId()).isEqualTo(id("kept"));
        // Kept content is read by path from the file that holds it, and only where it must move.
        assertThat(reads).containsExactly("v/kept-here.yaml");
    }

    @Test
    void keptContentThatNoFileHoldsIsAnErrorNotAnEmptyFile() {
        var desired = new TreeMap<String, DesiredFile>(Map.of("w/lost.yaml", new DesiredFile.Existing(id("lost"))));
        assertThatThrownBy(() -> TreeDiff.diff(current(), desired, Set.of(), Set.of(".kbr/")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(id("lost"))
                .hasMessageContaining("v1");
    }

    @Test
    void identicalTreesGiveNoChanges() throws IOException {
        var desired = new TreeMap<String, DesiredFile>(Map.of("w/same.yaml", bytes("same")));
        assertThat(TreeDiff.diff(current(), desired, Set.of("w/same.yaml"), Set.of(".none/"))
                        .isEmpty())
                .isTrue();
        assertThat(reads).isEmpty();
    }

    @Test
    void prunesFilesNoOneRecordedUnderAFolderKbrReplacesAsAWhole() throws IOException {
        var desired = new TreeMap<String, DesiredFile>(Map.of("w/same.yaml", bytes("same")));
        ChangeSet changes = TreeDiff.diff(current(), desired, Set.of(), Set.of(".kbr/", "w/"));
        assertThat(changes.changes())
                .extracting(c -> c.getClass().getSimpleName() + " " + c.path())
                .containsExactly(
                        "Deleted .kbr/works/old.json",
                        "Deleted w/changed.yaml",
                        "Deleted w/gone.yaml",
                        "Deleted w/theirs.yaml");
        // A folder is matched on whole path segments: "v/" does not own "v/kept-here.yaml"'s sibling "vv/".
        assertThat(TreeDiff.diff(current(), desired, Set.of(), Set.of("v/kept")).changes())
                .isEmpty();
    }
}
