package io.certapi.ca;

import io.certapi.core.Identifier;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;

/**
 * What a leaf certificate is to contain.
 *
 * @param publicKey   the subject's key, from the CSR
 * @param identifiers every name, each becoming a SAN entry; the first DNS name is also the CN
 * @param notBefore   validity start
 * @param notAfter    validity end
 * @param includeCn   whether the first DNS name is also the subject CN
 * @param clientAuth  whether the clientAuth EKU is included besides serverAuth
 * @param keyEncipherment whether an RSA key also gets the keyEncipherment key usage (for TLS
 *                    1.2 RSA key exchange; digitalSignature is always there)
 * @param mustStaple  whether the certificate carries the TLS Feature status_request
 *                    (RFC 7633), as its CSR asked
 */
public record LeafRequest(PublicKey publicKey, List<Identifier> identifiers, Instant notBefore,
        Instant notAfter, boolean includeCn, boolean clientAuth, boolean keyEncipherment,
        boolean mustStaple) {

    /** A request with the default profile's choices: a CN, both EKUs, keyEncipherment. */
    public LeafRequest(PublicKey publicKey, List<Identifier> identifiers, Instant notBefore,
            Instant notAfter) {
        this(publicKey, identifiers, notBefore, notAfter, true, true, true, false);
    }

    /** The same request ending at {@code end}. */
    LeafRequest endingAt(Instant end) {
        return new LeafRequest(publicKey, identifiers, notBefore, end, includeCn, clientAuth,
                keyEncipherment, mustStaple);
    }
}
