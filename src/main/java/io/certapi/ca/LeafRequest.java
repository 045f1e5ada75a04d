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
 */
public record LeafRequest(PublicKey publicKey, List<Identifier> identifiers, Instant notBefore,
        Instant notAfter, boolean includeCn, boolean clientAuth) {

    /** A request with the default profile's choices: a CN and both EKUs. */
    public LeafRequest(PublicKey publicKey, List<Identifier> identifiers, Instant notBefore,
            Instant notAfter) {
        this(publicKey, identifiers, notBefore, notAfter, true, true);
    }
}
