package io.certapi.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The writes of newOrder, newAuthz and finalize, and the reads that check a CSR's key, in plain
 * JDBC: each request's rows are written and its rate limits counted in one short transaction,
 * with no ORM session and no JTA transaction (which cost more CPU than the statements on these
 * paths). Rows come in as detached entities the flow filled in.
 */
@ApplicationScoped
public class OrderStore {

    private static final InstantText TEXT = new InstantText();

    private final DataSource dataSource;
    private final RateLimitStore limits;

    /** Creates the store over the default datasource. */
    public OrderStore(DataSource dataSource, RateLimitStore limits) {
        this.dataSource = dataSource;
        this.limits = limits;
    }

    /**
     * Who else uses a CSR's key.
     *
     * @param accountId the account whose key it is, if any
     * @param compromised whether a certificate for it was revoked as keyCompromise
     */
    public record KeyUse(Optional<String> accountId, boolean compromised) {
    }

    /**
     * How the key with account-key thumbprint {@code thumbprint} (null: none, as for a key type
     * accounts cannot use) and certificate key hash {@code keyHash} is used; two indexed reads
     * on one connection.
     */
    public KeyUse keyUse(String thumbprint, String keyHash) {
        try (Connection c = dataSource.getConnection()) {
            Optional<String> account = Optional.empty();
            if (thumbprint != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM acme_account"
                        + " WHERE key_thumbprint = ?")) {
                    ps.setString(1, thumbprint);
                    try (ResultSet rs = ps.executeQuery()) {
                        account = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM acme_certificate"
                    + " WHERE key_hash = ? AND revocation_reason = 1")) {
                ps.setString(1, keyHash);
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    return new KeyUse(account, rs.next());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not check the CSR's key", e);
        }
    }

    /**
     * What a finalize did.
     *
     * @param processing whether the order moved to processing (this request won)
     * @param full the rate-limit bucket that was full, if that stopped it (nothing written)
     */
    public record Finalized(boolean processing, Optional<RateLimitStore.Shortfall> full) {
    }

    /**
     * Moves pending order {@code id} to processing with its CSR and the time its certificate is
     * due, and counts one against each of {@code buckets}, all in one transaction: of two
     * concurrent finalize requests exactly one wins (compare-and-set on the status), and one
     * that loses or finds a bucket full writes nothing.
     */
    public Finalized finalizeOrder(String id, String csr, Instant issueAt,
            List<RateLimitStore.Bucket> buckets, Instant now) {
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement upd = c.prepareStatement("UPDATE acme_order"
                    + " SET status = 'processing', csr = ?, issue_at = ?, claimed_until = NULL"
                    + " WHERE id = ? AND status = 'pending'")) {
                upd.setString(1, csr);
                upd.setObject(2, Jdbc.utc(issueAt));
                upd.setString(3, id);
                if (upd.executeUpdate() != 1) {
                    return new Finalized(false, Optional.empty());
                }
            }
            Optional<RateLimitStore.Shortfall> full = limits.take(c, buckets, now);
            if (full.isPresent()) {
                c.rollback();
            }
            return new Finalized(full.isEmpty(), full);
        }, "finalizing order " + id);
    }

    /**
     * An authorization to store with its challenges.
     *
     * @param authorization the authorization
     * @param challenges its challenges
     */
    public record NewAuthorization(AuthorizationEntity authorization,
            List<ChallengeEntity> challenges) {
    }

    /**
     * The certificate a new order replaces (RFC 9773 §5).
     *
     * @param certificateId its id
     * @param previousOrder the order that replaced it until now (an invalid one), or null
     */
    public record Replacing(String certificateId, String previousOrder) {
    }

    /**
     * What newOrder's transaction did.
     *
     * @param refused the rate limits' answer when they refused the order (nothing written)
     * @param replaceRaced whether a concurrent order took the certificate to replace first
     *                     (nothing written)
     */
    public record Created(Optional<RateLimitStore.Admission> refused, boolean replaceRaced) {

        /** Whether the order was stored. */
        public boolean stored() {
            return refused.isEmpty() && !replaceRaced;
        }
    }

    /**
     * Stores order {@code o} with its new authorizations, linked to all of
     * {@code o.authorizations} in order, in one transaction with the rate limits' count and
     * the compare-and-set that marks the replaced certificate: all of it or, refused or raced,
     * nothing.
     */
    public Created create(OrderEntity o, List<NewAuthorization> created,
            Optional<RateLimitStore.OrderLimits> orderLimits, Optional<Replacing> replacing,
            Instant now) {
        return Jdbc.inTransaction(dataSource, c -> {
            if (orderLimits.isPresent()) {
                RateLimitStore.Admission a = limits.admitOrder(c, orderLimits.get(), now);
                if (!a.admitted()) {
                    c.rollback();
                    return new Created(Optional.of(a), false);
                }
            }
            if (replacing.isPresent() && !markReplaced(c, replacing.get(), o.id)) {
                c.rollback();
                return new Created(Optional.empty(), true);
            }
            insertOrder(c, o);
            insertAuthorizations(c, created);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO acme_order_authz"
                    + " (order_id, position, authz_id) VALUES (?, ?, ?)")) {
                for (int i = 0; i < o.authorizations.size(); i++) {
                    ps.setString(1, o.id);
                    ps.setInt(2, i);
                    ps.setString(3, o.authorizations.get(i).id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return new Created(Optional.empty(), false);
        }, "storing order " + o.id);
    }

    /** Stores an authorization made before any order (newAuthz), with its challenges. */
    public void createAuthorization(NewAuthorization a) {
        Jdbc.inTransaction(dataSource, c -> {
            insertAuthorizations(c, List.of(a));
            return null;
        }, "storing authorization " + a.authorization().id);
    }

    private static void insertOrder(Connection c, OrderEntity o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO acme_order (id, account_id,"
                + " status, expires_at, requested_not_before, requested_not_after, identifiers,"
                + " profile, replaces, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, o.id);
            ps.setString(2, o.accountId);
            ps.setString(3, o.status);
            ps.setObject(4, Jdbc.utc(o.expiresAt));
            ps.setString(5, TEXT.convertToDatabaseColumn(o.notBefore));
            ps.setString(6, TEXT.convertToDatabaseColumn(o.notAfter));
            ps.setString(7, o.identifiers);
            ps.setString(8, o.profile);
            ps.setString(9, o.replaces);
            ps.setObject(10, Jdbc.utc(o.createdAt));
            ps.executeUpdate();
        }
    }

    private static void insertAuthorizations(Connection c, List<NewAuthorization> created)
            throws SQLException {
        if (created.isEmpty()) {
            return;
        }
        try (PreparedStatement authz = c.prepareStatement("INSERT INTO acme_authz (id,"
                + " account_id, identifier_type, identifier_value, wildcard, status, expires_at,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement challenge = c.prepareStatement("INSERT INTO acme_challenge"
                        + " (id, authz_id, challenge_type, token, status, attempts)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (NewAuthorization n : created) {
                AuthorizationEntity a = n.authorization();
                authz.setString(1, a.id);
                authz.setString(2, a.accountId);
                authz.setString(3, a.identifierType);
                authz.setString(4, a.identifierValue);
                authz.setBoolean(5, a.wildcard);
                authz.setString(6, a.status);
                authz.setObject(7, Jdbc.utc(a.expiresAt));
                authz.setObject(8, Jdbc.utc(a.createdAt));
                authz.addBatch();
                for (ChallengeEntity ch : n.challenges()) {
                    challenge.setString(1, ch.id);
                    challenge.setString(2, a.id);
                    challenge.setString(3, ch.type);
                    challenge.setString(4, ch.token);
                    challenge.setString(5, ch.status);
                    challenge.setInt(6, ch.attempts);
                    challenge.addBatch();
                }
            }
            authz.executeBatch();
            challenge.executeBatch();
        }
    }

    /**
     * RFC 9773 §5: marks the certificate replaced by {@code orderId} if it is still replaced by
     * {@code r.previousOrder()} (or by none); two orders racing to replace it, one wins.
     */
    private static boolean markReplaced(Connection c, Replacing r, String orderId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(r.previousOrder() == null
                ? "UPDATE acme_certificate SET replaced_by = ? WHERE id = ?"
                        + " AND replaced_by IS NULL"
                : "UPDATE acme_certificate SET replaced_by = ? WHERE id = ? AND replaced_by = ?")) {
            ps.setString(1, orderId);
            ps.setString(2, r.certificateId());
            if (r.previousOrder() != null) {
                ps.setString(3, r.previousOrder());
            }
            return ps.executeUpdate() == 1;
        }
    }
}
