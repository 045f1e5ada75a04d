package io.certapi.store;

import static io.certapi.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.TestDatabase;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one-query reads of an order poll and a certificate download, on both databases: every
 * field the view needs, the authorizations in the order's own order (not the insertion order),
 * the requested validity to the nanosecond, and nothing for an id that does not exist.
 */
class OrderReadsTest {

    private static final Instant CREATED = Instant.parse("2026-11-29T12:00:00.123456Z");
    private static final Instant EXPIRES = Instant.parse("2026-11-30T12:00:00.5Z");
    private static final Instant ISSUE_AT = Instant.parse("2026-11-29T12:00:10.25Z");
    private static final Instant NOT_BEFORE = Instant.parse("2026-11-29T12:01:00.123456789Z");

    static Stream<Arguments> databases() {
        return TestDatabase.h2AndPostgres("certapi_order_reads_test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void readsAnOrderWithItsAuthorizationsInOrder(String name, Supplier<DataSource> database)
            throws Exception {
        DataSource db = database.get();
        try (Connection c = db.getConnection()) {
            TestDatabase.account(c, "tp", CREATED);
            exec(c, "INSERT INTO acme_order (id, account_id, status, expires_at, identifiers,"
                    + " created_at, issue_at, requested_not_before, profile, replaces, error,"
                    + " certificate_id) VALUES ('o1', 'acct', 'processing', ?,"
                    + " '[{\"type\":\"dns\",\"value\":\"b.test\"}]', ?, ?,"
                    + " '" + NOT_BEFORE + "', 'short', 'ari.id', NULL, NULL)",
                    EXPIRES, CREATED, ISSUE_AT);
            exec(c, "INSERT INTO acme_order (id, account_id, status, expires_at, identifiers,"
                    + " created_at, certificate_id) VALUES ('o2', 'acct', 'valid', ?, '[]', ?,"
                    + " 'cert1')", EXPIRES, CREATED);
            // Inserted out of position order: the read must follow the positions.
            authz(c, "az-second", "pending");
            authz(c, "az-first", "valid");
            exec(c, "INSERT INTO acme_order_authz (order_id, position, authz_id)"
                    + " VALUES ('o1', 1, 'az-second')");
            exec(c, "INSERT INTO acme_order_authz (order_id, position, authz_id)"
                    + " VALUES ('o1', 0, 'az-first')");
            exec(c, "INSERT INTO acme_certificate (id, account_id, order_id, serial, issuer_id,"
                    + " pem_chain, key_hash, not_before, not_after, created_at) VALUES ('cert1',"
                    + " 'acct', 'o2', 'ab', 'issuer-1', 'PEM CHAIN', 'k', ?, ?, ?)", CREATED,
                    EXPIRES, CREATED);
        }
        OrderReads reads = new OrderReads(db);

        OrderEntity o = reads.find("o1").orElseThrow();
        assertEquals("acct", o.accountId);
        assertEquals("processing", o.status);
        assertEquals(EXPIRES, o.expiresAt);
        assertEquals(CREATED, o.createdAt);
        assertEquals(ISSUE_AT, o.issueAt);
        assertEquals(NOT_BEFORE, o.notBefore);
        assertNull(o.notAfter);
        assertEquals("[{\"type\":\"dns\",\"value\":\"b.test\"}]", o.identifiers);
        assertEquals("short", o.profile);
        assertEquals("ari.id", o.replaces);
        assertNull(o.certificateId);
        assertEquals(List.of("az-first", "az-second"),
                o.authorizations.stream().map(a -> a.id).toList());
        assertEquals(List.of("valid", "pending"),
                o.authorizations.stream().map(a -> a.status).toList());
        assertEquals(EXPIRES, o.authorizations.get(0).expiresAt);

        OrderEntity valid = reads.find("o2").orElseThrow();
        assertEquals("cert1", valid.certificateId);
        assertTrue(valid.authorizations.isEmpty());

        assertTrue(reads.find("nope").isEmpty());

        OrderReads.StoredChain chain = reads.certificate("cert1").orElseThrow();
        assertEquals("issuer-1", chain.issuerId());
        assertEquals("PEM CHAIN", chain.pemChain());
        assertTrue(reads.certificate("nope").isEmpty());
    }

    private static void authz(Connection c, String id, String status) throws Exception {
        exec(c, "INSERT INTO acme_authz (id, account_id, identifier_type, identifier_value,"
                + " wildcard, status, expires_at, created_at) VALUES ('" + id + "', 'acct',"
                + " 'dns', 'b.test', FALSE, '" + status + "', ?, ?)", EXPIRES, CREATED);
    }
}
