package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kbr.model.GitStateStore;
import dev.kbr.model.SecretRef;
import dev.kbr.model.SourceLocation;
import dev.kbr.state.git.GitCredentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitStateStore spec.secretRef read from a secrets folder and KBR_SECRET_ variables. */
class StateStoreCredentialsTest {
    @TempDir
    Path tmp;

    private static GitStateStore store(String authMethod, Optional<SecretRef> ref) {
        return new GitStateStore(
                "default",
                "https://git.example.test/state.git",
                "",
                "main",
                ref,
                authMethod,
                "kratix",
                "",
                new SourceLocation("state-stores/default.yaml", 0, 1));
    }

    @Test
    void basicAuthFromFilesDropsTheTrailingLineBreak() throws Exception {
        Path secret = Files.createDirectories(tmp.resolve("default/git-creds"));
        Files.writeString(secret.resolve("username"), "bot\n");
        Files.writeString(secret.resolve("password"), "pa55\n");

        GitCredentials credentials = StateStoreCredentials.of(
                        store("basicAuth", Optional.of(new SecretRef("default", "git-creds"))),
                        new MountedSecrets(Optional.of(tmp), Map.of()))
                .orElseThrow();

        assertThat(credentials).isEqualTo(new GitCredentials.BasicAuth("bot", "pa55", "Secret default/git-creds"));
    }

    @Test
    void sshKeysFromVariablesMatchTheirKeyWhateverTheCase() throws Exception {
        GitCredentials credentials = StateStoreCredentials.of(
                        store("ssh", Optional.of(new SecretRef("platform", "git-ssh"))),
                        new MountedSecrets(
                                Optional.empty(),
                                Map.of(
                                        "KBR_SECRET_PLATFORM_GIT_SSH_SSHPRIVATEKEY", "KEY",
                                        "KBR_SECRET_PLATFORM_GIT_SSH_KNOWNHOSTS", "HOSTS")))
                .orElseThrow();

        assertThat(credentials).isEqualTo(new GitCredentials.SshKey("KEY", "HOSTS", "Secret platform/git-ssh"));
    }

    @Test
    void noSecretRefMeansNoCredentials() throws Exception {
        assertThat(StateStoreCredentials.of(store("basicAuth", Optional.empty()), Secrets0.NONE))
                .isEmpty();
    }

    @Test
    void missingSecretMissingKeyAndUnsupportedMethodNameWhatToFix() {
        Optional<SecretRef> ref = Optional.of(new SecretRef("default", "git-creds"));
        assertThatThrownBy(() -> StateStoreCredentials.of(store("basicAuth", ref), Secrets0.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("GitStateStore `default` (state-stores/default.yaml")
                .hasMessageContaining("names Secret default/git-creds in spec.secretRef, but no such Secret was given");
        assertThatThrownBy(() -> StateStoreCredentials.of(
                        store("ssh", ref),
                        new MountedSecrets(Optional.empty(), Map.of("KBR_SECRET_DEFAULT_GIT_CREDS_KNOWNHOSTS", "x"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has no key `sshPrivateKey`")
                .hasMessageContaining("KBR_SECRET_DEFAULT_GIT_CREDS_SSHPRIVATEKEY");
        assertThatThrownBy(() -> StateStoreCredentials.of(store("oauth", ref), Secrets0.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("spec.authMethod `oauth`, which kbr does not support")
                .hasMessageContaining("githubApp (keys appID, installationID, privateKey)");
    }

    @Test
    void githubAppKeysFromFilesAndVariablesWithTheApiGiven() throws Exception {
        Path secret = Files.createDirectories(tmp.resolve("default/github-app"));
        Files.writeString(secret.resolve("appID"), "1234567\n");
        Files.writeString(secret.resolve("privateKey"), "-----BEGIN RSA PRIVATE KEY-----\n...\n");
        URI enterprise = URI.create("https://github.example.test/api/v3");

        GitCredentials credentials = StateStoreCredentials.of(
                        store("githubApp", Optional.of(new SecretRef("default", "github-app"))),
                        new MountedSecrets(
                                Optional.of(tmp), Map.of("KBR_SECRET_DEFAULT_GITHUB_APP_INSTALLATIONID", "89012345")),
                        enterprise)
                .orElseThrow();

        assertThat(credentials)
                .isEqualTo(new GitCredentials.GitHubApp(
                        1234567,
                        89012345,
                        "-----BEGIN RSA PRIVATE KEY-----\n...\n",
                        enterprise,
                        "Secret default/github-app"));
    }

    @Test
    void githubAppNamesEveryMissingKeyAtOnceWithWhereTheStoreIs() throws Exception {
        Path secret = Files.createDirectories(tmp.resolve("default/github-app"));
        Files.writeString(secret.resolve("appID"), "1234567");
        Files.writeString(secret.resolve("installationID"), " \n");

        assertThatThrownBy(() -> StateStoreCredentials.of(
                        store("githubApp", Optional.of(new SecretRef("default", "github-app"))),
                        new MountedSecrets(Optional.of(tmp), Map.of())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("GitStateStore `default` (state-stores/default.yaml:1) has spec.authMethod"
                        + " githubApp, but Secret default/github-app (spec.secretRef) has no keys `installationID`,"
                        + " `privateKey` (or they are empty)")
                .hasMessageContaining(
                        "default/github-app/installationID, default/github-app/privateKey under" + " --secrets-dir")
                .hasMessageContaining(
                        "KBR_SECRET_DEFAULT_GITHUB_APP_INSTALLATIONID, KBR_SECRET_DEFAULT_GITHUB_APP_PRIVATEKEY");
    }

    @Test
    void githubAppIdsMustBeNumbersAndItNeedsASecretRef() throws Exception {
        Path secret = Files.createDirectories(tmp.resolve("default/github-app"));
        Files.writeString(secret.resolve("appID"), "Iv23liClientId");
        Files.writeString(secret.resolve("installationID"), "42");
        Files.writeString(secret.resolve("privateKey"), "KEY");
        MountedSecrets secrets = new MountedSecrets(Optional.of(tmp), Map.of());

        assertThatThrownBy(() -> StateStoreCredentials.of(
                        store("githubApp", Optional.of(new SecretRef("default", "github-app"))), secrets))
                .hasMessageContaining("Secret default/github-app (spec.secretRef) has key `appID`, which is not a"
                        + " positive whole number; it must be the GitHub App's numeric App ID")
                .hasMessageNotContaining("Iv23liClientId");
        assertThatThrownBy(() -> StateStoreCredentials.of(store("githubApp", Optional.empty()), secrets))
                .hasMessageContaining("GitStateStore `default` (state-stores/default.yaml:1) has spec.authMethod"
                        + " githubApp but no spec.secretRef");
    }

    @Test
    void githubApiUrlMustBeHttpsAndLosesATrailingSlash() throws Exception {
        assertThat(StateStoreCredentials.githubApiUrl("https://github.example.test/api/v3/"))
                .isEqualTo(URI.create("https://github.example.test/api/v3"));
        assertThat(StateStoreCredentials.githubApiUrl("https://api.github.com"))
                .isEqualTo(GitCredentials.GitHubApp.GITHUB_API_URL);
        assertThatThrownBy(() -> StateStoreCredentials.githubApiUrl("http://127.0.0.1:8080"))
                .hasMessageContaining("--github-api-url `http://127.0.0.1:8080` is not an https URL");
    }

    @Test
    void caFileOptionWinsOverGitSslCaInfo() throws Exception {
        Path option = Files.writeString(tmp.resolve("a.pem"), "x");
        Path env = Files.writeString(tmp.resolve("b.pem"), "x");

        assertThat(StateStoreCredentials.caFile(option, Map.of("GIT_SSL_CAINFO", env.toString())))
                .contains(option);
        assertThat(StateStoreCredentials.caFile(null, Map.of("GIT_SSL_CAINFO", env.toString())))
                .contains(env);
        assertThat(StateStoreCredentials.caFile(null, Map.of())).isEmpty();
        assertThatThrownBy(() -> StateStoreCredentials.caFile(null, Map.of("GIT_SSL_CAINFO", "/nonexistent/ca.pem")))
                .hasMessageContaining("CA file /nonexistent/ca.pem (GIT_SSL_CAINFO) does not exist");
    }

    private static final class Secrets0 {
        static final dev.kbr.execute.Secrets NONE = dev.kbr.execute.Secrets.none();
    }

    @Test
    void thePlatformSecretOfAnHttpsRepoMayHoldAGitHubAppsKeysInsteadOfAUserAndPassword() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("default/platform-app"));
        Files.writeString(app.resolve("appID"), "123\n");
        Files.writeString(app.resolve("privateKey"), "KEY");
        Path user = Files.createDirectories(tmp.resolve("default/platform-user"));
        Files.writeString(user.resolve("username"), "alice");
        Files.writeString(user.resolve("password"), "pw");
        MountedSecrets secrets = new MountedSecrets(Optional.of(tmp), Map.of());
        URI api = URI.create("https://github.example.com/api/v3");

        assertThatThrownBy(() -> StateStoreCredentials.platform("default/platform-app", false, secrets, api))
                .hasMessage("--platform-secret names Secret default/platform-app, which holds a GitHub App's appID,"
                        + " but it has no key `installationID` (or they are empty); add"
                        + " default/platform-app/installationID under --secrets-dir, or set"
                        + " KBR_SECRET_DEFAULT_PLATFORM_APP_INSTALLATIONID");
        Files.writeString(app.resolve("installationID"), "42");
        assertThat(StateStoreCredentials.platform("default/platform-app", false, secrets, api))
                .isEqualTo(new GitCredentials.GitHubApp(123, 42, "KEY", api, "Secret default/platform-app"));
        assertThat(StateStoreCredentials.platform("default/platform-user", false, secrets, api))
                .isInstanceOf(GitCredentials.BasicAuth.class);
        assertThatThrownBy(() -> StateStoreCredentials.platform("default/platform-app", true, secrets, api))
                .as("ssh reads only ssh keys")
                .hasMessageContaining("sshPrivateKey");
    }
}
