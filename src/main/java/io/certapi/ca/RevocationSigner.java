package io.certapi.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs what relying parties ask about revocation, with the issuer's own key: CRLs (RFC 5280
 * §5) and OCSP responses (RFC 6960). The revocation state comes from the caller; this class
 * knows no database.
 */
public final class RevocationSigner {

    /** A revoked certificate as a CRL or OCSP response states it. */
    public record Revoked(BigInteger serial, Instant at, int reason) {
    }

    private RevocationSigner() {
    }

    /** A DER CRL of {@code issuer} listing {@code revoked}. */
    public static byte[] crl(Issuer issuer, List<Revoked> revoked, Instant thisUpdate,
            Instant nextUpdate) {
        try {
            X509CertificateHolder issuerCert = new JcaX509CertificateHolder(issuer.certificate());
            X509v2CRLBuilder b = new X509v2CRLBuilder(issuerCert.getSubject(),
                    Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (Revoked r : revoked) {
                b.addCRLEntry(r.serial(), Date.from(r.at()), r.reason());
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils()
                    .createAuthorityKeyIdentifier(issuer.certificate().getPublicKey()));
            // RFC 5280 §5.2.3: a monotonically increasing number; the signing time serves.
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(
                    thisUpdate.toEpochMilli())));
            return b.build(signer(issuer)).getEncoded();
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a CRL", e);
        }
    }

    /**
     * An OCSP response to {@code requestDer}: for each certificate asked about, good, revoked or
     * unknown as {@code lookup} says (empty: not issued by this issuer), signed by its issuer.
     * A malformed request gets the malformedRequest status (RFC 6960 §2.3).
     */
    public static byte[] ocsp(List<Issuer> issuers, byte[] requestDer, Instant now,
            Instant nextUpdate,
            BiFunction<String, BigInteger, Optional<Optional<Revoked>>> lookup) {
        try {
            OCSPReq request;
            try {
                request = new OCSPReq(requestDer);
            } catch (IOException | RuntimeException e) {
                return new OCSPRespBuilder().build(OCSPRespBuilder.MALFORMED_REQUEST, null)
                        .getEncoded();
            }
            DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
            Req[] asked = request.getRequestList();
            if (asked.length == 0 || issuers.isEmpty()) {
                return new OCSPRespBuilder().build(OCSPRespBuilder.MALFORMED_REQUEST, null)
                        .getEncoded();
            }
            // One response has one signer: the issuer of the first certificate asked about
            // (the first issuer when none matches); other issuers' certificates are "unknown".
            Issuer issuer = issuers.get(0);
            for (Issuer candidate : issuers) {
                if (asked[0].getCertID().matchesIssuer(
                        new JcaX509CertificateHolder(candidate.certificate()), digests)) {
                    issuer = candidate;
                    break;
                }
            }
            String issuerId = issuer.id();
            X509CertificateHolder issuerCert = new JcaX509CertificateHolder(issuer.certificate());
            BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(
                    issuerCert.getSubjectPublicKeyInfo(), digests.get(CertificateID.HASH_SHA1)));
            for (Req r : asked) {
                CertificateID id = r.getCertID();
                CertificateStatus status;
                // Compare the hashes, not the encodings: the hash algorithm's parameters may be
                // absent or NULL depending on the client.
                if (!id.matchesIssuer(issuerCert, digests)) {
                    status = new UnknownStatus();
                } else {
                    status = status(lookup.apply(issuerId, id.getSerialNumber()));
                }
                b.addResponse(id, status, Date.from(now), Date.from(nextUpdate), null);
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                b.setResponseExtensions(new Extensions(nonce));
            }
            var basic = b.build(signer(issuer), null, Date.from(now));
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        } catch (IOException | GeneralSecurityException | OperatorCreationException
                | OCSPException e) {
            throw new IllegalStateException("cannot sign an OCSP response", e);
        }
    }

    /**
     * The status of one certificate. Spelled out: BouncyCastle's {@code CertificateStatus.GOOD}
     * is null, which an Optional chain would silently turn into "unknown".
     */
    private static CertificateStatus status(Optional<Optional<Revoked>> known) {
        if (known.isEmpty()) {
            return new UnknownStatus();
        }
        if (known.get().isEmpty()) {
            return CertificateStatus.GOOD;
        }
        Revoked r = known.get().get();
        return new RevokedStatus(Date.from(r.at()), r.reason());
    }

    private static ContentSigner signer(Issuer issuer) throws OperatorCreationException {
        return Signers.of(issuer.key(), issuer.certificate().getPublicKey());
    }
}
