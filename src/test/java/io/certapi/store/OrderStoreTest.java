package io.certapi.store;

import static io.certapi.testing.TestDatabase.exec;
import static io.certapi.testing.TestDatabase.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * newOrder's, newAuthz's and finalize's plain JDBC transactions on both databases: an order is
 * stored whole (row, new authorizations with their challenges, links in order, rate-limit count,
 * replaced mark) or, refused by a full bucket or beaten to the certificate it replaces, not at
 * all; of two finalize requests one wins, and one that finds a bucket full writes nothing.
 */
class OrderStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Instant NOT_BEFORE = Instant.parse("2026-11-29T12:01:00.123456789Z");
    private static final RateLimitStore.Bucket ORDERS = new RateLimitStore.Bucket(
            "new-orders-per-account:acct", 1, Duration.ofHours(1));

    static Stream<Arguments> databases() {
        return TestDatabase.h2AndPostgres("certapi_order_store_test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void storesAnOrderWholeOrNotAtAll(String name, Supplier<DataSource> database)
            throws Exception {
        DataSource db = database.get();
        try (Connection c = db.getConnection()) {
            TestDatabase.account(c, "tp", NOW);
            exec(c, "INSERT INTO acme_authz (id, account_id, identifier_type, identifier_value,"
                    + " wildcard, status, expires_at, created_at) VALUES ('az-reused', 'acct',"
                    + " 'dns', 'b.test', FALSE, 'valid', ?, ?)", NOW.plusSeconds(86400), NOW);
            exec(c, "INSERT INTO acme_order (id, account_id, status, expires_at, identifiers,"
                    + " created_at) VALUES ('o-old', 'acct', 'valid', ?, '[]', ?)", NOW, NOW);
            exec(c, "INSERT INTO acme_certificate (id, account_id, order_id, serial, issuer_id,"
                    + " pem_chain, key_hash, not_before, not_after, created_at) VALUES ('cert1',"
                    + " 'acct', 'o-old', 'ab', 'i', 'PEM', 'k', ?, ?, ?)", NOW, NOW, NOW);
        }
        RateLimitStore limits = new RateLimitStore(db);
        OrderStore store = new OrderStore(db, limits);
        var orderLimits = Optional.of(new RateLimitStore.OrderLimits(List.of(), "acct", 0, 2,
                ORDERS));

        OrderEntity o = order("o1");
        OrderStore.NewAuthorization fresh = authorization("az-new");
        AuthorizationEntity reused = new AuthorizationEntity();
        reused.id = "az-reused";
        o.authorizations.add(fresh.authorization());
        o.authorizations.add(reused);
        OrderStore.Created created = store.create(o, List.of(fresh), orderLimits,
                Optional.of(new OrderStore.Replacing("cert1", null)), NOW);
        assertTrue(created.stored());

        // The bucket (one an hour) is full now: the second order is refused, nothing stored.
        OrderEntity second = order("o2");
        OrderStore.NewAuthorization other = authorization("az-other");
        second.authorizations.add(other.authorization());
        OrderStore.Created refused = store.create(second, List.of(other), orderLimits,
                Optional.empty(), NOW.plusSeconds(1));
        assertFalse(refused.stored());
        assertTrue(refused.refused().orElseThrow().orders().isPresent());

        // The certificate is replaced by o1 already: a third order that saw it free loses.
        OrderEntity third = order("o3");
        third.authorizations.add(reused);
        OrderStore.Created raced = store.create(third, List.of(), Optional.empty(),
                Optional.of(new OrderStore.Replacing("cert1", null)), NOW);
        assertTrue(raced.replaceRaced());

        try (Connection c = db.getConnection()) {
            assertEquals("acct pending [] o1 2026-11-29T12:01:00.123456789Z", row(c,
                    "SELECT account_id, status, identifiers, id, requested_not_before"
                            + " FROM acme_order WHERE id = 'o1'"));
            assertEquals("0 az-new 1 az-reused", row(c, "SELECT a.position, a.authz_id,"
                    + " b.position, b.authz_id FROM acme_order_authz a JOIN acme_order_authz b"
                    + " ON b.order_id = a.order_id AND b.position = 1 WHERE a.order_id = 'o1'"
                    + " AND a.position = 0"));
            assertEquals("2", row(c, "SELECT COUNT(*) FROM acme_challenge"
                    + " WHERE authz_id = 'az-new'"));
            assertEquals("pending a.test false", row(c, "SELECT status, identifier_value,"
                    + " wildcard FROM acme_authz WHERE id = 'az-new'"));
            assertEquals("o1", row(c, "SELECT replaced_by FROM acme_certificate"
                    + " WHERE id = 'cert1'"));
            assertEquals("1.0", row(c, "SELECT used FROM acme_rate_bucket"));
            assertEquals("0", row(c, "SELECT COUNT(*) FROM acme_order WHERE id IN ('o2', 'o3')"));
            assertEquals("0", row(c, "SELECT COUNT(*) FROM acme_authz WHERE id = 'az-other'"));
        }

        // A replacement of o1's replacement, once o1 is known to be invalid, is a new CAS.
        OrderEntity fourth = order("o4");
        fourth.authorizations.add(reused);
        assertTrue(store.create(fourth, List.of(), Optional.empty(),
                Optional.of(new OrderStore.Replacing("cert1", "o1")), NOW).stored());

        store.createAuthorization(authorization("az-pre"));
        try (Connection c = db.getConnection()) {
            assertEquals("o4", row(c, "SELECT replaced_by FROM acme_certificate"
                    + " WHERE id = 'cert1'"));
            assertEquals("2", row(c, "SELECT COUNT(*) FROM acme_challenge"
                    + " WHERE authz_id = 'az-pre'"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void finalizesOnceAndCountsOnlyWhatItWrites(String name, Supplier<DataSource> database)
            throws Exception {
        DataSource db = database.get();
        try (Connection c = db.getConnection()) {
            TestDatabase.account(c, "tp", NOW);
            for (String id : new String[] {"o1", "o2"}) {
                exec(c, "INSERT INTO acme_order (id, account_id, status, expires_at,"
                        + " identifiers, created_at) VALUES ('" + id + "', 'acct', 'pending', ?,"
                        + " '[]', ?)", NOW.plusSeconds(3600), NOW);
            }
            exec(c, "INSERT INTO acme_certificate (id, account_id, order_id, serial, issuer_id,"
                    + " pem_chain, key_hash, not_before, not_after, created_at,"
                    + " revocation_reason, revoked_at) VALUES ('bad', 'acct', 'o1', 'cd', 'i',"
                    + " 'PEM', 'compromised-key', ?, ?, ?, 1, ?)", NOW, NOW, NOW, NOW);
        }
        OrderStore store = new OrderStore(db, new RateLimitStore(db));
        RateLimitStore.Bucket ca = new RateLimitStore.Bucket("issuance:ca", 1,
                Duration.ofHours(1));
        Instant due = NOW.plusSeconds(10);

        OrderStore.Finalized won = store.finalizeOrder("o1", "CSR", due, List.of(ca), NOW);
        assertTrue(won.processing());
        assertFalse(store.finalizeOrder("o1", "CSR2", due, List.of(ca), NOW).processing(),
                "a second finalize loses");
        OrderStore.Finalized full = store.finalizeOrder("o2", "CSR", due, List.of(ca), NOW);
        assertFalse(full.processing());
        assertEquals("issuance:ca", full.full().orElseThrow().bucket().key());

        assertEquals(new OrderStore.KeyUse(Optional.of("acct"), false),
                store.keyUse("tp", "fresh-key"));
        assertEquals(new OrderStore.KeyUse(Optional.empty(), true),
                store.keyUse(null, "compromised-key"));
        try (Connection c = db.getConnection()) {
            assertEquals("processing CSR " + due.getEpochSecond(), row(c, "SELECT status, csr,"
                    + " issue_at FROM acme_order WHERE id = 'o1'"));
            assertEquals("pending null", row(c, "SELECT status, csr FROM acme_order"
                    + " WHERE id = 'o2'"));
            assertEquals("1.0", row(c, "SELECT used FROM acme_rate_bucket"));
        }
    }

    private static OrderEntity order(String id) {
        OrderEntity o = new OrderEntity();
        o.id = id;
        o.accountId = "acct";
        o.status = "pending";
        o.createdAt = NOW;
        o.expiresAt = NOW.plusSeconds(3600);
        o.notBefore = NOT_BEFORE;
        o.identifiers = "[]";
        return o;
    }

    private static OrderStore.NewAuthorization authorization(String id) {
        AuthorizationEntity a = new AuthorizationEntity();
        a.id = id;
        a.accountId = "acct";
        a.identifierType = "dns";
        a.identifierValue = "a.test";
        a.status = "pending";
        a.createdAt = NOW;
        a.expiresAt = NOW.plusSeconds(3600);
        List<ChallengeEntity> challenges = Stream.of("dns-01", "http-01").map(type -> {
            ChallengeEntity c = new ChallengeEntity();
            c.id = id + "-" + type;
            c.authzId = id;
            c.type = type;
            c.token = "tok";
            c.status = "pending";
            return c;
        }).toList();
        return new OrderStore.NewAuthorization(a, challenges);
    }
}
