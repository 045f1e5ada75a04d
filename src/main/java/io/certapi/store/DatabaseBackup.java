package io.certapi.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A consistent copy of the embedded H2 database while it runs ({@code BACKUP TO}: a zip of the
 * database file as of one moment, taken without stopping writers). PostgreSQL has pg_dump.
 */
@ApplicationScoped
public class DatabaseBackup {

    private final DataSource db;

    /** Creates the backup on the application's datasource. */
    public DatabaseBackup(DataSource db) {
        this.db = db;
    }

    /** Whether the database is H2, which this class can copy. */
    public boolean isH2() {
        try (Connection c = db.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                    .contains("h2");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    /** Writes the H2 database, as of now, to the zip {@code target}. */
    public void h2To(Path target) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("BACKUP TO ?")) {
            s.setString(1, target.toAbsolutePath().toString());
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("the database backup failed: " + e.getMessage(), e);
        }
    }
}
