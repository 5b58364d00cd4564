package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.load.PlatformSource;
import dev.kbr.model.PlatformOrigin;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.FileChange;
import dev.kbr.state.StoreLocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SavedPlanTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripsEveryKindOfChange() throws Exception {
        byte[] yaml = "kind: ConfigMap\n".getBytes(StandardCharsets.UTF_8);
        SavedPlan plan = new SavedPlan(
                PlatformOrigin.git("https://user:secret@git.example.com/p.git", "main", "a".repeat(40)),
                "git:" + "a".repeat(40),
                List.of(new SavedPlan.Store(
                        new StoreLocation(
                                "default", "GitStateStore", "https://git.example.com/state.git", Optional.of("main")),
                        Optional.of("b".repeat(40)),
                        new ChangeSet(List.of(
                                new FileChange.Added("w/resources/a.yaml", yaml, "id-a"),
                                new FileChange.Added("w/resources/b-empty.yaml", new byte[0], "id-empty"),
                                new FileChange.Modified("w/resources/m.yaml", "old", yaml, "id-m"),
                                new FileChange.Deleted("w/resources/d.yaml", "old-d"))),
                        new TreeMap<>(Map.of("w/", "worker")))),
                List.of("redis/default/example resource.configure instance"));
        Path file = tmp.resolve("plan.json");
        plan.write(file);

        assertThat(Files.readString(file)).doesNotContain("secret").contains(SavedPlan.API_VERSION);
        SavedPlan read = SavedPlan.read(file);
        assertThat(read.fingerprint()).isEqualTo(plan.fingerprint());
        assertThat(read.platform().commit()).isEqualTo(plan.platform().commit());
        SavedPlan.Store store = read.stores().get(0);
        assertThat(store.baseVersion()).contains("b".repeat(40));
        assertThat(store.location()).isEqualTo(plan.stores().get(0).location());
        assertThat(store.destinationRoots()).containsEntry("w/", "worker");
        List<FileChange> changes = store.changes().changes();
        assertThat(changes).hasSize(4);
        assertThat(((FileChange.Added) changes.get(0)).content()).isEqualTo(yaml);
        assertThat(((FileChange.Added) changes.get(1)).content()).isEmpty();
        assertThat(((FileChange.Added) changes.get(1)).contentId()).isEqualTo("id-empty");
        // Sorted by path, as every ChangeSet.
        assertThat(changes.get(2)).isInstanceOf(FileChange.Deleted.class);
        assertThat(changes.get(3)).isInstanceOf(FileChange.Modified.class);
        assertThat(read.dryRunPipelines()).containsExactly("redis/default/example resource.configure instance");
    }

    @Test
    void aStoreWithoutBranchesRoundTripsWithItsVersionAndNoBranch() throws Exception {
        StoreLocation bucket = new StoreLocation("minio-store", "BucketStateStore", "s3://kratix/", Optional.empty());
        SavedPlan plan = new SavedPlan(
                PlatformOrigin.folder("p"),
                "sha256:x",
                List.of(new SavedPlan.Store(bucket, Optional.empty(), new ChangeSet(List.of()), new TreeMap<>())),
                List.of());
        Path file = tmp.resolve("plan.json");
        plan.write(file);

        assertThat(Files.readString(file)).doesNotContain("branch", "Commit");
        assertThat(SavedPlan.read(file).dryRunPipelines()).isEmpty();
        SavedPlan.Store read = SavedPlan.read(file).stores().get(0);
        assertThat(read.location()).isEqualTo(bucket);
        assertThat(read.baseVersion()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kbr.dev/saved-plan/v1", "kbr.dev/saved-plan/v2"})
    void aPlanOfAnEarlierFormatWhichDidNotRecordItsDryRunsIsRefusedWithWhatToDo(String apiVersion) throws Exception {
        Path file = tmp.resolve("old.json");
        Files.writeString(file, "{\"apiVersion\": \"" + apiVersion + "\", \"kind\": \"SavedPlan\"}");
        assertThatThrownBy(() -> SavedPlan.read(file))
                .isInstanceOf(SavedPlan.InvalidPlanException.class)
                .hasMessageContaining(apiVersion)
                .hasMessageContaining("run kbr plan --out again");
    }

    @Test
    void anEditedFileIsRefused() throws Exception {
        SavedPlan plan = new SavedPlan(PlatformOrigin.folder("p"), "sha256:x", List.of(), List.of());
        Path file = tmp.resolve("plan.json");
        plan.write(file);
        Files.writeString(file, Files.readString(file).replace("sha256:x", "sha256:y"));
        assertThatThrownBy(() -> SavedPlan.read(file))
                .isInstanceOf(SavedPlan.InvalidPlanException.class)
                .hasMessageContaining("was changed after kbr plan wrote it");
        Files.writeString(file, "not json");
        assertThatThrownBy(() -> SavedPlan.read(file)).hasMessageContaining("is not a saved plan (not JSON");
    }

    @Test
    void aFolderFingerprintFollowsEveryFileButHiddenOnes() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("platform"));
        Files.writeString(root.resolve("promise.yaml"), "kind: Promise\n");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/index"), "1");
        String first = PlatformSource.folder(root).fingerprint();

        Files.writeString(root.resolve(".git/index"), "2");
        assertThat(PlatformSource.folder(root).fingerprint()).isEqualTo(first);

        Files.writeString(root.resolve("README.md"), "notes\n");
        String withReadme = PlatformSource.folder(root).fingerprint();
        assertThat(withReadme).isNotEqualTo(first).startsWith("sha256:");

        Files.writeString(root.resolve("promise.yaml"), "kind: Promise \n");
        assertThat(PlatformSource.folder(root).fingerprint()).isNotEqualTo(withReadme);
    }
}
