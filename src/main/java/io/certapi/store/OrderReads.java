package io.certapi.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The reads every order poll and every certificate download make, each one query on a pooled
 * connection, without an ORM session or a JTA transaction (which cost more than the query on
 * these paths, and a thousand clients poll their orders, then download, at the moment their
 * certificates fall due). An order comes back as a detached {@link OrderEntity}: the flow
 * computes its status and view exactly as for one Hibernate loaded.
 */
@ApplicationScoped
public class OrderReads {

    private static final String SQL = "SELECT o.account_id, o.status, o.expires_at,"
            + " o.requested_not_before, o.requested_not_after, o.identifiers, o.error,"
            + " o.certificate_id, o.issue_at, o.profile, o.replaces, o.created_at,"
            + " a.id, a.status, a.expires_at"
            + " FROM acme_order o LEFT JOIN acme_order_authz oa ON oa.order_id = o.id"
            + " LEFT JOIN acme_authz a ON a.id = oa.authz_id"
            + " WHERE o.id = ? ORDER BY oa.position";

    private static final InstantText TEXT = new InstantText();

    private final DataSource dataSource;

    /** Creates the reader over the default datasource. */
    public OrderReads(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Order {@code id} with its authorizations (id, status and expiry only), detached: a
     * change to it is never stored.
     */
    public Optional<OrderEntity> find(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OrderEntity o = new OrderEntity();
                o.id = id;
                o.accountId = rs.getString(1);
                o.status = rs.getString(2);
                o.expiresAt = Jdbc.instant(rs, 3);
                o.notBefore = TEXT.convertToEntityAttribute(rs.getString(4));
                o.notAfter = TEXT.convertToEntityAttribute(rs.getString(5));
                o.identifiers = rs.getString(6);
                o.error = rs.getString(7);
                o.certificateId = rs.getString(8);
                o.issueAt = Jdbc.instant(rs, 9);
                o.profile = rs.getString(10);
                o.replaces = rs.getString(11);
                o.createdAt = Jdbc.instant(rs, 12);
                do {
                    if (rs.getString(13) != null) {
                        AuthorizationEntity a = new AuthorizationEntity();
                        a.id = rs.getString(13);
                        a.status = rs.getString(14);
                        a.expiresAt = Jdbc.instant(rs, 15);
                        o.authorizations.add(a);
                    }
                } while (rs.next());
                return Optional.of(o);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read order " + id, e);
        }
    }

    /** A stored certificate's chain as issued, and its issuer. */
    public record StoredChain(String id, String issuerId, String pemChain) {
    }

    /** Certificate {@code id}'s chain as issued, if it exists. */
    public Optional<StoredChain> certificate(String id) {
        return Jdbc.one(dataSource, "SELECT issuer_id, pem_chain FROM acme_certificate"
                + " WHERE id = ?", id, rs -> new StoredChain(id, rs.getString(1),
                        rs.getString(2)), "certificate");
    }
}
