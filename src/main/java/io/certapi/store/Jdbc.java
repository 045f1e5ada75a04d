package io.certapi.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
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

    /** Reads one row. */
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * The first row of {@code sql} with {@code key} as its one parameter, read by {@code row},
     * outside any transaction; empty when there is none. A database failure comes back as an
     * {@link IllegalStateException} that says which {@code what} could not be read.
     */
    static <T> Optional<T> one(DataSource dataSource, String sql, String key, Row<T> row,
            String what) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read " + what + " " + key, e);
        }
    }

    /** Column {@code column} of the current row as an instant, null for SQL NULL. */
    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** {@code t} in UTC, null for null. */
    static OffsetDateTime utc(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
