package io.certapi.ca;

import java.security.cert.X509Certificate;

/**
 * A signed leaf and what storage needs of it.
 *
 * @param certificate the leaf
 * @param pemChain    the leaf followed by its issuing chain, PEM
 * @param serialHex   the serial, lower-case hex
 * @param issuerId    the issuer's id (hex SHA-256 of its certificate)
 */
public record IssuedCertificate(X509Certificate certificate, String pemChain, String serialHex,
        String issuerId) {
}
