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
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validators' plain JDBC statements on both databases: a claim reads the challenge with its
 * authorization and account and keeps a second worker off while it lasts; an outcome is
 * recorded only by the worker that holds the current attempt, and moves a pending
 * authorization (valid with its new expiry, or invalid), never one already decided.
 */
class ValidationStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofDays(30));

    static Stream<Arguments> databases() {
        return TestDatabase.h2AndPostgres("certapi_validation_store_test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void claimsRecordsOnceAndDecidesPendingAuthorizations(String name,
            Supplier<DataSource> database) throws Exception {
        DataSource db = database.get();
        try (Connection c = db.getConnection()) {
            TestDatabase.account(c, "thumb", NOW);
            for (String a : new String[] {"az1", "az2", "az3"}) {
                exec(c, "INSERT INTO acme_authz (id, account_id, identifier_type,"
                        + " identifier_value, wildcard, status, expires_at, created_at) VALUES"
                        + " ('" + a + "', 'acct', 'dns', '" + a + ".test', " + "az2".equals(a)
                        + ", 'pending', ?, ?)", NOW.plusSeconds(3600), NOW);
                exec(c, "INSERT INTO acme_challenge (id, authz_id, challenge_type, token,"
                        + " status, attempts, next_attempt_at) VALUES ('ch-" + a + "', '" + a
                        + "', 'http-01', 'tok-" + a + "', 'processing', 0, ?)", NOW);
            }
            exec(c, "INSERT INTO acme_challenge (id, authz_id, challenge_type, token, status,"
                    + " attempts) VALUES ('ch-pending', 'az1', 'dns-01', 't', 'pending', 0)");
        }
        ValidationStore store = new ValidationStore(db);
        Instant until = NOW.plusSeconds(30);

        ValidationStore.Claimed c1 = store.claim("ch-az1", NOW, until).orElseThrow();
        assertEquals(new ValidationStore.Claimed("ch-az1", "az1", "http-01", "tok-az1", "dns",
                "az1.test", false, "acct", "thumb", 0), c1);
        assertTrue(store.claim("ch-az1", NOW.plusSeconds(1), until).isEmpty(), "held");
        assertTrue(store.claim("ch-pending", NOW, until).isEmpty(), "not processing");
        assertTrue(store.claim("nope", NOW, until).isEmpty());

        // A failed attempt, tried again later: still processing, the claim released.
        assertTrue(record(store, c1, new ValidationStore.Outcome("processing", null,
                NOW.plusSeconds(5), "{\"e\":1}", "[1]", null, null)));
        // A worker still holding attempt 0 records nothing.
        assertFalse(record(store, c1, new ValidationStore.Outcome("valid", NOW, null, null,
                "[]", "valid", LATER)));
        ValidationStore.Claimed again = store.claim("ch-az1", NOW.plusSeconds(6),
                NOW.plusSeconds(36)).orElseThrow();
        assertEquals(1, again.attempts());
        assertTrue(record(store, again, new ValidationStore.Outcome("valid", NOW, null, null,
                "[2]", "valid", LATER)));

        ValidationStore.Claimed c2 = store.claim("ch-az2", NOW, until).orElseThrow();
        assertTrue(c2.wildcard());
        assertTrue(record(store, c2, new ValidationStore.Outcome("invalid", null, null,
                "{\"e\":2}", "[3]", "invalid", null)));

        // The authorization is decided already: the challenge is recorded, the authz kept.
        try (Connection c = db.getConnection()) {
            exec(c, "UPDATE acme_authz SET status = 'deactivated' WHERE id = 'az3'");
        }
        ValidationStore.Claimed c3 = store.claim("ch-az3", NOW, until).orElseThrow();
        assertTrue(record(store, c3, new ValidationStore.Outcome("valid", NOW, null, null, "[]",
                "valid", LATER)));

        try (Connection c = db.getConnection()) {
            assertEquals("valid 2 null null [2]", row(c, "SELECT status, attempts,"
                    + " claimed_until, error, validation FROM acme_challenge WHERE id = 'ch-az1'"));
            assertEquals("valid " + LATER.getEpochSecond(), row(c, "SELECT status,"
                    + " expires_at FROM acme_authz WHERE id = 'az1'"));
            assertEquals("invalid 1 {\"e\":2}", row(c, "SELECT status, attempts, error"
                    + " FROM acme_challenge WHERE id = 'ch-az2'"));
            assertEquals("invalid", row(c, "SELECT status FROM acme_authz WHERE id = 'az2'"));
            assertEquals("deactivated", row(c, "SELECT status FROM acme_authz WHERE id = 'az3'"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void startsAPendingChallengeOfAPendingAuthorizationOnceAndHoldsIt(String name,
            Supplier<DataSource> database) throws Exception {
        DataSource db = database.get();
        try (Connection c = db.getConnection()) {
            TestDatabase.account(c, "thumb", NOW);
            exec(c, "INSERT INTO acme_authz (id, account_id, identifier_type, identifier_value,"
                    + " wildcard, status, expires_at, created_at) VALUES ('az', 'acct', 'dns',"
                    + " 'a.test', FALSE, 'pending', ?, ?)", NOW.plusSeconds(3600), NOW);
            exec(c, "INSERT INTO acme_authz (id, account_id, identifier_type, identifier_value,"
                    + " wildcard, status, expires_at, created_at) VALUES ('az-old', 'acct', 'dns',"
                    + " 'b.test', FALSE, 'pending', ?, ?)", NOW, NOW.minusSeconds(60));
            exec(c, "INSERT INTO acme_authz (id, account_id, identifier_type, identifier_value,"
                    + " wildcard, status, expires_at, created_at) VALUES ('az-off', 'acct', 'dns',"
                    + " 'c.test', FALSE, 'deactivated', ?, ?)", NOW.plusSeconds(3600), NOW);
            for (String a : new String[] {"az", "az-old", "az-off"}) {
                exec(c, "INSERT INTO acme_challenge (id, authz_id, challenge_type, token, status,"
                        + " attempts) VALUES ('ch-" + a + "', '" + a + "', 'http-01', 'tok',"
                        + " 'pending', 0)");
            }
        }
        ValidationStore store = new ValidationStore(db);
        Instant until = NOW.plusSeconds(30);

        assertEquals(new ValidationStore.Claimed("ch-az", "az", "http-01", "tok", "dns",
                "a.test", false, "acct", "thumb", 0), store.start("ch-az", NOW, until)
                        .orElseThrow());
        assertTrue(store.start("ch-az", NOW, until).isEmpty(), "a second answer starts nothing");
        // The answering instance holds it: the poll's claim finds it taken until the lease ends.
        assertTrue(store.claim("ch-az", NOW.plusSeconds(29), NOW.plusSeconds(59)).isEmpty());
        assertTrue(store.claim("ch-az", NOW.plusSeconds(31), NOW.plusSeconds(61)).isPresent(),
                "a lapsed claim is taken over");
        assertTrue(store.start("ch-az-old", NOW, until).isEmpty(), "authorization expired");
        assertTrue(store.start("ch-az-off", NOW, until).isEmpty(), "authorization deactivated");
        assertTrue(store.start("nope", NOW, until).isEmpty());

        try (Connection c = db.getConnection()) {
            assertEquals("processing " + NOW.getEpochSecond() + " 0", row(c, "SELECT status,"
                    + " next_attempt_at, attempts FROM acme_challenge WHERE id = 'ch-az'"));
            assertEquals("pending", row(c, "SELECT status FROM acme_challenge"
                    + " WHERE id = 'ch-az-old'"));
            assertEquals("pending", row(c, "SELECT status FROM acme_challenge"
                    + " WHERE id = 'ch-az-off'"));
        }
    }

    /** Records {@code o} as the worker holding claim {@code c} would. */
    private static boolean record(ValidationStore store, ValidationStore.Claimed c,
            ValidationStore.Outcome o) {
        return store.record(c.challengeId(), c.authzId(), c.attempts(), o);
    }
}
