package dev.kbr.safety;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.testsupport.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StateTrees#assertComplete} is what the crash and concurrency tests rely on to call a
 * remote sound, so it must fail on each kind of hole a killed push could leave: an object a ref
 * reaches that is gone, a ref pointing at nothing, a stale lock. Built with the real {@code git}.
 */
class StateTreesTest {
    @TempDir
    Path tmp;

    private Path remote;

    @BeforeEach
    void twoCommits() throws Exception {
        remote = tmp.resolve("state.git");
        Path work = tmp.resolve("work");
        Processes.check(tmp, "git", "init", "-q", "--bare", "-b", "main", remote.toString());
        Processes.check(tmp, "git", "init", "-q", "-b", "main", work.toString());
        for (int i = 1; i <= 2; i++) {
            Files.writeString(work.resolve("file-" + i + ".yaml"), "value: " + i + "\n");
            Processes.check(work, "git", "add", "-A");
            Processes.check(
                    work, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "c" + i);
        }
        // A push of fewer objects than transfer.unpackLimit (100) lands as loose objects, so one
        // can be removed on its own.
        Processes.check(work, "git", "push", "-q", remote.toString(), "main");
    }

    @Test
    void aSoundRemotePasses() {
        assertThatCode(() -> StateTrees.assertComplete(remote)).doesNotThrowAnyException();
    }

    @Test
    void aMissingBlobFails() throws Exception {
        String blob = StateTrees.git(remote, "rev-parse", "main:file-1.yaml").strip();
        removeObject(blob);
        assertThatThrownBy(() -> StateTrees.assertComplete(remote)).hasMessageContaining(blob.substring(0, 7));
    }

    @Test
    void aMissingParentCommitFails() throws Exception {
        String parent = StateTrees.git(remote, "rev-parse", "main^").strip();
        removeObject(parent);
        assertThatThrownBy(() -> StateTrees.assertComplete(remote)).hasMessageContaining(parent.substring(0, 7));
    }

    @Test
    void aRefToAnAbsentCommitFails() throws Exception {
        Files.writeString(remote.resolve("refs/heads/main"), "0d7c3918".repeat(5) + "\n");
        assertThatThrownBy(() -> StateTrees.assertComplete(remote)).isInstanceOf(AssertionError.class);
    }

    @Test
    void aStaleRefLockFails() throws Exception {
        Files.writeString(remote.resolve("refs/heads/main.lock"), "");
        assertThatThrownBy(() -> StateTrees.assertComplete(remote)).hasMessageContaining("main.lock");
    }

    private void removeObject(String id) throws Exception {
        Path loose = remote.resolve("objects").resolve(id.substring(0, 2)).resolve(id.substring(2));
        Files.delete(loose);
    }
}
