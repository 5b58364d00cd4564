package dev.kbr.cli;

import dev.kbr.execute.Secrets;
import dev.kbr.model.BucketStateStore;
import dev.kbr.model.GitStateStore;
import dev.kbr.model.SecretRef;
import dev.kbr.state.bucket.BucketSettings;
import dev.kbr.state.git.GitCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Reads a BucketStateStore's {@code spec.secretRef} into an access key, and a GitStateStore's {@code spec.secretRef} (or {@code --platform-secret}) into credentials for its {@code spec.authMethod},
 * with the keys Kratix's GitStateStore uses: {@code username} and {@code password} for
 * {@code basicAuth}, {@code sshPrivateKey} and {@code knownHosts} for {@code ssh}, {@code appID},
 * {@code installationID} and {@code privateKey} for {@code githubApp} ({@code util/git/http.go},
 * {@code ssh.go}, {@code github_app.go}). Values come from
 * {@code --secrets-dir} or {@code KBR_SECRET_<NAMESPACE>_<NAME>_<KEY>} variables; a key given as a
 * variable is matched whatever its case. Errors name the store, the Secret and the key, never a
 * value.
 */
final class StateStoreCredentials {
    static final String BASIC_AUTH = "basicAuth";
    static final String SSH = "ssh";
    static final String GITHUB_APP = "githubApp";

    private StateStoreCredentials() {}

    /** {@link #of(GitStateStore, Secrets, URI)} with GitHub's own API for {@code githubApp}, as Kratix. */
    static Optional<GitCredentials> of(GitStateStore store, Secrets secrets) throws IOException {
        return of(store, secrets, GitCredentials.GitHubApp.GITHUB_API_URL);
    }

    /**
     * @param githubApiUrl GitHub's REST API root for {@code githubApp} ({@code --github-api-url})
     * @return the credentials, or empty when the store has no {@code secretRef} (and its method is
     *     not {@code githubApp}, which needs one)
     * @throws IOException when the Secret or one of its keys is missing or malformed, or the auth
     *     method is not supported; the message names the store's file and line, the field, the
     *     Secret and its keys, never a value
     */
    static Optional<GitCredentials> of(GitStateStore store, Secrets secrets, URI githubApiUrl) throws IOException {
        String where = "GitStateStore `" + store.name() + "` (" + store.location() + ")";
        String method = store.authMethod();
        if (!method.equals(BASIC_AUTH) && !method.equals(SSH) && !method.equals(GITHUB_APP)) {
            throw new IOException(where + " has spec.authMethod `" + method
                    + "`, which kbr does not support; use basicAuth (keys username, password), ssh (keys"
                    + " sshPrivateKey, knownHosts) or githubApp (keys appID, installationID, privateKey)");
        }
        if (store.secretRef().isEmpty()) {
            if (method.equals(GITHUB_APP)) {
                throw new IOException(where + " has spec.authMethod githubApp but no spec.secretRef; name the"
                        + " Secret holding the GitHub App's appID, installationID and privateKey");
            }
            return Optional.empty();
        }
        SecretRef ref = store.secretRef().get();
        String naming = where + " names Secret " + ref.namespace() + "/" + ref.name() + " in spec.secretRef";
        if (method.equals(GITHUB_APP)) {
            String about = where + " has spec.authMethod githubApp, but Secret " + ref.namespace() + "/" + ref.name()
                    + " (spec.secretRef)";
            return Optional.of(githubApp(ref, about, secret(ref, naming, secrets), githubApiUrl));
        }
        return Optional.of(read(ref, method, where, secret(ref, naming, secrets)));
    }

    /**
     * Kratix's {@code githubApp} keys ({@code newGithubAppCreds}): every missing key is named at
     * once; {@code appID} and {@code installationID} must be whole numbers, as Kratix's {@code
     * strconv.Atoi} requires. The private key is read later, by the Git adapter.
     */
    private static GitCredentials.GitHubApp githubApp(
            SecretRef ref, String about, SortedMap<String, String> secret, URI apiUrl) throws IOException {
        List<String> keys = List.of("appID", "installationID", "privateKey");
        List<String> missing = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String key : keys) {
            Optional<String> value = value(secret, key);
            if (value.isEmpty()) {
                missing.add(key);
            }
            values.add(value.orElse(""));
        }
        String secretName = ref.namespace() + "/" + ref.name();
        if (!missing.isEmpty()) {
            String env = "KBR_SECRET_" + Secrets.envName(ref.namespace()) + "_" + Secrets.envName(ref.name()) + "_";
            throw new IOException(about + " has no "
                    + (missing.size() == 1 ? "key " : "keys ")
                    + String.join(", ", missing.stream().map(k -> "`" + k + "`").toList())
                    + " (or they are empty); add "
                    + String.join(
                            ", ",
                            missing.stream().map(k -> secretName + "/" + k).toList())
                    + " under --secrets-dir, or set "
                    + String.join(
                            ", ",
                            missing.stream().map(k -> env + Secrets.envName(k)).toList()));
        }
        long appId = number(
                values.get(0),
                about,
                "appID",
                "the GitHub App's numeric App ID, shown"
                        + " on the app's settings page (Kratix does not accept its client ID)");
        long installationId = number(
                values.get(1),
                about,
                "installationID",
                "the number at the"
                        + " end of the URL of the app installation's settings page on the account that owns the repository");
        return new GitCredentials.GitHubApp(appId, installationId, values.get(2), apiUrl, "Secret " + secretName);
    }

    private static long number(String value, String about, String key, String fix) throws IOException {
        try {
            long number = Long.parseLong(value.strip());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(
                about + " has key `" + key + "`, which is not a positive whole number; it must be " + fix);
    }

    /**
     * {@code --github-api-url}: GitHub's REST API root, without a trailing {@code /}.
     *
     * @throws IOException when it is not an {@code https} URL without query or fragment
     */
    static URI githubApiUrl(String option) throws IOException {
        String trimmed = option.strip().replaceAll("/+$", "");
        try {
            URI url = new URI(trimmed);
            if ("https".equalsIgnoreCase(url.getScheme())
                    && url.getHost() != null
                    && url.getRawQuery() == null
                    && url.getRawFragment() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IOException("--github-api-url `" + option + "` is not an https URL; give GitHub's REST API root,"
                + " e.g. https://api.github.com (the default) or https://HOST/api/v3 for GitHub Enterprise Server");
    }

    /**
     * The access key of a BucketStateStore with {@code authMethod: accessKey}: keys {@code
     * accessKeyID} and {@code secretAccessKey} of its {@code spec.secretRef}, as Kratix reads
     * them. Empty for {@code authMethod: IAM}, whose credentials come from the S3 client's standard
     * chain.
     *
     * @throws IOException when the Secret or one of its keys is missing
     */
    static Optional<BucketSettings.AccessKey> of(BucketStateStore store, Secrets secrets) throws IOException {
        if (store.auth().method().equals(BucketStateStore.IAM)) {
            return Optional.empty();
        }
        String where = "BucketStateStore `" + store.name() + "` (" + store.location() + ")";
        if (store.auth().secretRef().isEmpty()) {
            throw new IOException(where + " has authMethod accessKey but no spec.secretRef; name the Secret"
                    + " holding accessKeyID and secretAccessKey, or set authMethod: IAM");
        }
        SecretRef ref = store.auth().secretRef().get();
        String source = "Secret " + ref.namespace() + "/" + ref.name();
        SortedMap<String, String> secret = secret(ref, where + " names " + source + " in spec.secretRef", secrets);
        return Optional.of(new BucketSettings.AccessKey(
                chomp(key(secret, "accessKeyID", where, ref)),
                chomp(key(secret, "secretAccessKey", where, ref)),
                source));
    }

    /**
     * Credentials for the platform repo from {@code --platform-secret NAMESPACE/NAME}: keys
     * {@code sshPrivateKey} and {@code knownHosts} for an ssh URL, {@code username} and {@code
     * password} for https, or for https a GitHub App's {@code appID}, {@code installationID} and
     * {@code privateKey} (the keys of a GitStateStore's {@code githubApp}) when the Secret has an
     * {@code appID} and no {@code username}.
     *
     * @param option the option's value
     * @param ssh true for an {@code ssh://} or {@code user@host:path} URL, false for https
     * @param githubApiUrl GitHub's REST API root, where a GitHub App's installation token is asked for
     * @throws IOException when the value is not NAMESPACE/NAME, or the Secret or a key is missing
     */
    static GitCredentials platform(String option, boolean ssh, Secrets secrets, URI githubApiUrl) throws IOException {
        String[] parts = option.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IOException("--platform-secret `" + option
                    + "` is not NAMESPACE/NAME; name the Secret holding the platform repo's credentials, e.g."
                    + " --platform-secret default/platform-git");
        }
        SecretRef ref = new SecretRef(parts[0], parts[1]);
        String naming = "--platform-secret names Secret " + ref.namespace() + "/" + ref.name();
        SortedMap<String, String> keys = secret(ref, naming, secrets);
        if (!ssh && value(keys, "username").isEmpty() && value(keys, "appID").isPresent()) {
            return githubApp(ref, naming + ", which holds a GitHub App's appID, but it", keys, githubApiUrl);
        }
        return read(ref, ssh ? SSH : BASIC_AUTH, "--platform-secret", keys);
    }

    /** {@code basicAuth} or {@code ssh} credentials from the keys of Secret {@code ref}. */
    private static GitCredentials read(SecretRef ref, String method, String where, SortedMap<String, String> secret)
            throws IOException {
        String source = "Secret " + ref.namespace() + "/" + ref.name();
        if (method.equals(SSH)) {
            return new GitCredentials.SshKey(
                    key(secret, "sshPrivateKey", where, ref), key(secret, "knownHosts", where, ref), source);
        }
        // A file written with `echo` ends in a line break that is not part of the value.
        return new GitCredentials.BasicAuth(
                chomp(key(secret, "username", where, ref)), chomp(key(secret, "password", where, ref)), source);
    }

    /**
     * The Secret's keys.
     *
     * @param naming what names the Secret, for the message when it was not given
     * @throws IOException when no such Secret was given, saying where to put it
     */
    private static SortedMap<String, String> secret(SecretRef ref, String naming, Secrets secrets) throws IOException {
        return secrets.secret(ref.namespace(), ref.name())
                .orElseThrow(() -> new IOException(naming + ", but no such Secret was given; "
                        + "put its keys in files DIR/" + ref.namespace() + "/" + ref.name() + "/<key> and pass "
                        + "--secrets-dir DIR, or set KBR_SECRET_" + Secrets.envName(ref.namespace()) + "_"
                        + Secrets.envName(ref.name()) + "_<KEY>"));
    }

    /**
     * {@code --ca-file}, else {@code $GIT_SSL_CAINFO}, else none.
     *
     * @throws IOException when the file named does not exist
     */
    static Optional<Path> caFile(Path option, Map<String, String> environment) throws IOException {
        Path file = option;
        String from = "--ca-file";
        if (file == null) {
            String env = environment.get("GIT_SSL_CAINFO");
            if (env == null || env.isBlank()) {
                return Optional.empty();
            }
            file = Path.of(env);
            from = "GIT_SSL_CAINFO";
        }
        if (!Files.isReadable(file)) {
            throw new IOException("CA file " + file + " (" + from
                    + ") does not exist or cannot be read; give a PEM file of CA certificates");
        }
        return Optional.of(file);
    }

    private static String chomp(String value) {
        return value.endsWith("\r\n")
                ? value.substring(0, value.length() - 2)
                : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }

    private static String key(Map<String, String> secret, String key, String where, SecretRef ref) throws IOException {
        Optional<String> value = value(secret, key);
        if (value.isEmpty()) {
            throw new IOException(where + " uses Secret " + ref.namespace() + "/" + ref.name()
                    + ", which has no key `" + key + "` (or it is empty); add the file " + ref.namespace() + "/"
                    + ref.name() + "/" + key + " under --secrets-dir, or set KBR_SECRET_"
                    + Secrets.envName(ref.namespace()) + "_" + Secrets.envName(ref.name()) + "_"
                    + Secrets.envName(key));
        }
        return value.get();
    }

    /** The key's value, unless missing or blank. */
    private static Optional<String> value(Map<String, String> secret, String key) {
        String value = secret.get(key);
        if (value == null) {
            // A key from an environment variable lost its case (KBR_SECRET_..._SSHPRIVATEKEY).
            value = secret.entrySet().stream()
                    .filter(e -> Secrets.envName(e.getKey()).equals(Secrets.envName(key)))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
