package io.certapi.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.provider.Arguments;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** A new in-memory H2 database with certapi's schema, for tests below the application. */
public final class TestDatabase {

    private TestDatabase() {
    }

    /**
     * A fresh schema {@code schema} on the PostgreSQL every machine runs (127.0.0.1:5432,
     * database test), migrated as the server migrates its own.
     */
    public static DataSource postgres(String schema) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema);
        ds.setUser("postgres");
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 (database test) is"
                    + " needed: " + e.getMessage(), e);
        }
        Flyway.configure().dataSource(ds).schemas(schema).locations("classpath:db/migration")
                .load().migrate();
        return ds;
    }

    /** A fresh database, migrated as the server migrates its own. */
    public static DataSource fresh() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("certapi");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    /**
     * Arguments for a store test on both databases: ("H2", a fresh one) and ("PostgreSQL", a
     * fresh schema {@code postgresSchema}).
     */
    public static Stream<Arguments> h2AndPostgres(String postgresSchema) {
        return Stream.of(
                Arguments.of("H2", (Supplier<DataSource>) TestDatabase::fresh),
                Arguments.of("PostgreSQL", (Supplier<DataSource>) () ->
                        postgres(postgresSchema)));
    }

    /** Runs {@code sql} with {@code times} as its parameters, in UTC. */
    public static void exec(Connection c, String sql, Instant... times) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < times.length; i++) {
                s.setObject(i + 1, OffsetDateTime.ofInstant(times[i], ZoneOffset.UTC));
            }
            s.executeUpdate();
        }
    }

    /**
     * The first row of {@code sql}, its columns joined by spaces; a timestamp as its epoch
     * second (H2 and PostgreSQL give them as different types).
     */
    public static String row(Connection c, String sql) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return "(no row)";
            }
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                Object v = rs.getObject(i);
                if (v instanceof OffsetDateTime t) {
                    v = t.toInstant().getEpochSecond();
                } else if (v instanceof java.sql.Timestamp t) {
                    v = t.toInstant().getEpochSecond();
                }
                b.append(i > 1 ? " " : "").append(v);
            }
            return b.toString();
        }
    }

    /** Inserts a valid account {@code acct} with key thumbprint {@code thumbprint}. */
    public static void account(Connection c, String thumbprint, Instant createdAt)
            throws Exception {
        exec(c, "INSERT INTO acme_account (id, status, jwk, key_thumbprint, contacts,"
                + " terms_agreed, created_at) VALUES ('acct', 'valid', '{}', '" + thumbprint
                + "', '[]', TRUE, ?)", createdAt);
    }
}
