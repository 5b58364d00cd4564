package dev.kbr.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOwnerTest {
    @Test
    void labelsRoundTripAndOddLabelsAreNotOwners() {
        RunOwner me = RunOwner.current();
        assertThat(me.label()).matches("[^:]+:\\d+:\\d+");
        assertThat(RunOwner.parseLabel(me.label())).contains(me);
        assertThat(RunOwner.parseLabel(null)).isEmpty();
        assertThat(RunOwner.parseLabel("true")).isEmpty();
        assertThat(RunOwner.parseLabel("host:12:x")).isEmpty();
        assertThat(RunOwner.parseLabel("host:99999999999999999999:1")).isEmpty();
    }

    @Test
    void aLiveProcessIsNotDeadAnExitedOneAndAReusedPidAre() throws Exception {
        RunOwner me = RunOwner.current();
        assertThat(me.isDeadOnThisHost()).isFalse();
        Process child = new ProcessBuilder("true").start();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new RunOwner(me.host(), child.pid(), 1).isDeadOnThisHost()).isTrue();
        // The parent of this JVM is alive, but did not start at this time: its pid was "reused".
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        assertThat(new RunOwner(me.host(), parent, 1).isDeadOnThisHost()).isTrue();
        // Another host's process cannot be judged from here.
        assertThat(new RunOwner("elsewhere", child.pid(), 1).isDeadOnThisHost()).isFalse();
    }

    @Test
    void sweepingDeletesOnlyFoldersOfDeadKbrProcesses(@TempDir Path tmp) throws Exception {
        Process child = new ProcessBuilder("true").start();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        RunOwner me = RunOwner.current();
        Path dead = Files.createDirectories(tmp.resolve(TempFolders.PREFIX + child.pid() + "-1-git-store-1"));
        Files.writeString(Files.createDirectories(dead.resolve("objects/ab")).resolve("cd"), "x");
        Path live = Files.createDirectories(
                tmp.resolve(TempFolders.PREFIX + me.pid() + "-" + me.startMillis() + "-git-store-2"));
        Path other = Files.createDirectories(tmp.resolve("kbr-git-store-3"));

        List<Path> deleted = TempFolders.sweep(tmp);

        assertThat(deleted).containsExactly(dead);
        assertThat(dead).doesNotExist();
        assertThat(live).isDirectory();
        assertThat(other).isDirectory();
    }

    @Test
    void newFoldersNameTheirOwner() throws Exception {
        Path created = TempFolders.create("unit");
        try {
            assertThat(TempFolders.owner(created.getFileName().toString())).contains(RunOwner.current());
            assertThat(created.getFileName().toString()).startsWith(TempFolders.PREFIX);
        } finally {
            Files.delete(created);
        }
    }
}
