package io.certapi.ca;

import io.certapi.core.Base64Url;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The certificate identifier of ACME Renewal Information (RFC 9773 §4.1): base64url of the
 * certificate's Authority Key Identifier keyIdentifier, a dot, and base64url of the DER content
 * octets of its serial number.
 */
public final class RenewalIds {

    private RenewalIds() {
    }

    /** The identifier of {@code certificate}; empty when it has no AKI keyIdentifier. */
    public static Optional<String> of(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (ext == null) {
            return Optional.empty();
        }
        byte[] keyId = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext)
                .getOctets()).getKeyIdentifierOctets();
        if (keyId == null) {
            return Optional.empty();
        }
        // BigInteger.toByteArray() is exactly the DER INTEGER content: two's complement, minimal.
        return Optional.of(Base64Url.encode(keyId) + "."
                + Base64Url.encode(certificate.getSerialNumber().toByteArray()));
    }
}
