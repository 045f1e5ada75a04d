package io.certapi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 file with {@code WRITE_DELAY=0} (as certapi runs it) under a stream of small commits,
 * like the rows of an order going through its states: without housekeeping it grows with every
 * commit; with it, it stays near its live data, and what was committed is all there.
 */
class H2HousekeepingTest {

    private static final int ROWS = 1500;
    /**
     * No retention in the test, so that what is kept depends on the rows written, not on how
     * fast this machine writes them (the server keeps 2 s of them).
     */
    private static final int RETENTION_MS = 0;

    @TempDir
    Path dir;

    @Test
    void theFileStaysNearItsLiveDataAndKeepsEveryCommit() throws Exception {
        long without = run(dir.resolve("plain"), false);
        long with = run(dir.resolve("kept"), true);
        // Live data: ~1,500 rows of ~1 KB and an index, about 2 MB.
        // Measured: 51 MB without; with, 2.5 MB alone and 5.3 MB in the whole suite on CI.
        assertTrue(without > 4 * with, "without housekeeping " + without + " bytes, with "
                + with);
        assertTrue(with < 12_000_000, "with housekeeping the file is " + with + " bytes");
    }

    /** Inserts rows and moves each through three updates, one commit each; the file's size. */
    private static long run(Path d, boolean housekeeping) throws Exception {
        String url = "jdbc:h2:file:" + d.resolve("t") + ";WRITE_DELAY=0;PAGE_SIZE=4096";
        long size;
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Connection hk = DriverManager.getConnection(url, "sa", "")) {
            MVStore store = H2Housekeeping.storeOf(hk).orElseThrow();
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE acme_t (id VARCHAR(40) PRIMARY KEY, status VARCHAR(20),"
                        + " body VARCHAR(4000))");
                s.execute("CREATE INDEX acme_t_status ON acme_t (status)");
            }
            String body = "x".repeat(1000);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO acme_t VALUES (?, ?, ?)");
                    PreparedStatement upd = c.prepareStatement(
                            "UPDATE acme_t SET status = ? WHERE id = ?")) {
                for (int i = 0; i < ROWS; i++) {
                    ins.setString(1, "id" + i);
                    ins.setString(2, "pending");
                    ins.setString(3, body + i);
                    ins.executeUpdate();
                    for (String status : new String[] {"ready", "processing", "valid"}) {
                        upd.setString(1, status);
                        upd.setString(2, "id" + i);
                        upd.executeUpdate();
                    }
                    if (housekeeping && i % 20 == 0) {
                        H2Housekeeping.compact(store, RETENTION_MS);
                    }
                }
            }
            if (housekeeping) {
                H2Housekeeping.compact(store, RETENTION_MS);
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT COUNT(*) FROM acme_t WHERE status = 'valid'")) {
                rs.next();
                assertEquals(ROWS, rs.getInt(1));
            }
            // Measured while open: closing compacts the file for up to 200 ms.
            size = Files.size(d.resolve("t.mv.db"));
        }
        // Reopened: every commit is there.
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM acme_t WHERE status = 'valid'")) {
            rs.next();
            assertEquals(ROWS, rs.getInt(1));
        }
        return size;
    }
}
