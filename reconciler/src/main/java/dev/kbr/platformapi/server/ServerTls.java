package dev.kbr.platformapi.server;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * One server's TLS identity: a CA made for it alone and a server certificate the CA signs for
 * {@code 127.0.0.1}, {@code ::1}, {@code localhost} and the bind host. Keys are ECDSA P-256 (fast
 * to make; Go, Python and Java clients all accept them). The CA key signs once, here, and is then
 * dropped: it is never stored, written or returned, so no other certificate can ever chain to a CA
 * a pipeline was told to trust.
 *
 * @param sslContext the server's context (its key and the chain server, CA)
 * @param caCertificatePem the CA certificate that clients trust, PEM
 */
record ServerTls(SSLContext sslContext, String caCertificatePem) {
    /** A pass lasts minutes; a day leaves room for clocks a little apart and long passes. */
    private static final Duration VALIDITY = Duration.ofDays(1);

    private static final String SIGNATURE = "SHA256withECDSA";

    /** Makes a CA and a server certificate for {@code bindHost}. */
    static ServerTls create(String bindHost) {
        try {
            SecureRandom random = new SecureRandom();
            Issuer issuer = new Issuer(new X500Name("CN=kbr platform API CA"), keyPair(random), Instant.now(), random);
            X509Certificate ca = issuer.sign(issuer.name(), issuer.keys().getPublic(), null);
            KeyPair serverKeys = keyPair(random);
            X509Certificate server = issuer.sign(
                    new X500Name("CN=kbr platform API"), serverKeys.getPublic(), subjectAlternativeNames(bindHost));
            return new ServerTls(context(serverKeys.getPrivate(), server, ca, random), pem(ca));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Tried to make the platform API's TLS certificates but " + e, e);
        }
    }

    private static KeyPair keyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    /** The CA while it signs; it lives only as long as {@link #create}. */
    private record Issuer(X500Name name, KeyPair keys, Instant now, SecureRandom random) {
        /**
         * @param serverNames the server certificate's names, {@code null} to make the CA's own
         */
        X509Certificate sign(X500Name subject, PublicKey subjectKey, GeneralNames serverNames)
                throws GeneralSecurityException, OperatorCreationException, CertIOException {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(127, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(VALIDITY)),
                    subject,
                    subjectKey);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            boolean isCa = serverNames == null;
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(keys.getPublic()));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(Extension.subjectAlternativeName, false, serverNames);
            }
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        }
    }

    private static GeneralNames subjectAlternativeNames(String bindHost) {
        Set<String> addresses = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        Set<String> dnsNames = new LinkedHashSet<>(List.of("localhost"));
        if (isAddress(bindHost)) {
            addresses.add(bindHost);
        } else {
            dnsNames.add(bindHost);
        }
        List<GeneralName> names = new ArrayList<>();
        addresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address)));
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** Whether {@code host} is an IP literal; never resolves a name. */
    private static boolean isAddress(String host) {
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static SSLContext context(PrivateKey key, X509Certificate server, X509Certificate ca, SecureRandom random)
            throws GeneralSecurityException, IOException {
        // In memory only; PKCS12 stores want some password.
        char[] password = "kbr".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, password, new Certificate[] {server, ca});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, random);
        return context;
    }

    private static String pem(X509Certificate certificate) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        }
        return out.toString();
    }
}
