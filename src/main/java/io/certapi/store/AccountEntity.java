package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** An ACME account: its key (as a JWK and its RFC 7638 thumbprint), contacts and status. */
@Entity
@Table(name = "acme_account")
public class AccountEntity extends PanacheEntityBase {

    /** Random id; the account URL ends with it. */
    @Id
    public String id;

    /** valid or deactivated. */
    public String status;

    /** The account's public key as JSON (RFC 7517). */
    public String jwk;

    /** SHA-256 JWK thumbprint (RFC 7638), base64url; unique across accounts. */
    @Column(name = "key_thumbprint")
    public String keyThumbprint;

    /** Contact URLs as a JSON array. */
    public String contacts;

    /** Whether the client agreed to the terms of service. */
    @Column(name = "terms_agreed")
    public boolean termsAgreed;

    /** Key id of the external account binding, when one was used. */
    @Column(name = "eab_key_id")
    public String eabKeyId;

    /** Creation time. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** The account with this key thumbprint, if any. */
    public static Optional<AccountEntity> findByThumbprint(String thumbprint) {
        return find("keyThumbprint", thumbprint).firstResultOptional();
    }

    /** The account with this id, if any. */
    public static Optional<AccountEntity> findById(String id) {
        return findByIdOptional(id);
    }

    /**
     * Replaces the key only if it is still {@code oldThumbprint}, so that two concurrent key
     * changes cannot both succeed. Returns whether this call changed it.
     */
    public static boolean compareAndSetKey(String id, String oldThumbprint, String newThumbprint,
            String newJwk) {
        return update("keyThumbprint = ?1, jwk = ?2 where id = ?3 and keyThumbprint = ?4",
                newThumbprint, newJwk, id, oldThumbprint) == 1;
    }
}
