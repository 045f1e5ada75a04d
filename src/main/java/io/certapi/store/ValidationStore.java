package io.certapi.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
                if (upd.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
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
                            rs.getString(8), rs.getInt(9))) : Optional.<Claimed>empty();
                }
            }
        }, "claiming challenge " + id);
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
