package io.certapi.ca;

import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Certificates for tests, made with the CA's own builder (same package). */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** A self-signed CA certificate named {@code cn}, DER: not issued by certapi. */
    public static byte[] selfSigned(String cn) throws Exception {
        KeyPair k = Certificates.ecKeyPair("secp256r1");
        Instant now = Instant.now();
        return Certificates.root(k, cn, now, now.plus(1, ChronoUnit.DAYS)).getEncoded();
    }
}
