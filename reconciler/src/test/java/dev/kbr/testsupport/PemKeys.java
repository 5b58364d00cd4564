package dev.kbr.testsupport;

import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/** Key pairs made at test time and their private keys as PEM text, as a Secret would hold them. */
public final class PemKeys {
    private PemKeys() {}

    /** A new key pair of {@code algorithm} ({@code RSA} is 2048 bits, as GitHub's app keys). */
    public static KeyPair generate(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSA")) {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    /** PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), what GitHub's download of an app key holds. */
    public static String pkcs1(KeyPair pair) throws IOException {
        return pem(pair);
    }

    /** SEC1 ({@code BEGIN EC PRIVATE KEY}) for an EC pair, as {@code openssl ecparam -genkey} writes. */
    public static String sec1(KeyPair pair) throws IOException {
        return pem(pair);
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}), as {@code openssl pkcs8 -topk8 -nocrypt} writes. */
    public static String pkcs8(KeyPair pair) throws IOException {
        return pem(new JcaPKCS8Generator(pair.getPrivate(), null));
    }

    /** Encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}) with {@code password}. */
    public static String encryptedPkcs8(KeyPair pair, String password) throws IOException, OperatorCreationException {
        return pem(new JcaPKCS8Generator(
                pair.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                        .setProvider(new BouncyCastleProvider())
                        .setPassword(password.toCharArray())
                        .build()));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
