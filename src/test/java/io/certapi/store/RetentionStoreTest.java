package io.certapi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certapi.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The purge on both databases, with two purgers at once as two instances would run it: what is
 * due goes, in batches, children first; what is live, referenced or kept on purpose stays.
 */
class RetentionStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Instant OLD = NOW.minus(Duration.ofDays(100));
    private static final Instant RECENT = NOW.minus(Duration.ofDays(1));
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));

    static Stream<Arguments> databases() {
        return TestDatabase.h2AndPostgres("certapi_retention_test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void purgesWhatIsDueAndKeepsWhatIsLive(String name, Supplier<DataSource> database)
            throws Exception {
        DataSource db = database.get();
        try (Connection c = db.getConnection()) {
            TestDatabase.account(c, "tp", OLD);
            for (int i = 0; i < 7; i++) {
                // Seven old orders, each with its own old authorization and two challenges.
                order(c, "old-order-" + i, OLD);
                authz(c, "old-authz-" + i, OLD);
                link(c, "old-order-" + i, "old-authz-" + i);
                challenge(c, "old-ch-" + i + "a", "old-authz-" + i);
                challenge(c, "old-ch-" + i + "b", "old-authz-" + i);
            }
            // A recent order reusing an old authorization: both stay.
            order(c, "new-order", RECENT);
            authz(c, "reused-authz", OLD);
            link(c, "new-order", "reused-authz");
            challenge(c, "reused-ch", "reused-authz");
            certificate(c, "old-cert", OLD.minus(Duration.ofDays(100)), null);
            certificate(c, "old-cert-2", OLD.minus(Duration.ofDays(100)), 4);
            certificate(c, "compromised", OLD.minus(Duration.ofDays(100)), 1);
            certificate(c, "live-cert", NOW.plus(Duration.ofMinutes(10)), null);
        }
        RetentionStore store = new RetentionStore(db);
        // Two instances purging at once, in batches of 3.
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Future<int[]>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(two.submit((Callable<int[]>) () -> new int[] {
                drain(() -> store.purgeOrders(CUTOFF, 3)),
                drain(() -> store.purgeAuthorizations(CUTOFF, 3)),
                drain(() -> store.purgeCertificates(NOW.minus(Duration.ofDays(90)), 3))}));
        }
        int[] total = new int[3];
        for (Future<int[]> f : runs) {
            int[] r = f.get();
            for (int i = 0; i < 3; i++) {
                total[i] += r[i];
            }
        }
        two.shutdown();
        assertEquals(7, total[0], "every old order, once");
        assertEquals(7, total[1], "every unreferenced old authorization, once");
        assertEquals(2, total[2], "the old certificates but the compromised one");
        try (Connection c = db.getConnection()) {
            assertEquals(Set.of("new-order"), ids(c, "acme_order"));
            assertEquals(Set.of("reused-authz"), ids(c, "acme_authz"));
            assertEquals(Set.of("reused-ch"), ids(c, "acme_challenge"));
            assertEquals(Set.of("compromised", "live-cert"), ids(c, "acme_certificate"));
            assertEquals(1, count(c, "acme_order_authz"));
        }
    }

    private static int drain(Callable<Integer> batch) throws Exception {
        int total = 0;
        int n;
        do {
            n = batch.call();
            total += n;
        } while (n > 0);
        return total;
    }

    private static void order(Connection c, String id, Instant expires) throws Exception {
        exec(c, "INSERT INTO acme_order (id, account_id, status, expires_at, identifiers,"
                + " created_at) VALUES ('" + id + "', 'acct', 'valid', ?, '[]', ?)", expires,
                expires);
    }

    private static void authz(Connection c, String id, Instant expires) throws Exception {
        exec(c, "INSERT INTO acme_authz (id, account_id, identifier_type, identifier_value,"
                + " wildcard, status, expires_at, created_at) VALUES ('" + id + "', 'acct',"
                + " 'dns', 'a.test', FALSE, 'valid', ?, ?)", expires, expires);
    }

    private static void link(Connection c, String order, String authz) throws Exception {
        exec(c, "INSERT INTO acme_order_authz (order_id, position, authz_id) VALUES ('" + order
                + "', 0, '" + authz + "')");
    }

    private static void challenge(Connection c, String id, String authz) throws Exception {
        exec(c, "INSERT INTO acme_challenge (id, authz_id, challenge_type, token, status,"
                + " attempts, validation) VALUES ('" + id + "', '" + authz + "', 'http-01', 't',"
                + " 'valid', 1, '[{\"url\":\"transcript\"}]')");
    }

    private static void certificate(Connection c, String id, Instant notAfter, Integer reason)
            throws Exception {
        exec(c, "INSERT INTO acme_certificate (id, account_id, order_id, serial, issuer_id,"
                + " pem_chain, key_hash, not_before, not_after, revocation_reason, created_at)"
                + " VALUES ('" + id + "', 'acct', 'o', '" + id + "', 'i', 'pem', 'k', ?, ?, "
                + reason + ", ?)", notAfter.minus(Duration.ofMinutes(10)), notAfter, notAfter);
    }

    private static void exec(Connection c, String sql, Instant... times) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < times.length; i++) {
                s.setTimestamp(i + 1, Timestamp.from(times[i]));
            }
            s.executeUpdate();
        }
    }

    private static Set<String> ids(Connection c, String table) throws Exception {
        Set<String> out = new TreeSet<>();
        try (var s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM "
                + table)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static int count(Connection c, String table) throws Exception {
        try (var s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM "
                + table)) {
            r.next();
            return r.getInt(1);
        }
    }
}
