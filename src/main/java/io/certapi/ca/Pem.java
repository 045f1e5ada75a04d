package io.certapi.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** PEM encoding and decoding of certificates and keys. */
public final class Pem {

    private Pem() {
    }

    /** PEM of one or more objects (certificates, keys). */
    public static String encode(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        }
        return out.toString();
    }

    /** A private key as unencrypted PKCS#8 PEM ("PRIVATE KEY"), which OpenSSL and Vert.x read. */
    public static String privateKey(PrivateKey key) {
        try {
            return encode(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("PKCS#8 encoding failed", e);
        }
    }

    /** Every certificate in a PEM text. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certs = new ArrayList<>();
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    certs.add(conv.getCertificate(h));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("unreadable certificate PEM", e);
        }
        return certs;
    }

    /**
     * A key of the JDK's own providers, whichever are registered: BouncyCastle's keys call
     * themselves "ECDSA", which JSSE refuses to pair with an "EC" certificate in a handshake.
     */
    private static PrivateKey jdkKey(PrivateKeyInfo info) throws IOException,
            java.security.GeneralSecurityException {
        String algorithm = info.getPrivateKeyAlgorithm().getAlgorithm().equals(
                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey) ? "EC" : "RSA";
        return java.security.KeyFactory.getInstance(algorithm).generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(info.getEncoded()));
    }

    /** The first private key in a PEM text, as a key of the JDK's providers. */
    public static PrivateKey privateKey(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return jdkKey(info);
                }
                if (o instanceof PEMKeyPair kp) {
                    return jdkKey(kp.getPrivateKeyInfo());
                }
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("unreadable key PEM", e);
        }
        throw new IllegalStateException("no private key in PEM");
    }
}
