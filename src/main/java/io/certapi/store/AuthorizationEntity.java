package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** An authorization: one account's claim on one identifier, proven by one of its challenges. */
@Entity
@Table(name = "acme_authz")
public class AuthorizationEntity extends PanacheEntityBase {

    /** Random id. */
    @Id
    public String id;

    /** Owning account. */
    @Column(name = "account_id")
    public String accountId;

    /** Identifier type ("dns" or "ip"). */
    @Column(name = "identifier_type")
    public String identifierType;

    /** Identifier value (for a wildcard, the base name without "*."). */
    @Column(name = "identifier_value")
    public String identifierValue;

    /** Whether this authorization is for a wildcard name. */
    public boolean wildcard;

    /** pending, valid, invalid, deactivated, revoked (expiry is computed). */
    public String status;

    /** When it expires. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** Creation time. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** The authorization with this id, if any. */
    public static Optional<AuthorizationEntity> findById(String id) {
        return findByIdOptional(id);
    }

    /**
     * A valid authorization of {@code accountId} for the identifier that is still valid at
     * {@code until}, the longest-lived first.
     */
    public static Optional<AuthorizationEntity> findReusable(String accountId, String type,
            String value, boolean wildcard, Instant until) {
        return find("accountId = ?1 and identifierType = ?2 and identifierValue = ?3"
                + " and wildcard = ?4 and status = 'valid' and expiresAt > ?5"
                + " order by expiresAt desc", accountId, type, value, wildcard, until)
                .firstResultOptional();
    }

    /** Moves status from {@code from} to {@code to} only if it is still {@code from}. */
    public static boolean compareAndSetStatus(String id, String from, String to) {
        return update("status = ?1 where id = ?2 and status = ?3", to, id, from) == 1;
    }
}
