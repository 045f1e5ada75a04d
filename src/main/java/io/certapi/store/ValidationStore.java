package io.certapi.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The validators' statements: claim a due challenge and read what its validation needs, then
 * record the attempt's outcome, each in one plain JDBC transaction. As for the signers, an ORM
 * session and a JTA transaction around two or three statements cost more CPU than the
 * statements.
 */
@ApplicationScoped
public class ValidationStore {

    private final DataSource dataSource;

    /** Creates the store over the default datasource. */
    public ValidationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What one validation needs of a claimed challenge. */
    public record Claimed(String challengeId, String authzId, String type, String token,
            String identifierType, String identifierValue, boolean wildcard, String accountId,
            String thumbprint, int attempts) {
    }

    /**
     * An attempt's outcome: the challenge's new status, and the authorization's when the
     * challenge decides it (valid, with its new expiry; invalid).
     */
    public record Outcome(String status, Instant validatedAt, Instant nextAttemptAt,
            String error, String validation, String authzStatus, Instant authzExpires) {
    }

    /**
     * Claims challenge {@code id} until {@code until} if it is processing and no live worker
     * holds it, and reads it with its authorization and account.
     */
    public Optional<Claimed> claim(String id, Instant now, Instant until) {
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement upd = c.prepareStatement("UPDATE acme_challenge"
                    + " SET claimed_until = ? WHERE id = ? AND status = 'processing'"
                    + " AND (claimed_until IS NULL OR claimed_until < ?)")) {
                upd.setObject(1, Jdbc.utc(until));
                upd.setString(2, id);
                upd.setObject(3, Jdbc.utc(now));
                return upd.executeUpdate() == 1 ? readClaimed(c, id) : Optional.<Claimed>empty();
            }
        }, "claiming challenge " + id);
    }

    /**
     * A client's answer to challenge {@code id}: moves it from pending to processing, with its
     * first attempt due {@code now}, if its authorization is still pending and unexpired, and
     * claims it for this instance until {@code until}, so that the answering instance validates
     * it without a claim of its own (one commit less per challenge); if that instance dies, the
     * claim lapses and the poll of any instance takes it over. Empty when the challenge was not
     * pending (a concurrent answer won) or the authorization was no longer pending.
     */
    public Optional<Claimed> start(String id, Instant now, Instant until) {
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement upd = c.prepareStatement("UPDATE acme_challenge"
                    + " SET status = 'processing', next_attempt_at = ?, claimed_until = ?"
                    + " WHERE id = ? AND status = 'pending' AND EXISTS (SELECT 1 FROM acme_authz a"
                    + " WHERE a.id = acme_challenge.authz_id AND a.status = 'pending'"
                    + " AND a.expires_at > ?)")) {
                upd.setObject(1, Jdbc.utc(now));
                upd.setObject(2, Jdbc.utc(until));
                upd.setString(3, id);
                upd.setObject(4, Jdbc.utc(now));
                return upd.executeUpdate() == 1 ? readClaimed(c, id) : Optional.<Claimed>empty();
            }
        }, "starting the validation of challenge " + id);
    }

    private static Optional<Claimed> readClaimed(Connection c, String id) throws SQLException {
        try (PreparedStatement sel = c.prepareStatement("SELECT c.challenge_type, c.token,"
                + " a.id, a.identifier_type, a.identifier_value, a.wildcard, a.account_id,"
                + " acct.key_thumbprint, c.attempts FROM acme_challenge c"
                + " JOIN acme_authz a ON a.id = c.authz_id"
                + " JOIN acme_account acct ON acct.id = a.account_id"
                + " WHERE c.id = ? AND c.status = 'processing'")) {
            sel.setString(1, id);
            try (ResultSet rs = sel.executeQuery()) {
                return rs.next() ? Optional.of(new Claimed(id, rs.getString(3),
                        rs.getString(1), rs.getString(2), rs.getString(4),
                        rs.getString(5), rs.getBoolean(6), rs.getString(7),
                        rs.getString(8), rs.getInt(9))) : Optional.empty();
            }
        }
    }

    /**
     * Records attempt number {@code attemptsBefore + 1} of a claimed challenge, if it is still
     * processing at {@code attemptsBefore} attempts (a worker whose claim lapsed meanwhile
     * records nothing); moves pending authorization {@code authzId} as the outcome says.
     * Returns whether the outcome was recorded.
     */
    public boolean record(String challengeId, String authzId, int attemptsBefore, Outcome o) {
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement upd = c.prepareStatement("UPDATE acme_challenge"
                    + " SET attempts = ?, claimed_until = NULL, validation = ?, status = ?,"
                    + " validated_at = COALESCE(?, validated_at), next_attempt_at = ?,"
                    + " error = ? WHERE id = ? AND status = 'processing' AND attempts = ?")) {
                upd.setInt(1, attemptsBefore + 1);
                upd.setString(2, o.validation());
                upd.setString(3, o.status());
                upd.setObject(4, Jdbc.utc(o.validatedAt()));
                upd.setObject(5, Jdbc.utc(o.nextAttemptAt()));
                upd.setString(6, o.error());
                upd.setString(7, challengeId);
                upd.setInt(8, attemptsBefore);
                if (upd.executeUpdate() != 1) {
                    return false;
                }
            }
            if (o.authzStatus() != null) {
                try (PreparedStatement upd = c.prepareStatement("UPDATE acme_authz"
                        + " SET status = ?, expires_at = COALESCE(?, expires_at)"
                        + " WHERE id = ? AND status = 'pending'")) {
                    upd.setString(1, o.authzStatus());
                    upd.setObject(2, Jdbc.utc(o.authzExpires()));
                    upd.setString(3, authzId);
                    upd.executeUpdate();
                }
            }
            return true;
        }, "recording the validation of challenge " + challengeId);
    }
}
