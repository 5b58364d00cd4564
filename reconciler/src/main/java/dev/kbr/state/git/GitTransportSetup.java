package dev.kbr.state.git;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory2;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * What one store's transports need besides the URL: basic-auth credentials, an SSH session
 * factory that knows only the Secret's key and host keys, a GitHub App's installation tokens, and
 * an HTTPS trust store with the {@code --ca-file} CA added to the JDK's. Built on first use, closed with the store. Also turns
 * authentication and trust failures into advice naming the Secret and its key.
 */
final class GitTransportSetup implements AutoCloseable {
    /** What to do when a server wants credentials and a state store has none. */
    static final String STATE_STORE_CREDENTIALS_HINT = "set spec.secretRef on the GitStateStore to a Secret with keys"
            + " `username` and `password` (authMethod basicAuth), given with --secrets-dir or"
            + " KBR_SECRET_<NAMESPACE>_<NAME>_<KEY>";

    private final Optional<GitCredentials> credentials;
    private final Optional<Path> trustedCaFile;
    private final String credentialsHint;
    private final Optional<HttpConnectionFactory2> https;
    private final Optional<Ssh> ssh;
    private final Optional<GitHubAppTokens> githubApp;

    /**
     * What an {@code ssh} store's transports share.
     *
     * @param factory sessions that know only the Secret's key and host keys
     * @param knownHosts the Secret's host keys, which remember a key they refused
     * @param clientKey the client key's type and fingerprint, for messages
     */
    private record Ssh(SshdSessionFactory factory, KnownHostsDatabase knownHosts, String clientKey) {}

    private GitTransportSetup(
            Optional<GitCredentials> credentials,
            Optional<Path> trustedCaFile,
            String credentialsHint,
            Optional<HttpConnectionFactory2> https,
            Optional<Ssh> ssh,
            Optional<GitHubAppTokens> githubApp) {
        this.credentials = credentials;
        this.trustedCaFile = trustedCaFile;
        this.credentialsHint = credentialsHint;
        this.https = https;
        this.ssh = ssh;
        this.githubApp = githubApp;
    }

    /**
     * @throws IOException when the CA file, private key or known hosts cannot be used; the message
     *     says which and where it came from, never a value
     */
    static GitTransportSetup create(GitStoreSettings settings) throws IOException {
        return create(
                settings.credentials(), settings.trustedCaFile(), STATE_STORE_CREDENTIALS_HINT, settings.timeout());
    }

    /**
     * The setup for any remote (a state store, the platform repo).
     *
     * @param credentials how to authenticate, if at all
     * @param trustedCaFile a PEM file of CAs trusted for https besides the JDK's
     * @param credentialsHint what to do when the server asks for credentials and none were given
     * @param timeout how long a GitHub App's token request may take
     * @throws IOException when the CA file, private key or known hosts cannot be used
     */
    static GitTransportSetup create(
            Optional<GitCredentials> credentials,
            Optional<Path> trustedCaFile,
            String credentialsHint,
            Duration timeout)
            throws IOException {
        Optional<HttpConnectionFactory2> https = Optional.empty();
        if (trustedCaFile.isPresent()) {
            https = Optional.of(
                    new TrustingConnectionFactory(dev.kbr.state.TrustedCas.trustManagers(trustedCaFile.get())));
        }
        if (credentials.orElse(null) instanceof GitCredentials.SshKey key) {
            KeyPair pair = keyPair(key);
            KnownHostsDatabase hosts;
            try {
                hosts = KnownHostsDatabase.parse(key.knownHosts());
            } catch (IOException e) {
                throw new IOException(
                        "key `knownHosts` of " + key.source() + " cannot be used: " + e.getMessage()
                                + "; put the server's host key lines there (e.g. from `ssh-keyscan -p PORT HOST`)",
                        e);
            }
            List<KeyPair> keys = List.of(pair);
            // JGit needs a home directory, but nothing is read from it or its .ssh: the config,
            // default keys, identity files and known hosts are all replaced below.
            File home = FS.DETECTED.userHome() != null ? FS.DETECTED.userHome() : new File("/");
            SshdSessionFactory factory = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(home)
                    .setSshDirectory(new File(home, ".ssh"))
                    .setConfigStoreFactory((homeDir, file, user) -> null)
                    .setDefaultIdentities(dir -> List.of())
                    .setDefaultKnownHostsFiles(dir -> List.of())
                    .setDefaultKeysProvider(dir -> keys)
                    .setServerKeyDatabase((homeDir, dir) -> hosts)
                    // No SSH agent and no password prompts: the Secret's key or nothing.
                    .setConnectorFactory(null)
                    .setPreferredAuthentications("publickey")
                    .build(null);
            String clientKey = KeyUtils.getKeyType(pair.getPublic()) + " " + KeyUtils.getFingerPrint(pair.getPublic());
            return new GitTransportSetup(
                    credentials,
                    trustedCaFile,
                    credentialsHint,
                    https,
                    Optional.of(new Ssh(factory, hosts, clientKey)),
                    Optional.empty());
        }
        Optional<GitHubAppTokens> githubApp = Optional.empty();
        if (credentials.orElse(null) instanceof GitCredentials.GitHubApp app) {
            githubApp = Optional.of(GitHubAppTokens.create(app, trustedCaFile, timeout));
        }
        return new GitTransportSetup(credentials, trustedCaFile, credentialsHint, https, Optional.empty(), githubApp);
    }

    /**
     * Gives the transport this store's credentials, SSH factory and HTTPS trust. For a GitHub App
     * and an http(s) remote, that is an installation token, asked of GitHub's API when there is
     * none or it expires soon.
     *
     * @throws IOException when GitHub's API gives no token; the message says why and what to do
     */
    void configure(Transport transport) throws IOException {
        if (credentials.orElse(null) instanceof GitCredentials.BasicAuth basic) {
            transport.setCredentialsProvider(
                    new UsernamePasswordCredentialsProvider(basic.username(), basic.password()));
        }
        // Only an http(s) remote takes the token: a store moved to a local path with --state-url
        // must not need GitHub's API.
        if (githubApp.isPresent() && transport instanceof TransportHttp) {
            transport.setCredentialsProvider(new UsernamePasswordCredentialsProvider(
                    GitHubAppTokens.USERNAME, githubApp.get().token()));
        }
        if (transport instanceof SshTransport sshTransport && ssh.isPresent()) {
            sshTransport.setSshSessionFactory(ssh.get().factory());
        }
        if (transport instanceof TransportHttp http && https.isPresent()) {
            http.setHttpConnectionFactory(https.get());
        }
    }

    /**
     * What to do about a failure, when it is an authentication or trust failure: a sentence
     * naming the Secret and key (or the CA option) to fix, else empty.
     */
    Optional<String> advice(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GitHubAppTokens.Failure) {
                // Its message already says what GitHub's API answered and what to do.
                return Optional.empty();
            }
        }
        String text = messages(failure).toLowerCase(java.util.Locale.ROOT);
        Optional<KnownHostsDatabase> knownHosts = ssh.map(Ssh::knownHosts);
        if (knownHosts.isPresent() && knownHosts.get().rejected().isPresent()) {
            return Optional.of("the SSH server presented host key "
                    + knownHosts.get().rejected().get() + ", which key `knownHosts` of "
                    + credentials.get().source() + " does not list; if that is the right server, add its key line "
                    + "(e.g. from `ssh-keyscan -p PORT HOST`) to knownHosts");
        }
        if (credentials.orElse(null) instanceof GitCredentials.SshKey key
                && (text.contains("auth") || text.contains("no more authentication methods"))) {
            return Optional.of("the SSH server refused the private key in key `sshPrivateKey` of " + key.source()
                    + " (" + ssh.map(Ssh::clientKey).orElse("?")
                    + "); add its public key to the server's authorized keys "
                    + "(or the repository's deploy keys), or put the right key in the Secret");
        }
        if (isTrustFailure(failure) || text.contains("ssl problems") || text.contains("pkix path")) {
            return Optional.of("the server's TLS certificate is not signed by a CA this machine trusts; pass "
                    + "--ca-file PATH (or set GIT_SSL_CAINFO) with the PEM certificate of the CA that signed it"
                    + trustedCaFile
                            .map(f -> " (" + f + " is in use but did not sign it)")
                            .orElse(""));
        }
        boolean refused =
                text.contains("not authorized") || text.contains("authentication is required") || text.contains("401");
        if (refused && credentials.orElse(null) instanceof GitCredentials.BasicAuth basic) {
            return Optional.of("the server refused username `" + basic.username() + "` with the password from "
                    + basic.source() + " (keys `username` and `password`, HTTP 401); correct them in the Secret");
        }
        if ((refused || text.contains("403 forbidden") || text.contains("not permitted")) && githubApp.isPresent()) {
            GitCredentials.GitHubApp app = githubApp.get().app();
            return Optional.of("the server refused the installation token of GitHub App " + app.appId()
                    + " (installation " + app.installationId() + ", " + app.source() + "); the installation must"
                    + " include this repository, and the app needs the Contents permission (Read and write to push)");
        }
        if (refused && credentials.isEmpty()) {
            return Optional.of("the server requires credentials; " + credentialsHint);
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        ssh.ifPresent(s -> s.factory().close());
    }

    private static KeyPair keyPair(GitCredentials.SshKey key) throws IOException {
        String what = "key `sshPrivateKey` of " + key.source();
        Iterable<KeyPair> pairs;
        try {
            pairs = keyPairs(key.privateKey(), what);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IOException(
                    what + " is not an unencrypted OpenSSH or PEM private key ("
                            + e.getClass().getSimpleName()
                            + "); put the private key file's text there, without a passphrase",
                    e);
        }
        if (pairs == null || !pairs.iterator().hasNext()) {
            throw new IOException(what + " is not an unencrypted OpenSSH or PEM private key (no key found); put the"
                    + " private key file's text there, without a passphrase");
        }
        return pairs.iterator().next();
    }

    /**
     * The key pairs in a private key's text (OpenSSH, PEM PKCS#1 or PKCS#8), read with Apache MINA
     * SSHD's parsers and no password provider, so an encrypted key fails instead of prompting.
     *
     * @param what the key's name in messages
     * @return the pairs, possibly none
     */
    static Iterable<KeyPair> keyPairs(String text, String what) throws IOException, GeneralSecurityException {
        try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
            return SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(what), in, null);
        }
    }

    private static boolean isTrustFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException
                    || t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getClass().getSimpleName())
                    .append(": ")
                    .append(t.getMessage())
                    .append('\n');
        }
        return text.toString();
    }

    /**
     * JGit's JDK connections, with HTTPS verified against the JDK's CAs plus the CA file. When
     * Git config says {@code http.sslVerify=false}, JGit's own behaviour applies unchanged.
     */
    private static final class TrustingConnectionFactory implements HttpConnectionFactory2 {
        private final JDKHttpConnectionFactory jdk = new JDKHttpConnectionFactory();
        private final TrustManager[] trust;

        TrustingConnectionFactory(TrustManager[] trust) {
            this.trust = trust;
        }

        @Override
        public HttpConnection create(URL url) throws IOException {
            return jdk.create(url);
        }

        @Override
        public HttpConnection create(URL url, Proxy proxy) throws IOException {
            return jdk.create(url, proxy);
        }

        @Override
        public GitSession newSession() {
            GitSession fallback = jdk.newSession();
            return new GitSession() {
                @Override
                public HttpConnection configure(HttpConnection connection, boolean sslVerify)
                        throws IOException, GeneralSecurityException {
                    if (!sslVerify || !"https".equals(connection.getURL().getProtocol())) {
                        return fallback.configure(connection, sslVerify);
                    }
                    connection.configure(null, trust, null);
                    return connection;
                }

                @Override
                public void close() {
                    fallback.close();
                }
            };
        }
    }
}
