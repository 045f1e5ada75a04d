package io.certapi.flow;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.lang.JoseException;

/** Identifies public keys by the SHA-256 of their SubjectPublicKeyInfo, whatever their source. */
public final class KeyHashes {

    private KeyHashes() {
    }

    /** Hex SHA-256 of the key's SubjectPublicKeyInfo DER. */
    public static String of(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The RFC 7638 thumbprint that an account with this key would be stored under; empty for a
     * key that no JWK can carry (no account can have it).
     */
    public static java.util.Optional<String> accountThumbprint(PublicKey key) {
        try {
            return java.util.Optional.of(JsonWebKey.Factory.newJwk(key)
                    .calculateBase64urlEncodedThumbprint("SHA-256"));
        } catch (JoseException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
