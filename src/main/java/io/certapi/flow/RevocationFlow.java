package io.certapi.flow;

import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import io.certapi.core.Identifier;
import io.certapi.core.IpAddresses;
import io.certapi.store.AuthorizationEntity;
import io.certapi.store.CertificateEntity;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** revokeCert (RFC 8555 §7.6). */
@ApplicationScoped
public class RevocationFlow {

    private static final Logger LOG = Logger.getLogger(RevocationFlow.class);
    /** RFC 5280 §5.3.1 reason codes; 7 is unused. */
    private static final Set<Integer> REASONS = Set.of(0, 1, 2, 3, 4, 5, 6, 8, 9, 10);
    /** RFC 5280 keyCompromise. */
    public static final int KEY_COMPROMISE = 1;

    private final Clock clock;
    private final MeterRegistry meters;
    private final Audit audit;

    /** Creates the flow. */
    public RevocationFlow(Clock clock, MeterRegistry meters, Audit audit) {
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Who asks for a revocation.
     *
     * @param accountId the account of a kid-signed request
     * @param key       the key of a jwk-signed request (the certificate's own key)
     */
    public record Requester(Optional<String> accountId, Optional<PublicKey> key) {
    }

    /**
     * Revokes the certificate {@code der} for {@code requester} (RFC 8555 §7.6): the account that
     * ordered it, an account holding valid authorizations for every name in it, or anyone
     * holding its private key (then the reason is keyCompromise, whatever was asked).
     */
    @Transactional
    public void revoke(Requester requester, byte[] der, Optional<Integer> reason) {
        X509Certificate cert = parse(der);
        String serial = HexFormat.of().formatHex(cert.getSerialNumber().toByteArray());
        CertificateEntity stored = CertificateEntity.findBySerial(serial)
                .filter(c -> sameCertificate(c, der))
                .orElseThrow(() -> AcmeProblem.malformed("certificate with serial " + serial
                        + " was not issued by this server").withStatus(404));
        int code = reason.orElse(0);
        if (!REASONS.contains(code)) {
            throw AcmeProblem.of(ProblemType.BAD_REVOCATION_REASON, "reason " + code
                    + " is not an RFC 5280 reason code; use 0 to 10, except 7");
        }
        if (requester.accountId().isPresent()) {
            String account = requester.accountId().get();
            if (!stored.accountId.equals(account)) {
                List<String> missing = unauthorizedNames(account, cert);
                if (!missing.isEmpty()) {
                    throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "this account did not order"
                            + " certificate " + serial + " and holds no valid authorization for "
                            + missing + "; sign with the account that ordered it, with one"
                            + " authorized for all its names, or with the certificate's key");
                }
            }
        } else {
            PublicKey key = requester.key().orElseThrow();
            if (!KeyHashes.of(key).equals(stored.keyHash)) {
                throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the request is signed by a key"
                        + " that is not the key of certificate " + serial);
            }
            code = KEY_COMPROMISE;
        }
        if (stored.revokedAt != null
                || !CertificateEntity.compareAndSetRevoked(stored.id, clock.instant(), code)) {
            throw AcmeProblem.of(ProblemType.ALREADY_REVOKED, "certificate " + serial
                    + " is already revoked");
        }
        LOG.infof("certificate %s (serial %s) revoked, reason %d, by %s", stored.id, serial, code,
                requester.accountId().map(a -> "account " + a).orElse("its key"));
        meters.counter("certapi.revocations", "reason", String.valueOf(code)).increment();
        audit.log("certificate.revoked", "certificate", stored.id, "serial", serial, "reason",
                code, "by", requester.accountId().map(a -> "account " + a)
                        .orElse("the certificate's key"));
    }

    /**
     * Revokes the certificate {@code certificateId} as the operator (admin API) with an RFC 5280
     * reason; its CRL and OCSP answers say so at once.
     */
    @Transactional
    public void revokeAsOperator(String certificateId, int reason, String operator) {
        CertificateEntity stored = CertificateEntity.findById(certificateId).orElseThrow(() ->
                AcmeProblem.malformed("no certificate " + io.certapi.core.Texts.clip(
                        certificateId)).withStatus(404));
        if (!REASONS.contains(reason)) {
            throw AcmeProblem.of(ProblemType.BAD_REVOCATION_REASON, "reason " + reason
                    + " is not an RFC 5280 reason code; use 0 to 10, except 7");
        }
        if (stored.revokedAt != null
                || !CertificateEntity.compareAndSetRevoked(stored.id, clock.instant(), reason)) {
            throw AcmeProblem.of(ProblemType.ALREADY_REVOKED, "certificate " + stored.serial
                    + " is already revoked");
        }
        LOG.infof("certificate %s (serial %s) revoked, reason %d, by the operator (%s)",
                stored.id, stored.serial, reason, operator);
        meters.counter("certapi.revocations", "reason", String.valueOf(reason)).increment();
        audit.log("certificate.revoked", "certificate", stored.id, "serial", stored.serial,
                "reason", reason, "by", "operator " + operator);
    }

    /** The certificate's names for which {@code accountId} holds no valid authorization. */
    private List<String> unauthorizedNames(String accountId, X509Certificate cert) {
        List<String> missing = new ArrayList<>();
        Instant now = clock.instant();
        try {
            for (List<?> san : cert.getSubjectAlternativeNames()) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
                boolean wildcard = type == 2 && value.startsWith("*.");
                String idType = type == 7 ? Identifier.IP : Identifier.DNS;
                String idValue = type == 7 ? IpAddresses.parse(value).map(IpAddresses::canonical)
                        .orElse(value) : wildcard ? value.substring(2) : value;
                if (AuthorizationEntity.findReusable(accountId, idType, idValue, wildcard, now)
                        .isEmpty()) {
                    missing.add(value);
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            missing.add("(unreadable subjectAltName)");
        }
        return missing;
    }

    private static boolean sameCertificate(CertificateEntity c, byte[] der) {
        try {
            byte[] leaf = io.certapi.ca.Pem.certificates(c.pemChain).get(0).getEncoded();
            return Arrays.equals(leaf, der);
        } catch (java.security.cert.CertificateEncodingException e) {
            return false;
        }
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw AcmeProblem.malformed("\"certificate\" is not a DER-encoded X.509 certificate");
        }
    }
}
