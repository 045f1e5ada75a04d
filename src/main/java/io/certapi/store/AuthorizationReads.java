package io.certapi.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The reads of every authorization and challenge poll, and of a challenge answer, each one
 * query on a pooled connection, without an ORM session or a JTA transaction (as
 * {@link OrderReads} for orders). Rows come back as detached entities: the flow computes their
 * status and view exactly as for ones Hibernate loaded, and a change to them is never stored.
 */
@ApplicationScoped
public class AuthorizationReads {

    private static final String AUTHZ_COLUMNS = "a.id, a.account_id, a.identifier_type,"
            + " a.identifier_value, a.wildcard, a.status, a.expires_at, a.created_at";
    private static final String CHALLENGE_COLUMNS = "c.id, c.authz_id, c.challenge_type,"
            + " c.token, c.status, c.validated_at, c.error, c.validation, c.attempts,"
            + " c.next_attempt_at, c.claimed_until";

    /** An authorization with its challenges, by type. */
    private static final String AUTHZ_SQL = "SELECT " + AUTHZ_COLUMNS + ", " + CHALLENGE_COLUMNS
            + " FROM acme_authz a LEFT JOIN acme_challenge c ON c.authz_id = a.id"
            + " WHERE a.id = ? ORDER BY c.challenge_type";

    /** A challenge with its authorization. */
    private static final String CHALLENGE_SQL = "SELECT " + AUTHZ_COLUMNS + ", "
            + CHALLENGE_COLUMNS + " FROM acme_challenge c JOIN acme_authz a ON a.id = c.authz_id"
            + " WHERE c.id = ?";

    private static final int FIRST_CHALLENGE_COLUMN = 9;

    private final DataSource dataSource;

    /** Creates the reader over the default datasource. */
    public AuthorizationReads(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * An authorization and its challenges.
     *
     * @param authorization the authorization
     * @param challenges its challenges, ordered by type
     */
    public record WithChallenges(AuthorizationEntity authorization,
            List<ChallengeEntity> challenges) {
    }

    /**
     * A challenge and the authorization it belongs to.
     *
     * @param challenge the challenge
     * @param authorization its authorization
     */
    public record ChallengeOf(ChallengeEntity challenge, AuthorizationEntity authorization) {
    }

    /** Authorization {@code id} with its challenges, detached. */
    public Optional<WithChallenges> authorization(String id) {
        return Jdbc.one(dataSource, AUTHZ_SQL, id, rs -> {
            AuthorizationEntity a = authorization(rs);
            List<ChallengeEntity> challenges = new ArrayList<>();
            do {
                if (rs.getString(FIRST_CHALLENGE_COLUMN) != null) {
                    challenges.add(challenge(rs));
                }
            } while (rs.next());
            return new WithChallenges(a, challenges);
        }, "authorization");
    }

    /** Challenge {@code id} with its authorization, detached. */
    public Optional<ChallengeOf> challenge(String id) {
        return Jdbc.one(dataSource, CHALLENGE_SQL, id,
                rs -> new ChallengeOf(challenge(rs), authorization(rs)), "challenge");
    }

    /**
     * A valid authorization of {@code accountId} for the identifier that is still valid at
     * {@code until}, the longest-lived first, detached (its challenges not read).
     */
    public Optional<AuthorizationEntity> reusable(String accountId, String type, String value,
            boolean wildcard, Instant until) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + AUTHZ_COLUMNS
                        + " FROM acme_authz a WHERE a.account_id = ? AND a.identifier_type = ?"
                        + " AND a.identifier_value = ? AND a.wildcard = ? AND a.status = 'valid'"
                        + " AND a.expires_at > ? ORDER BY a.expires_at DESC")) {
            ps.setString(1, accountId);
            ps.setString(2, type);
            ps.setString(3, value);
            ps.setBoolean(4, wildcard);
            ps.setObject(5, Jdbc.utc(until));
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(authorization(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not look for a reusable authorization", e);
        }
    }

    private static AuthorizationEntity authorization(ResultSet rs) throws SQLException {
        AuthorizationEntity a = new AuthorizationEntity();
        a.id = rs.getString(1);
        a.accountId = rs.getString(2);
        a.identifierType = rs.getString(3);
        a.identifierValue = rs.getString(4);
        a.wildcard = rs.getBoolean(5);
        a.status = rs.getString(6);
        a.expiresAt = Jdbc.instant(rs, 7);
        a.createdAt = Jdbc.instant(rs, 8);
        return a;
    }

    private static ChallengeEntity challenge(ResultSet rs) throws SQLException {
        int i = FIRST_CHALLENGE_COLUMN;
        ChallengeEntity c = new ChallengeEntity();
        c.id = rs.getString(i);
        c.authzId = rs.getString(i + 1);
        c.type = rs.getString(i + 2);
        c.token = rs.getString(i + 3);
        c.status = rs.getString(i + 4);
        c.validatedAt = Jdbc.instant(rs, i + 5);
        c.error = rs.getString(i + 6);
        c.validation = rs.getString(i + 7);
        c.attempts = rs.getInt(i + 8);
        c.nextAttemptAt = Jdbc.instant(rs, i + 9);
        c.claimedUntil = Jdbc.instant(rs, i + 10);
        return c;
    }
}
