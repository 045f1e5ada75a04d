package io.certapi.ca;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * A signing certificate with its key.
 *
 * @param certificate the CA certificate
 * @param key         its private key
 */
public record Issuer(X509Certificate certificate, PrivateKey key) {

    /** Hex SHA-256 of the certificate's DER, naming this issuer in storage. */
    public String id() {
        return idOf(certificate);
    }

    /** Hex SHA-256 of a certificate's DER. */
    public static String idOf(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex SHA-256 of a public key's SPKI encoding: the id of a CA key in storage. */
    public static String keyIdOf(java.security.PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate as PEM. */
    public String pem() {
        return Pem.encode(certificate);
    }

    @Override
    public String toString() {
        return certificate.getSubjectX500Principal().getName() + " (until "
                + certificate.getNotAfter().toInstant() + ")";
    }
}
