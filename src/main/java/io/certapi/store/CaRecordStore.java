package io.certapi.store;

import io.certapi.ca.CaRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The CA hierarchy in the database ({@code acme_ca_certificate}, {@code acme_ca_key}, and the
 * setting {@code ca.current}), in plain JDBC with explicit transactions: it is read before the
 * rest of the application is up, and written a few times a year. The current pointer moves by
 * compare-and-set, in the same transaction as the rows it points at, so of two instances making
 * the first CA, or rotating at once, exactly one wins and the other reads its result.
 */
@ApplicationScoped
public class CaRecordStore implements CaRecords {

    static final String CURRENT = "ca.current";

    private final DataSource db;
    private final Clock clock;

    /** Creates the store on the application's datasource. */
    public CaRecordStore(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Optional<Current> current() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT content FROM acme_setting WHERE name = ?")) {
            s.setString(1, CURRENT);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(parse(r.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed("read the current CA", e);
        }
    }

    @Override
    public List<CertificateRow> certificates() {
        return certificateQuery("SELECT id, key_id, pem FROM acme_ca_certificate ORDER BY"
                + " created_at, id", null);
    }

    @Override
    public Optional<CertificateRow> certificate(String id) {
        return certificateQuery("SELECT id, key_id, pem FROM acme_ca_certificate WHERE id = ?",
                id).stream().findFirst();
    }

    private List<CertificateRow> certificateQuery(String sql, String id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (id != null) {
                s.setString(1, id);
            }
            List<CertificateRow> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new CertificateRow(r.getString(1), r.getString(2), r.getString(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the CA certificates", e);
        }
    }

    @Override
    public Optional<KeyRow> key(String id) {
        return keyQuery("SELECT id, protection, kek_id, content FROM acme_ca_key WHERE id = ?",
                id).stream().findFirst();
    }

    @Override
    public List<KeyRow> keys() {
        return keyQuery("SELECT id, protection, kek_id, content FROM acme_ca_key", null);
    }

    private List<KeyRow> keyQuery(String sql, String id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (id != null) {
                s.setString(1, id);
            }
            List<KeyRow> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new KeyRow(r.getString(1), r.getString(2),
                            Optional.ofNullable(r.getString(3)), r.getString(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the CA keys", e);
        }
    }

    @Override
    public boolean commit(List<KeyRow> keys, List<CertificateRow> certificates,
            Optional<Current> expected, Current next) {
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                boolean moved = write(c, keys, certificates, expected, next);
                if (moved) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return moved;
            } catch (SQLException e) {
                c.rollback();
                if (expected.isEmpty() && current().isPresent()) {
                    // Two first starts at once: the other one's CA is in; use it.
                    return false;
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failed("store the CA", e);
        }
    }

    private boolean write(Connection c, List<KeyRow> keys, List<CertificateRow> certificates,
            Optional<Current> expected, Current next) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        for (KeyRow k : keys) {
            if (!exists(c, "acme_ca_key", k.id())) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO acme_ca_key (id,"
                        + " protection, kek_id, content, created_at) VALUES (?, ?, ?, ?, ?)")) {
                    s.setString(1, k.id());
                    s.setString(2, k.protection());
                    s.setString(3, k.kekId().orElse(null));
                    s.setString(4, k.content());
                    s.setTimestamp(5, now);
                    s.executeUpdate();
                }
            }
        }
        for (CertificateRow cert : certificates) {
            if (!exists(c, "acme_ca_certificate", cert.id())) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO acme_ca_certificate"
                        + " (id, key_id, pem, created_at) VALUES (?, ?, ?, ?)")) {
                    s.setString(1, cert.id());
                    s.setString(2, cert.keyId());
                    s.setString(3, cert.pem());
                    s.setTimestamp(4, now);
                    s.executeUpdate();
                }
            }
        }
        if (expected.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO acme_setting (name, content) VALUES (?, ?)")) {
                s.setString(1, CURRENT);
                s.setString(2, format(next));
                return s.executeUpdate() == 1;
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE acme_setting SET content = ? WHERE name = ? AND content = ?")) {
            s.setString(1, format(next));
            s.setString(2, CURRENT);
            s.setString(3, format(expected.get()));
            return s.executeUpdate() == 1;
        }
    }

    private static boolean exists(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + table
                + " WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static String format(Current current) {
        return "root=" + current.rootId() + "\nintermediate=" + current.intermediateId() + "\n";
    }

    private static Current parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(text));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String root = p.getProperty("root");
        String intermediate = p.getProperty("intermediate");
        if (root == null || intermediate == null) {
            throw new IllegalStateException("the setting " + CURRENT
                    + " must name root= and intermediate=");
        }
        return new Current(root, intermediate);
    }

    private static IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
    }
}
