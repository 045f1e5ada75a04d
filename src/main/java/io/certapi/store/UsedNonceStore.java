package io.certapi.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The set of redeemed nonces. A nonce is redeemed by inserting it: the primary key makes the
 * insert succeed exactly once, however many requests (or instances) race with the same nonce.
 */
@ApplicationScoped
public class UsedNonceStore {

    /** SQLSTATE of a unique-key violation, on H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final AgroalDataSource dataSource;

    /** Creates the store over the default datasource. */
    public UsedNonceStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records {@code nonce} as used; returns false when it already was. */
    public boolean markUsed(String nonce, Instant expiresAt) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO acme_used_nonce (nonce, expires_at) VALUES (?, ?)")) {
            ps.setString(1, nonce);
            ps.setObject(2, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException("could not record a used nonce", e);
        }
    }

    /** Forgets used nonces that have expired anyway; returns how many. */
    public int purgeExpired(Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM acme_used_nonce WHERE expires_at < ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not purge used nonces", e);
        }
    }
}
