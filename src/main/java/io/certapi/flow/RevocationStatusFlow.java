package io.certapi.flow;

import io.certapi.ca.CertificateAuthority;
import io.certapi.ca.Issuer;
import io.certapi.ca.RevocationSigner;
import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.store.CertificateEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What relying parties ask: CRLs and OCSP answers, for the current issuer and for every earlier
 * one whose certificates are still unexpired. A CRL is signed once and served from memory until
 * a revocation changes it or half its validity has passed; OCSP answers are signed per request.
 */
@ApplicationScoped
public class RevocationStatusFlow {

    private final CertapiConfig config;
    private final Clock clock;
    private final CertificateAuthority ca;
    private final Map<String, SignedCrl> signed = new ConcurrentHashMap<>();

    /** Creates the flow. */
    public RevocationStatusFlow(CertapiConfig config, Clock clock, CertificateAuthority ca) {
        this.config = config;
        this.clock = clock;
        this.ca = ca;
    }

    /** A signed CRL and what it was signed from. */
    private record SignedCrl(String issuerId, long revoked, Instant signedAt, byte[] der) {
    }

    /**
     * The DER CRL of issuer {@code issuerId}: the current intermediate (as the database says),
     * or an earlier one while any certificate it signed is unexpired.
     */
    @Transactional
    public byte[] crl(String issuerId) {
        Instant now = clock.instant();
        // The current intermediate answers even before this instance has picked up the
        // rotation that made it: another instance on the database may sign with it already.
        Issuer issuer = ca.issuer(issuerId)
                .filter(i -> ca.isCurrentIntermediate(issuerId)
                        || CertificateEntity.anyUnexpired(issuerId, now))
                .orElseThrow(() -> AcmeProblem.malformed("no CRL for issuer " + issuerId
                        + ": unknown, or every certificate it signed has expired")
                        .withStatus(404));
        long count = CertificateEntity.revokedCount(issuerId);
        SignedCrl cached = signed.get(issuerId);
        if (cached == null || cached.revoked() != count
                || now.isAfter(cached.signedAt().plus(config.crl().validity().dividedBy(2)))) {
            List<RevocationSigner.Revoked> revoked = CertificateEntity.revokedBy(issuerId).stream()
                    .map(RevocationStatusFlow::revoked).toList();
            cached = new SignedCrl(issuerId, count, now, ca.crl(issuer, revoked, now));
            signed.put(issuerId, cached);
        }
        signed.values().removeIf(c -> now.isAfter(c.signedAt().plus(config.crl().validity())));
        return cached.der();
    }

    /** An OCSP response (DER) to a DER request. */
    @Transactional
    public byte[] ocsp(byte[] request) {
        if (!config.ocsp().enabled()) {
            throw AcmeProblem.malformed("the OCSP responder is off (certapi.ocsp.enabled)")
                    .withStatus(404);
        }
        return ca.ocsp(request, ca.intermediatesInUse(), clock.instant(),
                (issuerId, serial) -> lookup(serial, issuerId));
    }

    private static Optional<Optional<RevocationSigner.Revoked>> lookup(BigInteger serial,
            String issuerId) {
        return CertificateEntity.findBySerial(HexFormat.of().formatHex(serial.toByteArray()))
                .filter(c -> c.issuerId.equals(issuerId))
                .map(c -> c.revokedAt == null ? Optional.empty() : Optional.of(revoked(c)));
    }

    private static RevocationSigner.Revoked revoked(CertificateEntity c) {
        return new RevocationSigner.Revoked(new BigInteger(c.serial, 16), c.revokedAt,
                c.revocationReason == null ? 0 : c.revocationReason);
    }
}
