package io.certapi.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The one read every authenticated request makes before anything else: an account's status and
 * key. A single indexed query on a pooled connection, without an ORM session or a JTA
 * transaction, which cost more than the query itself on this path.
 */
@ApplicationScoped
public class AccountKeyStore {

    private final AgroalDataSource dataSource;

    /** Creates the store over the default datasource. */
    public AccountKeyStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An account's status and key as stored. */
    public record StoredKey(String id, String status, String jwk) {
    }

    /** The status and key of account {@code id}, if it exists. */
    public Optional<StoredKey> find(String id) {
        return Jdbc.one(dataSource, "SELECT status, jwk FROM acme_account WHERE id = ?", id,
                rs -> new StoredKey(id, rs.getString(1), rs.getString(2)), "account");
    }
}
