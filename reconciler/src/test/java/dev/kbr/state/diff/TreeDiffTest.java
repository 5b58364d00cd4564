package dev.kbr.state.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.state.ChangeSet;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.FileChange;
import dev.kbr.state.StateSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TreeDiffTest {
    private static String id(byte[] b) {
        return "id-" + new String(b, StandardCharsets.UTF_8);
    }

    private static DesiredFile bytes(String s) {
        return new DesiredFile.Bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final StateSnapshot CURRENT = new StateSnapshot(
            Optional.of("abc"),
            new TreeMap<>(Map.of(
                    "w/same.yaml", "id-same",
                    "w/changed.yaml", "id-old",
                    "w/gone.yaml", "id-gone",
                    "w/theirs.yaml", "id-theirs",
                    ".kbr/works/old.json", "id-rec")),
            id -> new byte[0]);

    @Test
    void addsChangesAndPrunesOnlyWhatKbrOwns() {
        var desired = new TreeMap<String, DesiredFile>(Map.of(
                "w/same.yaml", bytes("same"),
                "w/changed.yaml", bytes("new"),
                "w/added.yaml", bytes("added"),
                "w/kept.yaml", new DesiredFile.Existing("id-kept")));
        ChangeSet changes =
                TreeDiff.diff(CURRENT, desired, Set.of("w/gone.yaml", "w/same.yaml"), ".kbr/", TreeDiffTest::id);
        assertThat(changes.changes())
                .extracting(c -> c.getClass().getSimpleName() + " " + c.path())
                .containsExactly(
                        "Deleted .kbr/works/old.json",
                        "Added w/added.yaml",
                        "Modified w/changed.yaml",
                        "Deleted w/gone.yaml",
                        "Added w/kept.yaml");
        FileChange.Added kept = (FileChange.Added) changes.changes().get(4);
        assertThat(kept.content()).isEmpty();
        assertThat(kept.contentId()).isEqualTo("id-kept");
    }

    @Test
    void identicalTreesGiveNoChanges() {
        var desired = new TreeMap<String, DesiredFile>(Map.of("w/same.yaml", bytes("same")));
        assertThat(TreeDiff.diff(CURRENT, desired, Set.of("w/same.yaml"), ".none/", TreeDiffTest::id)
                        .isEmpty())
                .isTrue();
    }
}
