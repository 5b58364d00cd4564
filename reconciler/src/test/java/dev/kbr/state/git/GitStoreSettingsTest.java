package dev.kbr.state.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.model.GitStateStore;
import dev.kbr.model.SourceLocation;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GitStoreSettingsTest {

    @Test
    void defaultsToKratixAuthorATemporaryScratchDirectoryAndNoCredentials() {
        GitStoreSettings settings = GitStoreSettings.of("default", "git://127.0.0.1/state.git", "main");

        assertThat(settings.authorName()).isEqualTo("kratix");
        assertThat(settings.authorEmail()).isEmpty();
        assertThat(settings.scratchDirectory()).isEmpty();
        assertThat(settings.credentials()).isEmpty();
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void takesNameUrlBranchAndAuthorFromAGitStateStore() {
        GitStateStore store = new GitStateStore(
                "default",
                "https://example.invalid/state.git",
                "clusters",
                "flux",
                Optional.empty(),
                "basicAuth",
                "Platform Bot",
                "bot@example.com",
                SourceLocation.of("test"));

        GitStoreSettings settings = GitStoreSettings.from(store);

        assertThat(settings.name()).isEqualTo("default");
        assertThat(settings.url()).isEqualTo("https://example.invalid/state.git");
        assertThat(settings.branch()).isEqualTo("flux");
        assertThat(settings.authorName()).isEqualTo("Platform Bot");
        assertThat(settings.authorEmail()).isEqualTo("bot@example.com");
    }

    @Test
    void reportsEveryInvalidFieldAtOnce() {
        assertThatThrownBy(() -> new GitStoreSettings(
                        " ", "", "bad..branch", null, null, Optional.empty(), Duration.ZERO, Optional.empty(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name must not be blank")
                .hasMessageContaining("url must not be blank")
                .hasMessageContaining("branch `bad..branch` is not a valid Git branch name")
                .hasMessageContaining("authorName must not be null")
                .hasMessageContaining("authorEmail must not be null")
                .hasMessageContaining("timeout must be between 1 second")
                .hasMessageContaining("trustedCaFile must not be null");
    }

    @Test
    void neverPrintsAPasswordOrPrivateKey() {
        GitStoreSettings basic = GitStoreSettings.of("default", "https://example.invalid/state.git", "main")
                .withCredentials(new GitCredentials.BasicAuth("bot", "pa55word", "Secret default/git"));
        GitStoreSettings ssh = GitStoreSettings.of("default", "ssh://git@example.invalid/state.git", "main")
                .withCredentials(new GitCredentials.SshKey(
                        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n",
                        "host ssh-ed25519 AAAA",
                        "Secret x/y"));

        assertThat(basic.toString()).doesNotContain("pa55word").contains("BasicAuth from Secret default/git");
        assertThat(basic.credentials().orElseThrow().toString())
                .doesNotContain("pa55word")
                .contains("bot");
        assertThat(ssh.toString() + ssh.credentials().orElseThrow())
                .doesNotContain("b3BlbnNzaC1rZXk")
                .contains("SshKey from Secret x/y");
    }

    @Test
    void neverPrintsAPasswordInTheUrl() {
        GitStoreSettings settings =
                GitStoreSettings.of("default", "https://user:s3cret@example.invalid/state.git", "main");

        assertThat(settings.displayUrl()).isEqualTo("https://user:***@example.invalid/state.git");
        assertThat(settings.toString()).doesNotContain("s3cret").contains("user:***@");
        assertThat(GitStoreSettings.of("d", "git@example.invalid:org/state.git", "main")
                        .displayUrl())
                .isEqualTo("git@example.invalid:org/state.git");
    }
}
