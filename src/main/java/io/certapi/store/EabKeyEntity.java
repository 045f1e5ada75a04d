package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An External Account Binding key (RFC 8555 §7.3.4): a key id and its HMAC key. */
@Entity
@Table(name = "acme_eab_key")
public class EabKeyEntity extends PanacheEntityBase {

    /** The key id clients put in the binding's "kid". */
    @Id
    @Column(name = "key_id")
    public String keyId;

    /** The HMAC key, base64url without padding, as handed to the client. */
    @Column(name = "hmac_key")
    public String hmacKey;

    /** The operator's note on whom the key is for. */
    public String label;

    /** "valid" until disabled; "disabled" after. */
    public String status;

    /** The account bound with it, once one is. */
    @Column(name = "account_id")
    public String accountId;

    /** Creation time. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** When it was disabled, if it was. */
    @Column(name = "disabled_at")
    public Instant disabledAt;

    /** The key with this id, if any. */
    public static Optional<EabKeyEntity> findByKeyId(String keyId) {
        return findByIdOptional(keyId);
    }

    /** Every key, newest first. */
    public static List<EabKeyEntity> newestFirst() {
        return list("order by createdAt desc");
    }

    /** Binds the key to an account unless it is disabled or bound already. */
    public static boolean compareAndSetBound(String keyId, String accountId) {
        return update("accountId = ?1 where keyId = ?2 and accountId is null and status = 'valid'",
                accountId, keyId) == 1;
    }
}
