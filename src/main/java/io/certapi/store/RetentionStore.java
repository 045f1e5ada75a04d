package io.certapi.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * Deletes finished state in bounded batches, each in a transaction of its own, in plain JDBC
 * that runs unchanged on H2 and PostgreSQL. Each batch first picks the ids that are due, then
 * deletes them and what hangs on them, children first; an instance that picks ids another
 * already deleted deletes nothing, so concurrent purges are harmless.
 */
@ApplicationScoped
public class RetentionStore {

    /** Rule 1 of RFC 5280 §5.3.1: keyCompromise. Such certificates are kept. */
    static final int KEY_COMPROMISE = 1;

    private final DataSource db;

    /** Creates the store on the application's datasource. */
    public RetentionStore(DataSource db) {
        this.db = db;
    }

    /** Deletes up to {@code limit} orders that expired before {@code cutoff}; returns how many. */
    public int purgeOrders(Instant cutoff, int limit) {
        return inTransaction(c -> {
            List<String> ids = ids(c, "SELECT id FROM acme_order WHERE expires_at < ?"
                    + " ORDER BY expires_at LIMIT ?", cutoff, limit);
            delete(c, "DELETE FROM acme_order_authz WHERE order_id IN ", ids);
            return delete(c, "DELETE FROM acme_order WHERE id IN ", ids);
        });
    }

    /**
     * Deletes up to {@code limit} authorizations that expired before {@code cutoff} and that
     * no order refers to, with their challenges; returns how many authorizations.
     */
    public int purgeAuthorizations(Instant cutoff, int limit) {
        return inTransaction(c -> {
            List<String> ids = ids(c, "SELECT a.id FROM acme_authz a WHERE a.expires_at < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM acme_order_authz oa"
                    + " WHERE oa.authz_id = a.id) ORDER BY a.expires_at LIMIT ?", cutoff, limit);
            delete(c, "DELETE FROM acme_challenge WHERE authz_id IN ", ids);
            return delete(c, "DELETE FROM acme_authz WHERE id IN ", ids);
        });
    }

    /**
     * Deletes up to {@code limit} certificates whose notAfter is before {@code cutoff}, except
     * those revoked for keyCompromise; returns how many.
     */
    public int purgeCertificates(Instant cutoff, int limit) {
        return inTransaction(c -> {
            List<String> ids = ids(c, "SELECT id FROM acme_certificate WHERE not_after < ?"
                    + " AND (revocation_reason IS NULL OR revocation_reason <> "
                    + KEY_COMPROMISE + ") ORDER BY not_after LIMIT ?", cutoff, limit);
            return delete(c, "DELETE FROM acme_certificate WHERE id IN ", ids);
        });
    }

    private int inTransaction(Jdbc.Work<Integer> work) {
        return Jdbc.inTransaction(db, work, "retention purge");
    }

    private static List<String> ids(Connection c, String sql, Instant cutoff, int limit)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(cutoff));
            s.setInt(2, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            return ids;
        }
    }

    private static int delete(Connection c, String prefix, List<String> ids)
            throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement s = c.prepareStatement(prefix + "(" + marks + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setString(i + 1, ids.get(i));
            }
            return s.executeUpdate();
        }
    }
}
