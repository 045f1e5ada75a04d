package io.certapi.store;

import static io.certapi.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The one-query reads of an authorization poll and a challenge answer, on both databases:
 * every field the views need, the challenges ordered by type, an authorization without
 * challenges, and nothing for an id that does not exist.
 */
class AuthorizationReadsTest {

    private static final Instant CREATED = Instant.parse("2026-11-29T12:00:00.123456Z");
    private static final Instant EXPIRES = Instant.parse("2026-12-06T12:00:00.5Z");
    private static final Instant VALIDATED = Instant.parse("2026-11-29T12:00:03.25Z");

    static Stream<Arguments> databases() {
        return TestDatabase.h2AndPostgres("certapi_authz_reads_test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void readsAuthorizationsAndChallenges(String name, Supplier<DataSource> database)
            throws Exception {
        DataSource db = database.get();
        try (Connection c = db.getConnection()) {
            TestDatabase.account(c, "tp", CREATED);
            exec(c, "INSERT INTO acme_authz (id, account_id, identifier_type, identifier_value,"
                    + " wildcard, status, expires_at, created_at) VALUES ('az1', 'acct', 'dns',"
                    + " 'example.test', TRUE, 'valid', ?, ?)", EXPIRES, CREATED);
            exec(c, "INSERT INTO acme_authz (id, account_id, identifier_type, identifier_value,"
                    + " wildcard, status, expires_at, created_at) VALUES ('az-bare', 'acct',"
                    + " 'ip', '192.0.2.1', FALSE, 'pending', ?, ?)", EXPIRES, CREATED);
            // Inserted out of type order: the read orders them.
            exec(c, "INSERT INTO acme_challenge (id, authz_id, challenge_type, token, status,"
                    + " attempts) VALUES ('ch-tls', 'az1', 'tls-alpn-01', 't3', 'pending', 0)");
            exec(c, "INSERT INTO acme_challenge (id, authz_id, challenge_type, token, status,"
                    + " attempts, validated_at, validation, error) VALUES ('ch-dns', 'az1',"
                    + " 'dns-01', 't2', 'valid', 2, ?, '[{\"r\":1}]', '{\"e\":1}')", VALIDATED);
            exec(c, "INSERT INTO acme_challenge (id, authz_id, challenge_type, token, status,"
                    + " attempts, next_attempt_at, claimed_until) VALUES ('ch-http', 'az1',"
                    + " 'http-01', 't1', 'processing', 1, ?, ?)", VALIDATED, EXPIRES);
        }
        AuthorizationReads reads = new AuthorizationReads(db);

        AuthorizationReads.WithChallenges w = reads.authorization("az1").orElseThrow();
        AuthorizationEntity a = w.authorization();
        assertEquals(List.of("az1", "acct", "dns", "example.test", "valid"),
                List.of(a.id, a.accountId, a.identifierType, a.identifierValue, a.status));
        assertTrue(a.wildcard);
        assertEquals(EXPIRES, a.expiresAt);
        assertEquals(CREATED, a.createdAt);
        assertEquals(List.of("dns-01", "http-01", "tls-alpn-01"),
                w.challenges().stream().map(ch -> ch.type).toList());

        ChallengeEntity dns = w.challenges().get(0);
        assertEquals(List.of("ch-dns", "az1", "t2", "valid", "[{\"r\":1}]", "{\"e\":1}"),
                List.of(dns.id, dns.authzId, dns.token, dns.status, dns.validation, dns.error));
        assertEquals(2, dns.attempts);
        assertEquals(VALIDATED, dns.validatedAt);
        assertNull(dns.nextAttemptAt);
        ChallengeEntity http = w.challenges().get(1);
        assertEquals(VALIDATED, http.nextAttemptAt);
        assertEquals(EXPIRES, http.claimedUntil);

        AuthorizationReads.WithChallenges bare = reads.authorization("az-bare").orElseThrow();
        assertFalse(bare.authorization().wildcard);
        assertEquals(List.of(), bare.challenges());

        AuthorizationReads.ChallengeOf of = reads.challenge("ch-http").orElseThrow();
        assertEquals("ch-http", of.challenge().id);
        assertEquals("processing", of.challenge().status);
        assertEquals(1, of.challenge().attempts);
        assertEquals("az1", of.authorization().id);
        assertEquals("acct", of.authorization().accountId);
        assertEquals(EXPIRES, of.authorization().expiresAt);

        assertTrue(reads.authorization("nope").isEmpty());
        assertTrue(reads.challenge("nope").isEmpty());
    }
}
