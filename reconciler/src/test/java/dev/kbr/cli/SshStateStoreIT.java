package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.GitWork;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GitStateStore over real SSH: Debian's sshd started by the test on a free port of 127.0.0.1
 * with its own config and host key, logging in the throwaway user {@code kbr-git} (git-shell) by
 * a key made by ssh-keygen at test time; the state repo is a bare repo that user owns. The user
 * and packages come from {@code ci/setup-git-servers}; sshd must be started as root to log in
 * another user.
 */
class SshStateStoreIT {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final String USER = "kbr-git";

    @TempDir
    static Path server;

    private static Process sshd;
    private static int port;
    private static Path repo;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSshd() throws Exception {
        RequiredTools.require("ci/setup-git-servers", SSHD, SSH_KEYGEN, Path.of("/usr/bin/git-shell"));
        RequiredTools.requireRoot("sshd logs in user " + USER);
        RequiredTools.requireUser(USER, "ci/setup-git-servers");
        // sshd reads authorized_keys as the user, and the user must reach the repo.
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxr-xr-x"));
        keygen("ed25519", "host_ed25519");
        keygen("ed25519", "client_ed25519");
        keygen("rsa", "client_rsa");
        keygen("ed25519", "stranger_ed25519");
        keygen("ed25519", "impostor_host_ed25519");
        Files.writeString(
                server.resolve("authorized_keys"),
                Files.readString(server.resolve("client_ed25519.pub"))
                        + Files.readString(server.resolve("client_rsa.pub")));
        repo = server.resolve("repos/state.git");
        Processes.check(server, "git", "init", "-q", "--bare", "-b", "main", repo.toString());
        Processes.check(
                server, "chown", "-R", USER + ":", server.resolve("repos").toString());
        Files.createDirectories(Path.of("/run/sshd"));
        port = dev.kbr.testsupport.HttpsGitServer.freePort();
        Files.writeString(server.resolve("sshd_config"), """
                Port %d
                ListenAddress 127.0.0.1
                HostKey %s/host_ed25519
                PidFile %s/sshd.pid
                AuthorizedKeysFile %s/authorized_keys
                # The temp dir is below /tmp (world-writable): skip the ownership checks on the way.
                StrictModes no
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                AllowUsers %s
                LogLevel VERBOSE
                """.formatted(port, server, server, server, USER));
        sshd = new ProcessBuilder(
                        SSHD.toString(),
                        "-D",
                        "-e",
                        "-f",
                        server.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(server.resolve("sshd.log").toFile())
                .start();
        dev.kbr.testsupport.HttpsGitServer.awaitPort(port, sshd, server.resolve("sshd.log"));
    }

    @AfterAll
    static void stopSshd() throws InterruptedException {
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void appliesOverSshWithTheSecretsKeyAndKnownHostsAndLeaksNoKey() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "ssh");
        String key = Files.readString(server.resolve("client_ed25519"));
        Path secrets = CredentialedPlatform.secretsDir(
                tmp, Map.of("sshPrivateKey", key, "knownHosts", knownHosts("host_ed25519.pub")));

        Processes.Result run = CredentialedPlatform.inProcess(
                "apply",
                "--platform",
                platform.toString(),
                "--secrets-dir",
                secrets.toString(),
                "--pipeline-network",
                "none");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(git("ls-tree", "-r", "--name-only", "main")).contains("clusters/dev/dependencies/");
        String log = Files.readString(server.resolve("sshd.log"));
        assertThat(log).contains("Accepted publickey for " + USER);
        String keyBody = secretLine(key);
        String everything = run.output() + git("grep", "-h", "-e", ".", "main") + log;
        assertThat(everything).doesNotContain(keyBody);
        assertThat(git("grep", "-h", "-e", "PATH=", "main"))
                .as("the pipeline's env was committed")
                .isNotBlank();
        System.out.println("SshStateStoreIT: ed25519 apply exit=0 accepted-logins="
                + log.lines()
                        .filter(l -> l.contains("Accepted publickey for " + USER))
                        .count()
                + " private-key-occurrences=0 commits="
                + git("rev-list", "--count", "main").strip());
    }

    @Test
    void anRsaKeyWorksToo_InTheShippedJar_WithSecretVariables() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "ssh");
        Processes.Result run = CredentialedPlatform.jar(
                tmp,
                Map.of(
                        "KBR_SECRET_DEFAULT_GIT_CREDS_SSHPRIVATEKEY",
                        Files.readString(server.resolve("client_rsa")),
                        "KBR_SECRET_DEFAULT_GIT_CREDS_KNOWNHOSTS",
                        knownHosts("host_ed25519.pub")),
                "plan",
                "--platform",
                platform.toString(),
                "--pipeline-network",
                "none");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(Files.readString(server.resolve("sshd.log")))
                .contains("Accepted publickey for " + USER + " from 127.0.0.1")
                .contains("RSA SHA256:");
    }

    @Test
    void anUnknownHostKeyIsRefusedWithAClearError() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "ssh");
        Path secrets = CredentialedPlatform.secretsDir(
                tmp,
                Map.of(
                        "sshPrivateKey", Files.readString(server.resolve("client_ed25519")),
                        "knownHosts", knownHosts("impostor_host_ed25519.pub")));
        String head = headOrNone();

        Processes.Result run = CredentialedPlatform.inProcess(
                "apply",
                "--platform",
                platform.toString(),
                "--secrets-dir",
                secrets.toString(),
                "--pipeline-network",
                "none");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(Main.ERROR);
        String fingerprint = Processes.check(
                        server,
                        SSH_KEYGEN.toString(),
                        "-l",
                        "-f",
                        server.resolve("host_ed25519.pub").toString())
                .split(" ")[1];
        assertThat(run.output())
                .contains("state store `default`")
                .contains("presented host key [127.0.0.1]:" + port + " ssh-ed25519 " + fingerprint)
                .contains("key `knownHosts` of Secret default/git-creds does not list")
                .doesNotContain("\tat ");
        assertThat(headOrNone()).isEqualTo(head);
        System.out.println("SshStateStoreIT: unknown-host-key exit=" + run.exitCode() + " message: "
                + run.output()
                        .lines()
                        .filter(l -> l.contains("host key"))
                        .findFirst()
                        .orElse(""));
    }

    @Test
    void aWrongPrivateKeyIsRefusedWithAClearError() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "ssh");
        String stranger = Files.readString(server.resolve("stranger_ed25519"));
        Path secrets = CredentialedPlatform.secretsDir(
                tmp, Map.of("sshPrivateKey", stranger, "knownHosts", knownHosts("host_ed25519.pub")));

        Processes.Result run = CredentialedPlatform.inProcess(
                "plan",
                "--platform",
                platform.toString(),
                "--secrets-dir",
                secrets.toString(),
                "--pipeline-network",
                "none");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(Main.ERROR);
        assertThat(run.output())
                .contains("state store `default`")
                .contains("refused the private key in key `sshPrivateKey` of Secret default/git-creds")
                .doesNotContain(secretLine(stranger))
                .doesNotContain("\tat ");
        assertThat(run.output().lines().filter(l -> l.startsWith("Error:")))
                .as("one error line, no stack trace")
                .hasSize(1);
        System.out.println("SshStateStoreIT: wrong-key exit=" + run.exitCode() + " message: "
                + run.output()
                        .lines()
                        .filter(l -> l.contains("sshPrivateKey"))
                        .findFirst()
                        .orElse(""));
    }

    @Test
    void aKeyThatIsNotAKeyIsAClearError() throws Exception {
        Path platform = CredentialedPlatform.write(tmp.resolve("platform"), url(), "ssh");
        Path secrets = CredentialedPlatform.secretsDir(
                tmp, Map.of("sshPrivateKey", "not a key at all", "knownHosts", knownHosts("host_ed25519.pub")));

        Processes.Result run = CredentialedPlatform.inProcess(
                "plan",
                "--platform",
                platform.toString(),
                "--secrets-dir",
                secrets.toString(),
                "--pipeline-network",
                "none");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(Main.ERROR);
        assertThat(run.output())
                .contains("key `sshPrivateKey` of Secret default/git-creds is not an unencrypted OpenSSH or PEM")
                .doesNotContain("not a key at all")
                .doesNotContain("\tat ");
    }

    @Test
    void readsAGitPlatformOverSshWithPlatformSecret() throws Exception {
        // The platform repo is served by the same sshd, as the same user, with the same key.
        Path work = CredentialedPlatform.write(tmp.resolve("platform"), url(), "ssh");
        String commit = GitWork.commitAll(work, "p");
        Path served = GitWork.bareClone(work, server.resolve("repos/platform-" + System.nanoTime() + ".git"));
        Processes.check(server, "chown", "-R", USER + ":", served.toString());
        String platformUrl = "ssh://" + USER + "@127.0.0.1:" + port + served;
        String key = Files.readString(server.resolve("client_ed25519"));
        Path secrets = CredentialedPlatform.secretsDir(
                tmp, Map.of("sshPrivateKey", key, "knownHosts", knownHosts("host_ed25519.pub")));
        String head = headOrNone();

        Processes.Result plan = CredentialedPlatform.inProcess(
                "plan",
                "--platform",
                platformUrl,
                "--platform-ref",
                "main",
                "--platform-secret",
                CredentialedPlatform.SECRET_NAMESPACE + "/" + CredentialedPlatform.SECRET_NAME,
                "--secrets-dir",
                secrets.toString(),
                "--pipeline-network",
                "none");

        assertThat(plan.exitCode()).as(plan.output()).isZero();
        assertThat(plan.output())
                .contains("Platform: " + platformUrl + " at " + commit + " (main)")
                .doesNotContain(secretLine(key));
        assertThat(headOrNone()).as("a plan writes nothing").isEqualTo(head);
    }

    private static String url() {
        return "ssh://" + USER + "@127.0.0.1:" + port + repo;
    }

    /** A known_hosts line for this server with the given host public key. */
    private static String knownHosts(String publicKeyFile) throws Exception {
        String[] parts = Files.readString(server.resolve(publicKeyFile)).strip().split(" ");
        return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n";
    }

    /** A long line from the middle of a private key file: must never be printed. */
    private static String secretLine(String key) {
        List<String> lines = key.lines().toList();
        return lines.get(lines.size() / 2);
    }

    private static void keygen(String type, String name) throws Exception {
        Processes.check(
                server,
                SSH_KEYGEN.toString(),
                "-q",
                "-t",
                type,
                "-N",
                "",
                "-C",
                "kbr-test-" + name,
                "-f",
                server.resolve(name).toString());
    }

    private static String git(String... args) throws Exception {
        // The repo belongs to kbr-git; root reads it with the git CLI.
        List<String> command = new ArrayList<>(List.of("git", "-c", "safe.directory=*", "--git-dir", repo.toString()));
        command.addAll(List.of(args));
        return Processes.check(server, command.toArray(String[]::new));
    }

    private static String headOrNone() throws Exception {
        Processes.Result head = Processes.run(
                server,
                List.of(
                        "git",
                        "-c",
                        "safe.directory=*",
                        "--git-dir",
                        repo.toString(),
                        "rev-parse",
                        "-q",
                        "--verify",
                        "main"));
        return head.exitCode() == 0 ? head.output().strip() : "(none)";
    }
}
