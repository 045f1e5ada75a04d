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
 */
public record LeafRequest(PublicKey publicKey, List<Identifier> identifiers, Instant notBefore,
        Instant notAfter) {
}
