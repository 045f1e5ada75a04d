package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An order. The stored status is the phase the order is in (pending, processing, valid,
 * invalid); whether a pending order is "ready" or has become invalid through its
 * authorizations is computed by the flow, in one place.
 */
@Entity
@Table(name = "acme_order")
public class OrderEntity extends PanacheEntityBase {

    /** Random id. */
    @Id
    public String id;

    /** Owning account. */
    @Column(name = "account_id")
    public String accountId;

    /** pending, processing, valid or invalid. */
    public String status;

    /** When the order expires if not finalized. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** Requested notBefore, if any, to the nanosecond. */
    @Column(name = "requested_not_before", length = 40)
    @jakarta.persistence.Convert(converter = InstantText.class)
    public Instant notBefore;

    /** Requested notAfter, if any, to the nanosecond. */
    @Column(name = "requested_not_after", length = 40)
    @jakarta.persistence.Convert(converter = InstantText.class)
    public Instant notAfter;

    /** The identifiers as a JSON array of {type, value}. */
    public String identifiers;

    /** The problem that made the order invalid, as JSON. */
    public String error;

    /** The finalize CSR, DER base64url, kept until the certificate is signed. */
    public String csr;

    /** The certificate profile asked for; null for the default one. */
    public String profile;

    /** The ARI identifier of the certificate this order replaces (RFC 9773 §5), if any. */
    public String replaces;

    /** The issued certificate. */
    @Column(name = "certificate_id")
    public String certificateId;

    /** When a processing order's certificate is to be signed. */
    @Column(name = "issue_at")
    public Instant issueAt;

    /** Until when a worker holds it. */
    @Column(name = "claimed_until")
    public Instant claimedUntil;

    /** Creation time. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** The authorizations, in identifier order. */
    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "acme_order_authz", joinColumns = @JoinColumn(name = "order_id"),
            inverseJoinColumns = @JoinColumn(name = "authz_id"))
    @OrderColumn(name = "position")
    public List<AuthorizationEntity> authorizations = new ArrayList<>();

    /** The order with this id, if any. */
    public static Optional<OrderEntity> findById(String id) {
        return findByIdOptional(id);
    }

    /**
     * An account's orders worth listing (RFC 8555 §7.1.2.1), rows {@code first} to
     * {@code first + count - 1} in creation order.
     */
    public static List<OrderEntity> listForAccount(String accountId, Instant now, int first,
            int count) {
        return find("accountId = ?1 and status <> 'invalid' and (status = 'valid' or expiresAt > ?2)"
                + " order by createdAt, id", accountId, now).range(first, first + count - 1).list();
    }

    /** Ids of processing orders whose issuance is due and that no live worker holds. */
    public static List<String> findDueIds(Instant now, int limit) {
        return find("select o.id from OrderEntity o where o.status = 'processing'"
                + " and o.issueAt <= ?1 and (o.claimedUntil is null or o.claimedUntil < ?1)"
                + " order by o.issueAt", now)
                .project(String.class).page(0, limit).list();
    }

    /** How many orders are stored in each status. */
    public static java.util.Map<String, Long> countByStatus() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        getEntityManager().createQuery("select o.status, count(o) from OrderEntity o"
                + " group by o.status", Object[].class).getResultList()
                .forEach(row -> out.put((String) row[0], (Long) row[1]));
        return out;
    }
}
