package io.certapi.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The signers' statements: claim due orders and read what signing needs, then store their
 * certificates, each batch in one plain JDBC transaction. An ORM session and a JTA transaction
 * cost the signers more CPU than signing itself, and when a thousand orders fall due at once
 * the signers are what the clients wait for.
 */
@ApplicationScoped
public class IssuanceStore {

    private static final InstantText TEXT = new InstantText();

    private final DataSource dataSource;

    /** Creates the store over the default datasource. */
    public IssuanceStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What signing needs of a claimed order. */
    public record Claimed(String orderId, String accountId, String csr, String identifiers,
            Instant notBefore, Instant notAfter, String profile) {
    }

    /** A signed certificate to store for its order. */
    public record NewCertificate(String id, String orderId, String accountId, String serial,
            String issuerId, String pemChain, String keyHash, Instant notBefore,
            Instant notAfter, Instant createdAt) {
    }

    /**
     * Claims, until {@code until}, each of these orders that is processing and that no live
     * worker holds, and reads it; one transaction. Orders not claimed are left out.
     */
    public Map<String, Claimed> claim(List<String> orderIds, Instant now, Instant until) {
        return Jdbc.inTransaction(dataSource, c -> {
            Map<String, Claimed> out = new LinkedHashMap<>();
            try (PreparedStatement upd = c.prepareStatement("UPDATE acme_order"
                    + " SET claimed_until = ? WHERE id = ? AND status = 'processing'"
                    + " AND (claimed_until IS NULL OR claimed_until < ?)");
                    PreparedStatement sel = c.prepareStatement("SELECT account_id, csr,"
                            + " identifiers, requested_not_before, requested_not_after, profile"
                            + " FROM acme_order WHERE id = ?")) {
                for (String id : orderIds) {
                    upd.setObject(1, Jdbc.utc(until));
                    upd.setString(2, id);
                    upd.setObject(3, Jdbc.utc(now));
                    if (upd.executeUpdate() != 1) {
                        continue;
                    }
                    sel.setString(1, id);
                    try (ResultSet rs = sel.executeQuery()) {
                        if (rs.next()) {
                            out.put(id, new Claimed(id, rs.getString(1), rs.getString(2),
                                    rs.getString(3),
                                    TEXT.convertToEntityAttribute(rs.getString(4)),
                                    TEXT.convertToEntityAttribute(rs.getString(5)),
                                    rs.getString(6)));
                        }
                    }
                }
            }
            return out;
        }, "claiming orders");
    }

    /**
     * Stores the certificates in one transaction, each only if its order is still processing
     * (the order is moved to valid first, so that an order finished elsewhere meanwhile keeps
     * no second certificate). Per certificate: stored or not, in the same order.
     */
    public List<Boolean> store(List<NewCertificate> certs) {
        return Jdbc.inTransaction(dataSource, c -> {
            List<Boolean> out = new ArrayList<>();
            try (PreparedStatement upd = c.prepareStatement("UPDATE acme_order"
                    + " SET status = 'valid', certificate_id = ?, csr = NULL,"
                    + " claimed_until = NULL WHERE id = ? AND status = 'processing'");
                    PreparedStatement ins = c.prepareStatement("INSERT INTO acme_certificate"
                            + " (id, account_id, order_id, serial, issuer_id, pem_chain,"
                            + " key_hash, not_before, not_after, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (NewCertificate n : certs) {
                    upd.setString(1, n.id());
                    upd.setString(2, n.orderId());
                    if (upd.executeUpdate() != 1) {
                        out.add(false);
                        continue;
                    }
                    ins.setString(1, n.id());
                    ins.setString(2, n.accountId());
                    ins.setString(3, n.orderId());
                    ins.setString(4, n.serial());
                    ins.setString(5, n.issuerId());
                    ins.setString(6, n.pemChain());
                    ins.setString(7, n.keyHash());
                    ins.setObject(8, Jdbc.utc(n.notBefore()));
                    ins.setObject(9, Jdbc.utc(n.notAfter()));
                    ins.setObject(10, Jdbc.utc(n.createdAt()));
                    ins.executeUpdate();
                    out.add(true);
                }
            }
            return out;
        }, "storing certificates");
    }

    /** Marks a processing order invalid with {@code problemJson}, releasing its claim. */
    public void invalid(String orderId, String problemJson) {
        Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement upd = c.prepareStatement("UPDATE acme_order"
                    + " SET status = 'invalid', error = ?, claimed_until = NULL"
                    + " WHERE id = ? AND status = 'processing'")) {
                upd.setString(1, problemJson);
                upd.setString(2, orderId);
                return upd.executeUpdate();
            }
        }, "marking order " + orderId + " invalid");
    }
}
