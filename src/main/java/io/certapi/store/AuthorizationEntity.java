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

    /** Moves status from {@code from} to {@code to} only if it is still {@code from}. */
    public static boolean compareAndSetStatus(String id, String from, String to) {
        return update("status = ?1 where id = ?2 and status = ?3", to, id, from) == 1;
    }
}
