package io.certapi.store;

import static io.certapi.testing.TestDatabase.exec;
import static io.certapi.testing.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The signers' plain JDBC statements on both databases: a claim takes only processing orders
 * nobody holds (a live lease keeps a second claim off, a lapsed one does not), reads what
 * signing needs, and a certificate is stored only for an order still processing, once.
 */
class IssuanceStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Instant NOT_BEFORE = Instant.parse("2026-11-29T12:01:00.123456789Z");

    static Stream<Arguments> databases() {
        return TestDatabase.h2AndPostgres("certapi_issuance_store_test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void claimsOnlyWhatIsFreeAndStoresEachCertificateOnce(String name,
            Supplier<DataSource> database) throws Exception {
        DataSource db = database.get();
        try (Connection c = db.getConnection()) {
            TestDatabase.account(c, "tp", NOW);
            order(c, "due", "processing");
            order(c, "other", "processing");
            order(c, "pending", "pending");
            exec(c, "UPDATE acme_order SET csr = 'CSR', profile = 'short',"
                    + " requested_not_before = '" + NOT_BEFORE + "' WHERE id = 'due'");
        }
        IssuanceStore store = new IssuanceStore(db);
        Instant until = NOW.plus(Duration.ofSeconds(30));

        Map<String, IssuanceStore.Claimed> first = store.claim(List.of("due", "pending",
                "nope"), NOW, until);
        assertEquals(List.of("due"), List.copyOf(first.keySet()));
        IssuanceStore.Claimed due = first.get("due");
        assertEquals("acct", due.accountId());
        assertEquals("CSR", due.csr());
        assertEquals("[]", due.identifiers());
        assertEquals(NOT_BEFORE, due.notBefore());
        assertNull(due.notAfter());
        assertEquals("short", due.profile());

        // Held until `until`: a second worker gets nothing, then everything once it lapsed.
        assertTrue(store.claim(List.of("due"), NOW.plusSeconds(1), until).isEmpty());
        assertEquals(List.of("due"), List.copyOf(store.claim(List.of("due"),
                until.plusSeconds(1), until.plusSeconds(60)).keySet()));

        IssuanceStore.NewCertificate cert = cert("c1", "due");
        assertEquals(List.of(true), store.store(List.of(cert)));
        // The same order again (another worker's late signature): not kept.
        assertEquals(List.of(false, true), store.store(List.of(cert("c2", "due"),
                cert("c3", "other"))));
        try (Connection c = db.getConnection()) {
            assertEquals("valid c1 null null", row(c, "SELECT status, certificate_id, csr,"
                    + " claimed_until FROM acme_order WHERE id = 'due'"));
            assertEquals("c1 c3", row(c, "SELECT MIN(id), MAX(id) FROM acme_certificate"));
            assertEquals("2", row(c, "SELECT COUNT(*) FROM acme_certificate"));
            assertEquals("issuer-1 PEM hash acct due", row(c, "SELECT issuer_id, pem_chain,"
                    + " key_hash, account_id, order_id FROM acme_certificate WHERE id = 'c1'"));
        }
        assertTrue(store.claim(List.of("due"), until.plusSeconds(120), until).isEmpty());

        order(db, "broken", "processing");
        store.invalid("broken", "{\"type\":\"x\"}");
        store.invalid("due", "{\"type\":\"x\"}");
        try (Connection c = db.getConnection()) {
            assertEquals("invalid {\"type\":\"x\"}", row(c, "SELECT status, error FROM acme_order"
                    + " WHERE id = 'broken'"));
            assertEquals("valid null", row(c, "SELECT status, error FROM acme_order"
                    + " WHERE id = 'due'"));
        }
    }

    private static IssuanceStore.NewCertificate cert(String id, String order) {
        return new IssuanceStore.NewCertificate(id, order, "acct", "serial-" + id, "issuer-1",
                "PEM", "hash", NOW, NOW.plus(Duration.ofMinutes(10)), NOW);
    }

    private static void order(DataSource db, String id, String status) throws Exception {
        try (Connection c = db.getConnection()) {
            order(c, id, status);
        }
    }

    private static void order(Connection c, String id, String status) throws Exception {
        exec(c, "INSERT INTO acme_order (id, account_id, status, expires_at, identifiers,"
                + " created_at, issue_at) VALUES ('" + id + "', 'acct', '" + status + "', ?,"
                + " '[]', ?, ?)", NOW.plus(Duration.ofDays(1)), NOW, NOW);
    }
}
