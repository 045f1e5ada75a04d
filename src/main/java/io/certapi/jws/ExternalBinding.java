package io.certapi.jws;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A well-formed externalAccountBinding whose MAC is yet to be checked against the key of
 * {@code keyId}.
 *
 * @param keyId        the EAB key id (the binding's kid)
 * @param alg          HS256, HS384 or HS512
 * @param signingInput the JWS signing input, ASCII
 * @param mac          the MAC as sent
 */
public record ExternalBinding(String keyId, String alg, byte[] signingInput, byte[] mac) {

    /** The MAC algorithms a binding may use, with their JCA names. */
    static final Map<String, String> ALGORITHMS =
            Map.of("HS256", "HmacSHA256", "HS384", "HmacSHA384", "HS512", "HmacSHA512");

    /** Whether the MAC is right for {@code hmacKey}, compared in constant time. */
    public boolean verifies(byte[] hmacKey) {
        try {
            String jca = ALGORITHMS.get(alg);
            Mac m = Mac.getInstance(jca);
            m.init(new SecretKeySpec(hmacKey, jca));
            return MessageDigest.isEqual(m.doFinal(signingInput), mac);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
