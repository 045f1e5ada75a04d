package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An issued certificate, its chain, and its revocation state. */
@Entity
@Table(name = "acme_certificate")
public class CertificateEntity extends PanacheEntityBase {

    /** Random id; the certificate URL ends with it. */
    @Id
    public String id;

    /** The account that ordered it. */
    @Column(name = "account_id")
    public String accountId;

    /** The order it was issued for. */
    @Column(name = "order_id")
    public String orderId;

    /** Serial number, lower-case hex. */
    public String serial;

    /** Identifies the issuing certificate (hex SHA-256 of its DER). */
    @Column(name = "issuer_id")
    public String issuerId;

    /** Leaf followed by the issuing chain, PEM. */
    @Column(name = "pem_chain")
    public String pemChain;

    /** Hex SHA-256 of the certificate's SubjectPublicKeyInfo. */
    @Column(name = "key_hash")
    public String keyHash;

    /** Validity start. */
    @Column(name = "not_before")
    public Instant notBefore;

    /** Validity end. */
    @Column(name = "not_after")
    public Instant notAfter;

    /** When it was revoked, if it was. */
    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** RFC 5280 reason code of the revocation. */
    @Column(name = "revocation_reason")
    public Integer revocationReason;

    /** When an operator asked its holder to renew now (RFC 9773 window in the past). */
    @Column(name = "renew_now_at")
    public Instant renewNowAt;

    /** The order that replaces it, once a newOrder names it in "replaces". */
    @Column(name = "replaced_by")
    public String replacedBy;

    /** Creation time. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** The certificate with this id, if any. */
    public static Optional<CertificateEntity> findById(String id) {
        return findByIdOptional(id);
    }

    /** The certificate with this serial, if any. */
    public static Optional<CertificateEntity> findBySerial(String serial) {
        return find("serial", serial).firstResultOptional();
    }

    /** The revoked certificates of one issuer, for its CRL. */
    public static List<CertificateEntity> revokedBy(String issuerId) {
        return list("issuerId = ?1 and revokedAt is not null order by revokedAt", issuerId);
    }

    /** How many certificates of one issuer are revoked; a CRL is re-signed when this changes. */
    public static long revokedCount(String issuerId) {
        return count("issuerId = ?1 and revokedAt is not null", issuerId);
    }

    /** Marks it revoked unless it already is; returns whether this call revoked it. */
    public static boolean compareAndSetRevoked(String id, Instant at, int reason) {
        return update("revokedAt = ?1, revocationReason = ?2 where id = ?3 and revokedAt is null",
                at, reason, id) == 1;
    }

    /** Whether a certificate of this issuer is still unexpired at {@code now}. */
    public static boolean anyUnexpired(String issuerId, Instant now) {
        return count("issuerId = ?1 and notAfter > ?2", issuerId, now) > 0;
    }

    /** Asks the holder of one certificate to renew now; returns whether it was unexpired. */
    public static int markRenewNow(String id, Instant now) {
        return update("renewNowAt = ?1 where id = ?2 and notAfter > ?1 and renewNowAt is null",
                now, id);
    }

    /** Asks every holder of an unexpired certificate of one issuer to renew now. */
    public static int markRenewNowByIssuer(String issuerId, Instant now) {
        return update("renewNowAt = ?1 where issuerId = ?2 and notAfter > ?1"
                + " and renewNowAt is null", now, issuerId);
    }
}
