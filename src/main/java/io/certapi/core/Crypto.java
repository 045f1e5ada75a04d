package io.certapi.core;

import java.security.PublicKey;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Which JCA provider verifies a signature. The JDK's SunEC computes P-256/P-384 and Ed25519 in
 * constant-time Java arithmetic: on Java 17 one P-256 verification takes 1.4-2.4 ms, against
 * about 0.2 ms with BouncyCastle. Verification handles only public data, so constant time buys
 * nothing. JWS and CSR ECDSA checks go through {@link Ecdsa} (BouncyCastle's lightweight API,
 * cheaper still); what reaches the JCA with an EC key (a CSR whose key and algorithm do not
 * match) is verified with BouncyCastle, RSA and EdDSA with the JDK. BouncyCastle is registered
 * after the JDK's providers, so every default lookup (TLS, key factories) stays with the JDK.
 */
public final class Crypto {

    /** The registered name of the BouncyCastle provider. */
    public static final String BOUNCY_CASTLE = BouncyCastleProvider.PROVIDER_NAME;

    static {
        if (Security.getProvider(BOUNCY_CASTLE) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private Crypto() {
    }

    /** The provider to verify signatures of {@code key} with; null means the JDK default. */
    public static String verifierFor(PublicKey key) {
        return key instanceof ECPublicKey ? BOUNCY_CASTLE : null;
    }
}
