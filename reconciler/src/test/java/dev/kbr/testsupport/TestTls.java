package dev.kbr.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A test CA and a server certificate for {@code 127.0.0.1} signed by it, made by openssl (from
 * {@code ci/setup-git-servers}) as PEM files, for the HTTPS servers of the tests: the {@link #ca()}
 * file is what a client passes as {@code --ca-file}.
 *
 * @param ca the CA's certificate
 * @param certificate the server's certificate (subject alternative name IP 127.0.0.1)
 * @param key the server's unencrypted private key
 */
public record TestTls(Path ca, Path certificate, Path key) {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    /** Makes the CA and server certificate in {@code dir}, valid for two days. */
    public static TestTls create(Path dir) throws Exception {
        RequiredTools.require("ci/setup-git-servers", OPENSSL);
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=kbr test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem");
        openssl(
                dir,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                "server.key",
                "-out",
                "server.csr");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "server.pem");
        return new TestTls(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"));
    }

    /** A server-side TLS context presenting {@link #certificate()} and its chain to the CA. */
    public SSLContext serverContext() throws Exception {
        PrivateKey privateKey;
        try (Reader in = Files.newBufferedReader(key);
                PEMParser parser = new PEMParser(in)) {
            Object parsed = parser.readObject();
            PrivateKeyInfo info =
                    parsed instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) parsed;
            privateKey = new JcaPEMKeyConverter().getPrivateKey(info);
        }
        List<Certificate> chain = new ArrayList<>();
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (Path file : List.of(certificate, ca)) {
            try (InputStream in = Files.newInputStream(file)) {
                chain.add(x509.generateCertificate(in));
            }
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("server", privateKey, password, chain.toArray(Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        Processes.check(dir, command.toArray(String[]::new));
    }
}
