package io.certapi.policy;

import io.certapi.core.AcmeProblem;
import io.certapi.core.Crypto;
import io.certapi.core.Ecdsa;
import io.certapi.core.Identifier;
import io.certapi.core.IpAddresses;
import io.certapi.core.ProblemType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * What a finalize CSR must be (RFC 8555 §7.4): parseable DER, self-signed with an accepted
 * algorithm, a key that passes {@link KeyPolicy}, and names that are exactly the order's
 * identifiers: its SANs, with a CN among them; or, in a CSR without SANs, its one CN.
 */
public final class CsrPolicy {

    /** The ECDSA signature algorithms, with the bytes of their hash. */
    private static final Map<ASN1ObjectIdentifier, Integer> ECDSA_HASH_BYTES = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, 32,
            X9ObjectIdentifiers.ecdsa_with_SHA384, 48,
            X9ObjectIdentifiers.ecdsa_with_SHA512, 64);

    private static final Set<ASN1ObjectIdentifier> SIGNATURE_ALGORITHMS = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption,
            PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            PKCSObjectIdentifiers.id_RSASSA_PSS,
            X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512,
            EdECObjectIdentifiers.id_Ed25519);

    private CsrPolicy() {
    }

    /** The TLS Feature extension (RFC 7633). */
    private static final ASN1ObjectIdentifier TLS_FEATURE =
            new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24");
    /** status_request (RFC 6066 extension 5): "must-staple". */
    private static final int STATUS_REQUEST = 5;

    /**
     * A CSR that passed: its key, its names, and whether it asks for must-staple (the TLS
     * Feature extension with status_request, RFC 7633).
     */
    public record Csr(PublicKey publicKey, Set<Identifier> identifiers, boolean mustStaple) {
    }

    /**
     * A CSR that {@link #check} accepted before (the finalize CSR kept with its order): parsed,
     * not checked again; its names are not needed.
     */
    public static Csr accepted(byte[] der) {
        try {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(der);
            return new Csr(csr.getPublicKey(), Set.of(), mustStaple(csr));
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("a stored CSR no longer parses", e);
        }
    }

    /** Parses and checks {@code der}; throws badCSR (or badPublicKey's detail as badCSR). */
    public static Csr check(byte[] der) {
        JcaPKCS10CertificationRequest csr;
        PublicKey key;
        try {
            csr = new JcaPKCS10CertificationRequest(der);
            key = csr.getPublicKey();
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            throw bad("the CSR is not a DER-encoded PKCS#10 request");
        }
        ASN1ObjectIdentifier alg = csr.getSignatureAlgorithm().getAlgorithm();
        if (!SIGNATURE_ALGORITHMS.contains(alg)) {
            throw bad("the CSR is signed with algorithm " + alg.getId() + "; accepted are SHA-256"
                    + " or stronger with RSA or ECDSA, RSASSA-PSS and Ed25519");
        }
        // The key first: verifying a signature under an oversized modulus or exponent is the
        // unbounded work a hostile CSR would ask for.
        try {
            KeyPolicy.check(key, "CSR key");
        } catch (AcmeProblem p) {
            throw bad(p.detail());
        }
        if (key instanceof ECPublicKey ec && ECDSA_HASH_BYTES.containsKey(alg)) {
            if (!ecdsaSignatureVerifies(csr, ec, ECDSA_HASH_BYTES.get(alg))) {
                throw bad("the CSR's signature does not verify with its own key");
            }
            return new Csr(key, names(csr), mustStaple(csr));
        }
        try {
            JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
            String provider = Crypto.verifierFor(key);
            if (provider != null) {
                verifiers.setProvider(provider);
            }
            if (!csr.isSignatureValid(verifiers.build(key))) {
                throw bad("the CSR's signature does not verify with its own key");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw bad("the CSR's signature cannot be verified: " + e.getMessage());
        }
        return new Csr(key, names(csr), mustStaple(csr));
    }

    /**
     * ECDSA through {@link Ecdsa}: BouncyCastle's JCA path rebuilt the curve from the JDK key as
     * a generic prime curve, a tenth of the finalize requests' CPU under load.
     */
    private static boolean ecdsaSignatureVerifies(JcaPKCS10CertificationRequest csr,
            ECPublicKey key, int hashBytes) {
        Optional<Ecdsa.Verifier> verifier = Ecdsa.verifier(key);
        if (verifier.isEmpty()) {
            throw bad("the CSR's key is not a point of a curve this CA accepts");
        }
        try {
            byte[] signed = csr.toASN1Structure().getCertificationRequestInfo()
                    .getEncoded(ASN1Encoding.DER);
            return verifier.get().verifyDer(signed, csr.getSignature(), hashBytes);
        } catch (IOException e) {
            throw bad("the CSR's signed part cannot be encoded: " + e.getMessage());
        }
    }

    /**
     * Whether the CSR asks for the TLS Feature extension; refused, as Boulder does, when it
     * asks for any feature but status_request.
     */
    private static boolean mustStaple(JcaPKCS10CertificationRequest csr) {
        for (var attr : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (var value : attr.getAttrValues()) {
                Extension feature = Extensions.getInstance(value).getExtension(TLS_FEATURE);
                if (feature == null) {
                    continue;
                }
                org.bouncycastle.asn1.ASN1Sequence features;
                try {
                    features = org.bouncycastle.asn1.ASN1Sequence.getInstance(
                            feature.getParsedValue());
                } catch (IllegalArgumentException e) {
                    throw bad("the CSR's TLS Feature extension is malformed");
                }
                for (var f : features) {
                    if (!(f instanceof org.bouncycastle.asn1.ASN1Integer i)
                            || i.intValueExact() != STATUS_REQUEST) {
                        throw bad("the CSR's TLS Feature extension asks for " + f
                                + "; only status_request (5, must-staple) is supported");
                    }
                }
                return features.size() > 0;
            }
        }
        return false;
    }

    private static Set<Identifier> names(JcaPKCS10CertificationRequest csr) {
        Set<Identifier> sans = new LinkedHashSet<>();
        var attrs = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        for (var attr : attrs) {
            for (var value : attr.getAttrValues()) {
                Extensions exts = Extensions.getInstance(value);
                Extension san = exts.getExtension(Extension.subjectAlternativeName);
                if (san == null) {
                    continue;
                }
                GeneralNames names = GeneralNames.getInstance(san.getParsedValue());
                for (GeneralName n : names.getNames()) {
                    sans.add(toIdentifier(n));
                }
            }
        }
        RDN[] cns = csr.getSubject().getRDNs(BCStyle.CN);
        if (sans.isEmpty() && cns.length == 1) {
            // A CSR with its one name only as CN (acme-tiny's README makes these): the CN is the
            // name, as Boulder takes it.
            String cn = IETFUtils.valueToString(cns[0].getFirst().getValue())
                    .toLowerCase(Locale.ROOT);
            return Set.of(IpAddresses.parse(cn).isPresent()
                    ? new Identifier(Identifier.IP, cn) : Identifier.dns(cn));
        }
        for (RDN rdn : cns) {
            String cn = IETFUtils.valueToString(rdn.getFirst().getValue()).toLowerCase(Locale.ROOT);
            boolean listed = sans.stream().anyMatch(i -> i.value().equals(cn));
            if (!listed) {
                throw bad("the CSR's common name \"" + cn + "\" is not among its"
                        + " subjectAltNames " + values(sans));
            }
        }
        if (sans.isEmpty()) {
            throw bad("the CSR names no identifier; put the order's names in subjectAltName");
        }
        return sans;
    }

    private static Identifier toIdentifier(GeneralName n) {
        return switch (n.getTagNo()) {
            case GeneralName.dNSName -> Identifier.dns(
                    n.getName().toString().toLowerCase(Locale.ROOT));
            case GeneralName.iPAddress -> {
                try {
                    byte[] raw = ASN1OctetString.getInstance(n.getName()).getOctets();
                    yield new Identifier(Identifier.IP,
                            IpAddresses.canonical(InetAddress.getByAddress(raw)));
                } catch (UnknownHostException e) {
                    throw bad("the CSR has a malformed iPAddress subjectAltName");
                }
            }
            default -> throw bad("the CSR has a subjectAltName of type " + n.getTagNo()
                    + "; only dNSName and iPAddress are accepted");
        };
    }

    private static String values(Set<Identifier> ids) {
        return ids.stream().map(Identifier::value).toList().toString();
    }

    private static AcmeProblem bad(String detail) {
        return AcmeProblem.of(ProblemType.BAD_CSR, detail);
    }
}
