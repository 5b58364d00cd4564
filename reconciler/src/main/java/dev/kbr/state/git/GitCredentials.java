package dev.kbr.state.git;

import java.net.URI;
import java.util.Objects;

/**
 * How kbr proves who it is to a Git state store's remote: the three methods of Kratix's
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

    /**
     * Kratix's {@code githubApp} ({@code util/git/github_app.go}): a GitHub App's installation
     * token, obtained from GitHub's REST API with a JSON Web Token signed by the app's private key,
     * sent over HTTPS as user {@code x-access-token} with the token as password. The Secret's keys
     * are {@code appID}, {@code installationID} and {@code privateKey}.
     *
     * @param appId the {@code appID} key: the app's numeric ID, the JWT's {@code iss}
     * @param installationId the {@code installationID} key: the app's installation on the account
     *     that owns the repository
     * @param privateKey the {@code privateKey} key: the PEM RSA private key GitHub generated for
     *     the app (PKCS#1 {@code BEGIN RSA PRIVATE KEY} or PKCS#8 {@code BEGIN PRIVATE KEY})
     * @param apiUrl GitHub's REST API root without a trailing {@code /}: {@link #GITHUB_API_URL}
     *     (Kratix's only choice) unless {@code --github-api-url} names a GitHub Enterprise Server's
     * @param source where the keys came from, for messages
     */
    record GitHubApp(long appId, long installationId, String privateKey, URI apiUrl, String source)
            implements GitCredentials {
        /** The API root Kratix always uses. */
        public static final URI GITHUB_API_URL = URI.create("https://api.github.com");

        /**
         * @throws IllegalArgumentException when an id is not positive or the API URL is not an
         *     absolute {@code https} URL without query or fragment
         */
        public GitHubApp {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(apiUrl, "apiUrl");
            Objects.requireNonNull(source, "source");
            if (appId <= 0 || installationId <= 0) {
                throw new IllegalArgumentException("appID and installationID must be positive numbers");
            }
            if (!"https".equalsIgnoreCase(apiUrl.getScheme())
                    || apiUrl.getHost() == null
                    || apiUrl.getRawQuery() != null
                    || apiUrl.getRawFragment() != null) {
                throw new IllegalArgumentException(
                        "the GitHub API URL must be an https URL without query, not " + apiUrl);
            }
        }

        @Override
        public String toString() {
            return "GitHubApp[appId=" + appId + ", installationId=" + installationId + ", privateKey=***, apiUrl="
                    + apiUrl + ", source=" + source + "]";
        }
    }
}
