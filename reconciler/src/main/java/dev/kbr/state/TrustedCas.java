package dev.kbr.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CAs a state store's https connections trust: the JDK's plus those of a PEM file, for Git
 * remotes and S3 endpoints behind a private CA.
 */
public final class TrustedCas {
    private TrustedCas() {}

    /**
     * Trust managers that accept what the JDK's own CAs accept plus the certificates of {@code
     * caFile}.
     *
     * @param caFile PEM certificates ({@code --ca-file} or {@code GIT_SSL_CAINFO})
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static TrustManager[] trustManagers(Path caFile) throws IOException {
        Collection<? extends Certificate> cas;
        try (InputStream in = Files.newInputStream(caFile)) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | CertificateException e) {
            throw new IOException(
                    "CA file " + caFile
                            + " (--ca-file, or GIT_SSL_CAINFO for Git remotes) cannot be read as PEM certificates: "
                            + e.getMessage(),
                    e);
        }
        if (cas.isEmpty()) {
            throw new IOException(
                    "CA file " + caFile + " (--ca-file, or GIT_SSL_CAINFO for Git remotes) holds no certificate");
        }
        try {
            // The JDK's own CAs stay trusted: git's GIT_SSL_CAINFO replaces its CA bundle, but a
            // private CA for one store should not cut kbr off from stores on public hosts.
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            List<X509Certificate> all = new ArrayList<>();
            for (TrustManager manager : defaults.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    all.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            for (Certificate ca : cas) {
                all.add((X509Certificate) ca);
            }
            for (int i = 0; i < all.size(); i++) {
                store.setCertificateEntry("ca-" + i, all.get(i));
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(store);
            return combined.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("CA file " + caFile + " could not be added to the trusted CAs: " + e.getMessage(), e);
        }
    }
}
