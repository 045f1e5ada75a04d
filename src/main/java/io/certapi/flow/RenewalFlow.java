package io.certapi.flow;

import io.certapi.ca.Pem;
import io.certapi.ca.RenewalIds;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Base64Url;
import io.certapi.core.Texts;
import io.certapi.store.CertificateEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * ACME Renewal Information (RFC 9773): the suggested renewal window of a certificate, and the
 * operator's "renew now" for one certificate or every certificate of an issuer.
 *
 * <p>The window is sized by the certificate's own lifetime L, so that it suits 10-minute and
 * 90-day certificates alike: from L/3 to L/6 before notAfter (days 60 to 75 of 90; minutes 6:40
 * to 8:20 of 10). A revoked certificate, or one an operator marked, gets a window that ended
 * when that happened: in the past, which tells clients to renew at once. Retry-After is L/10,
 * kept within the one minute to six hours RFC 9773 §4.3 has clients respect.
 */
@ApplicationScoped
public class RenewalFlow {

    private static final Logger LOG = Logger.getLogger(RenewalFlow.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}\\.[A-Za-z0-9_-]{1,64}");
    private static final Duration MIN_RETRY = Duration.ofMinutes(1);
    private static final Duration MAX_RETRY = Duration.ofHours(6);

    private final Clock clock;

    /** Creates the flow. */
    public RenewalFlow(Clock clock) {
        this.clock = clock;
    }

    /**
     * A suggested renewal window.
     *
     * @param start      window start
     * @param end        window end
     * @param retryAfter when to ask again
     */
    public record Window(Instant start, Instant end, Duration retryAfter) {
    }

    /** The renewal window of the certificate with ARI identifier {@code certId}. */
    @Transactional
    public Window renewalInfo(String certId) {
        CertificateEntity c = find(certId).orElseThrow(() -> AcmeProblem.malformed(
                "no certificate of this server has the renewal identifier \""
                        + Texts.clip(certId) + "\"").withStatus(404));
        return window(c.notBefore, c.notAfter, earliest(c.revokedAt, c.renewNowAt));
    }

    /**
     * The window of a certificate valid from {@code notBefore} to {@code notAfter}; one that
     * ended at {@code cutOff} when it was revoked or marked for renewal (null if neither).
     */
    static Window window(Instant notBefore, Instant notAfter, Instant cutOff) {
        Duration life = Duration.between(notBefore, notAfter);
        Duration retry = clamp(life.dividedBy(10));
        if (cutOff != null) {
            return new Window(cutOff.minus(Duration.ofMinutes(1)), cutOff, retry);
        }
        return new Window(notAfter.minus(life.dividedBy(3)), notAfter.minus(life.dividedBy(6)),
                retry);
    }

    /**
     * The certificate with ARI identifier {@code certId}; 400 for an identifier that is not of
     * the RFC 9773 form, empty when none matches (serial and authority key identifier).
     */
    Optional<CertificateEntity> find(String certId) {
        if (certId == null || !ID.matcher(certId).matches()) {
            throw AcmeProblem.malformed("\"" + Texts.clip(String.valueOf(certId)) + "\" is not a"
                    + " renewal identifier: base64url(AKI keyIdentifier) \".\" base64url(serial)"
                    + " (RFC 9773 §4.1)");
        }
        String[] parts = certId.split("\\.");
        byte[] serial = Base64Url.decode(parts[1]).orElseThrow(() ->
                AcmeProblem.malformed("the serial of \"" + Texts.clip(certId)
                        + "\" is not base64url without padding"));
        return CertificateEntity.findBySerial(HexFormat.of().formatHex(serial))
                .filter(c -> RenewalIds.of(Pem.certificates(c.pemChain).get(0))
                        .map(certId::equals).orElse(false));
    }

    /**
     * Asks the holder of the certificate {@code certId} (an ARI identifier or the certificate's
     * id in its URL) to renew now; returns how many certificates were marked (0 or 1).
     */
    @Transactional
    public int renewNowCertificate(String certId) {
        CertificateEntity c = (certId.contains(".") ? find(certId)
                : CertificateEntity.findById(certId)).orElseThrow(() ->
                        AcmeProblem.malformed("no certificate \"" + Texts.clip(certId) + "\"")
                                .withStatus(404));
        int n = CertificateEntity.markRenewNow(c.id, clock.instant());
        LOG.infof("renew now asked for certificate %s (%d marked)", c.id, n);
        return n;
    }

    /** Asks every holder of an unexpired certificate of issuer {@code issuerId} to renew now. */
    @Transactional
    public int renewNowIssuer(String issuerId) {
        int n = CertificateEntity.markRenewNowByIssuer(issuerId, clock.instant());
        LOG.infof("renew now asked for every certificate of issuer %s (%d marked)", issuerId, n);
        return n;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MIN_RETRY) < 0 ? MIN_RETRY : d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }
}
