package dev.kbr.state.git;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * The host keys of a GitStateStore's {@code knownHosts} Secret key, held in memory: a server key
 * is accepted only when a line for the host (and port) lists exactly that key, whatever
 * {@code StrictHostKeyChecking} would say. Nothing is ever added: an unknown or changed host key
 * fails the connection, and the key the server offered is kept for the error message.
 */
final class KnownHostsDatabase implements ServerKeyDatabase {
    private static final int DEFAULT_SSH_PORT = 22;
    private static final String REVOKED = "revoked";

    private final List<KnownHostEntry> entries;
    private volatile Optional<String> rejected = Optional.empty();

    private KnownHostsDatabase(List<KnownHostEntry> entries) {
        this.entries = entries;
    }

    /**
     * @param knownHosts OpenSSH {@code known_hosts} text
     * @throws IOException when no line can be read as a host key
     */
    static KnownHostsDatabase parse(String knownHosts) throws IOException {
        List<KnownHostEntry> entries;
        try {
            entries = KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(knownHosts)));
        } catch (IOException | RuntimeException e) {
            throw new IOException("it is not OpenSSH known_hosts text (" + e.getMessage() + ")", e);
        }
        if (entries.isEmpty()) {
            throw new IOException("it holds no host key line");
        }
        return new KnownHostsDatabase(List.copyOf(entries));
    }

    /**
     * The host, port, type and SHA-256 fingerprint of the last server key that was refused, e.g.
     * {@code [127.0.0.1]:2222 ssh-ed25519 SHA256:…}.
     */
    Optional<String> rejected() {
        return rejected;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        List<PublicKey> keys = new ArrayList<>();
        for (KnownHostEntry entry : matching(connectAddress, remoteAddress)) {
            if (!REVOKED.equals(entry.getMarker())) {
                key(entry).ifPresent(keys::add);
            }
        }
        return keys;
    }

    @Override
    public boolean accept(
            String connectAddress,
            InetSocketAddress remoteAddress,
            PublicKey serverKey,
            Configuration config,
            CredentialsProvider provider) {
        boolean listed = false;
        for (KnownHostEntry entry : matching(connectAddress, remoteAddress)) {
            Optional<PublicKey> key = key(entry);
            if (key.isPresent() && KeyUtils.compareKeys(key.get(), serverKey)) {
                if (REVOKED.equals(entry.getMarker())) {
                    listed = false;
                    break;
                }
                listed = true;
            }
        }
        if (!listed) {
            rejected = Optional.of(
                    connectAddress + " " + KeyUtils.getKeyType(serverKey) + " " + KeyUtils.getFingerPrint(serverKey));
        }
        return listed;
    }

    // Lines for the name the URL gave and for the address actually reached, as OpenSSH checks both
    // (CheckHostIP).
    private List<KnownHostEntry> matching(String connectAddress, InetSocketAddress remoteAddress) {
        Set<String> hosts = new LinkedHashSet<>();
        int port = DEFAULT_SSH_PORT;
        String host = connectAddress;
        if (host.startsWith("[")) {
            int close = host.indexOf("]:");
            if (close > 0) {
                port = Integer.parseInt(host.substring(close + 2));
                host = host.substring(1, close);
            }
        }
        hosts.add(host);
        if (remoteAddress != null && remoteAddress.getAddress() != null) {
            hosts.add(remoteAddress.getAddress().getHostAddress());
        }
        List<KnownHostEntry> found = new ArrayList<>();
        for (KnownHostEntry entry : entries) {
            for (String candidate : hosts) {
                if (entry.isHostMatch(candidate, port)) {
                    found.add(entry);
                    break;
                }
            }
        }
        return found;
    }

    private static Optional<PublicKey> key(KnownHostEntry entry) {
        try {
            return Optional.ofNullable(
                    entry.getKeyEntry() == null
                            ? null
                            : entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING));
        } catch (IOException | GeneralSecurityException e) {
            // A line whose key cannot be decoded vouches for nothing.
            return Optional.empty();
        }
    }
}
