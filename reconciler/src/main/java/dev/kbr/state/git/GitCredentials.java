package dev.kbr.state.git;

import java.util.Objects;

/**
 * How kbr proves who it is to a Git state store's remote: the two methods of Kratix's
 * GitStateStore {@code spec.authMethod}, with values already read from the store's
 * {@code spec.secretRef}. {@code toString()} never shows a password or key.
 */
public sealed interface GitCredentials {
    /**
     * Where the values came from, for messages, e.g. {@code Secret default/git-creds}; never a
     * value.
     */
    String source();

    /**
     * Kratix's {@code basicAuth}: HTTP(S) basic authentication with the Secret's {@code username}
     * and {@code password} keys (a GitHub or GitLab token goes in {@code password}).
     *
     * @param username the {@code username} key
     * @param password the {@code password} key
     * @param source where they came from, for messages
     */
    record BasicAuth(String username, String password, String source) implements GitCredentials {
        public BasicAuth {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String toString() {
            return "BasicAuth[username=" + username + ", password=***, source=" + source + "]";
        }
    }

    /**
     * Kratix's {@code ssh}: public key authentication with the Secret's {@code sshPrivateKey} (an
     * unencrypted OpenSSH or PEM private key), and the server's host keys from its
     * {@code knownHosts} (OpenSSH {@code known_hosts} lines, hashed or not). Only those host keys
     * are trusted: no {@code ~/.ssh}, no agent, no host key is ever accepted on first use.
     *
     * @param privateKey the {@code sshPrivateKey} key
     * @param knownHosts the {@code knownHosts} key
     * @param source where they came from, for messages
     */
    record SshKey(String privateKey, String knownHosts, String source) implements GitCredentials {
        public SshKey {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(knownHosts, "knownHosts");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String toString() {
            return "SshKey[privateKey=***, knownHosts=(" + knownHosts.lines().count() + " lines), source=" + source
                    + "]";
        }
    }
}
