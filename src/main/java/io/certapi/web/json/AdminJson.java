package io.certapi.web.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The bodies of the admin API (docs/api.md). */
public final class AdminJson {

    private AdminJson() {
    }

    /**
     * An EAB key.
     *
     * @param keyId      key id, for the client's --eab-kid
     * @param hmacKey    HMAC key, base64url, for the client's --eab-hmac-key; only when created
     * @param label      the operator's note
     * @param status     valid or disabled
     * @param account    the URL of the account bound with it
     * @param createdAt  creation time (RFC 3339)
     * @param disabledAt when it was disabled (RFC 3339)
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EabKey(String keyId, String hmacKey, String label, String status,
            String account, String createdAt, String disabledAt) {
    }

    /**
     * A revocation by the operator.
     *
     * @param reason the RFC 5280 reason code (0 to 10, not 7); 0 when absent
     */
    @RegisterForReflection
    public record Revoke(Integer reason) {
    }

    /**
     * A rate limit as it applies to one account.
     *
     * @param name       the limit's name
     * @param rate       {@code <count>/<period>}, a count, or {@code off}
     * @param overridden whether it is the account's own value
     * @param perAccount whether an operator may set it for the account
     */
    @RegisterForReflection
    public record RateLimit(String name, String rate, boolean overridden, boolean perAccount) {
    }

    /**
     * An account's own value of a rate limit.
     *
     * @param rate {@code <count>/<period>} (a count for pending-authorizations-per-account), or
     *             {@code off}
     */
    @RegisterForReflection
    public record RateOverride(String rate) {
    }

    /**
     * A request to create an EAB key.
     *
     * @param label the operator's note on whom it is for
     */
    @RegisterForReflection
    public record NewEabKey(String label) {
    }

    /**
     * One CA certificate.
     *
     * @param id        hex SHA-256 of its DER
     * @param role      root, cross-signed root or intermediate
     * @param subject   subject DN
     * @param issuer    issuer DN
     * @param notBefore validity start (RFC 3339)
     * @param notAfter  validity end (RFC 3339)
     * @param current   whether it is in use
     * @param url       where it is served (DER)
     * @param crl       its CRL, for an intermediate
     * @param pem       the certificate
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CaCertificate(String id, String role, String subject, String issuer,
            String notBefore, String notAfter, boolean current, String url, String crl,
            String pem) {
    }

    /**
     * The CA: every certificate, and when the next rotations are due.
     *
     * @param certificates          every CA certificate, newest first
     * @param intermediateRenewalAt when the current intermediate will be replaced
     * @param rootRenewalAt         when the current root will be replaced
     */
    @RegisterForReflection
    public record Ca(List<CaCertificate> certificates, String intermediateRenewalAt,
            String rootRenewalAt) {
    }

    /**
     * A "renew now" request: one of the two.
     *
     * @param certificate a certificate's ARI identifier or its id
     * @param issuer      an issuer id: every unexpired certificate it signed
     */
    @RegisterForReflection
    public record RenewNow(String certificate, String issuer) {
    }

    /**
     * The answer to "renew now".
     *
     * @param marked how many certificates now show a renewal window in the past
     */
    @RegisterForReflection
    public record Marked(int marked) {
    }
}
