package io.certapi.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Plain JDBC for the hot paths that skip the ORM: a transaction on one pooled connection, and
 * instants as the TIMESTAMP WITH TIME ZONE values both databases take.
 */
final class Jdbc {

    private Jdbc() {
    }

    /** Work on one connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction, committed if it returns, rolled back if it throws;
     * a database failure comes back as an {@link IllegalStateException} that says {@code what}
     * failed, with the {@link SQLException} as its cause.
     */
    static <T> T inTransaction(DataSource dataSource, Work<T> work, String what) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed);
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(what + " failed", e);
        }
    }

    /** {@code t} in UTC, null for null. */
    static OffsetDateTime utc(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
