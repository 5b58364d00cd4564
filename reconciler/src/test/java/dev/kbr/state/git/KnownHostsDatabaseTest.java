package dev.kbr.state.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;

/** The in-memory known_hosts check: exact host and port, hashed lines, revoked keys, nothing else. */
class KnownHostsDatabaseTest {
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 2222);

    private final PublicKey server = newKey();
    private final PublicKey other = newKey();

    @Test
    void acceptsOnlyTheListedKeyForThatHostAndPort() throws Exception {
        KnownHostsDatabase db = KnownHostsDatabase.parse("# comment\n[127.0.0.1]:2222 " + line(server) + "\n");

        assertThat(db.accept("[127.0.0.1]:2222", REMOTE, server, null, null)).isTrue();
        assertThat(db.rejected()).isEmpty();
        assertThat(db.accept("[127.0.0.1]:2222", REMOTE, other, null, null)).isFalse();
        assertThat(db.rejected().orElseThrow()).startsWith("[127.0.0.1]:2222 ecdsa-sha2-nistp256 SHA256:");
        // The same key on another port is another server.
        assertThat(db.accept("[127.0.0.1]:2223", new InetSocketAddress("127.0.0.1", 2223), server, null, null))
                .isFalse();
        assertThat(db.lookup("[127.0.0.1]:2222", REMOTE, null)).containsExactly(server);
    }

    @Test
    void readsHashedHostNamesAsOpenSshWritesThem() throws Exception {
        byte[] salt = new byte[20];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (i * 7);
        }
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal("[git.example.test]:2222".getBytes(StandardCharsets.US_ASCII));
        String hashed = "|1|" + Base64.getEncoder().encodeToString(salt) + "|"
                + Base64.getEncoder().encodeToString(hash);
        KnownHostsDatabase db = KnownHostsDatabase.parse(hashed + " " + line(server) + "\n");

        assertThat(db.accept("[git.example.test]:2222", REMOTE, server, null, null))
                .isTrue();
        assertThat(db.accept("[other.example.test]:2222", new InetSocketAddress("127.0.0.2", 2222), server, null, null))
                .isFalse();
    }

    @Test
    void aRevokedKeyIsRefusedEvenWhenAlsoListed() throws Exception {
        KnownHostsDatabase db = KnownHostsDatabase.parse(
                "[127.0.0.1]:2222 " + line(server) + "\n@revoked [127.0.0.1]:2222 " + line(server) + "\n");

        assertThat(db.accept("[127.0.0.1]:2222", REMOTE, server, null, null)).isFalse();
        assertThat(db.lookup("[127.0.0.1]:2222", REMOTE, null)).containsExactly(server);
    }

    @Test
    void textWithoutHostKeysIsRejected() {
        assertThatThrownBy(() -> KnownHostsDatabase.parse("# nothing here\n\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no host key line");
    }

    private static String line(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    private static PublicKey newKey() {
        try {
            // ECDSA: sshd encodes the JDK's EC keys itself (its Ed25519 support needs its own keys).
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair().getPublic();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
