package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;
import java.util.Optional;

/** An account's own value of a rate limit, set by the operator. */
@Entity
@Table(name = "acme_rate_override")
public class RateOverrideEntity extends PanacheEntityBase {

    /** "<account id>:<limit name>". */
    @Id
    @Column(name = "override_key")
    public String key;

    /** The account. */
    @Column(name = "account_id")
    public String accountId;

    /** The limit's name. */
    @Column(name = "limit_name")
    public String limitName;

    /** "<count>/<period>", as in the configuration. */
    public String rate;

    /** The key of an account's override of a limit. */
    public static String keyOf(String accountId, String limitName) {
        return accountId + ":" + limitName;
    }

    /** The account's override of the limit, if any. */
    public static Optional<RateOverrideEntity> find(String accountId, String limitName) {
        return findByIdOptional(keyOf(accountId, limitName));
    }

    /** Every override of the account. */
    public static List<RateOverrideEntity> ofAccount(String accountId) {
        return list("accountId = ?1 order by limitName", accountId);
    }
}
