package io.certapi.testing;

import java.util.UUID;
import javax.sql.DataSource;
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
}
