package io.certapi.store;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Token buckets in the database, so that every instance counts against the same ones. A bucket
 * keeps how much of its limit is in use, draining at capacity per period, and a request fits
 * while the use stays within capacity: the same as tokens refilling, except that a changed
 * capacity (an operator's override) applies at once. Counting joins the caller's transaction
 * (newAccount, newOrder, finalize), so that a request commits once and a refused or failed one
 * counts nothing; it locks the buckets it touches in key order ({@code SELECT ... FOR UPDATE}),
 * so that two never wait on each other. Spending after a failed validation is a transaction of
 * its own. Plain JDBC: on a JTA caller's connection (the pool hands the transaction's own
 * connection out again), or on the connection of a store's JDBC transaction.
 */
@ApplicationScoped
public class RateLimitStore {

    private final DataSource dataSource;

    /** Creates the store over the default datasource. */
    public RateLimitStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A bucket: up to {@code capacity} in use, draining at capacity per {@code period}.
     *
     * @param key      limit name and subject
     * @param capacity the most that may be in use (the limit's count)
     * @param period   the time in which an empty bucket fills up again
     */
    public record Bucket(String key, int capacity, Duration period) {

        double perSecond() {
            return capacity / (period.toMillis() / 1000.0);
        }
    }

    /**
     * Counts one against each of {@code buckets}, all or none, in the caller's JTA transaction.
     * Returns empty when counted; otherwise the first bucket that is full and how long until one
     * more fits.
     */
    public Optional<Shortfall> take(List<Bucket> buckets, Instant now) {
        return inCallers(c -> take(c, buckets, now), "counting a rate limit");
    }

    /** {@link #take(List, Instant)} on connection {@code c}, in its transaction. */
    Optional<Shortfall> take(Connection c, List<Bucket> buckets, Instant now)
            throws SQLException {
        if (buckets.isEmpty()) {
            return Optional.empty();
        }
        Map<Bucket, Double> used = lock(c, buckets, now);
        for (Bucket b : buckets) {
            if (used.get(b) + 1 > b.capacity()) {
                return Optional.of(new Shortfall(b, waitFor(b, used.get(b))));
            }
        }
        for (Bucket b : buckets) {
            save(c, b, used.get(b) + 1, now);
        }
        return Optional.empty();
    }

    /**
     * What newOrder's limits found, read and counted in one transaction.
     *
     * @param failedName      a name's failed-validation bucket that is full, if any
     * @param pendingHeld     the account's pending authorizations (0 when not asked)
     * @param pendingTooMany  whether the order's new authorizations would pass the limit
     * @param orders          the new-orders bucket, when it was full (nothing was counted)
     */
    public record Admission(Optional<Shortfall> failedName, long pendingHeld,
            boolean pendingTooMany, Optional<Shortfall> orders) {

        /** Whether the order may go ahead (and was counted). */
        public boolean admitted() {
            return failedName.isEmpty() && !pendingTooMany && orders.isEmpty();
        }
    }

    /**
     * newOrder's limits: no name whose failed-validation bucket is full, room for
     * {@code newAuthorizations} more pending ones when {@code pendingLimit} is positive, then
     * one counted against {@code orders} (null: no limit). Nothing is counted unless all pass.
     *
     * @param failedNames the failed-validation buckets of the order's names
     * @param accountId the ordering account
     * @param pendingLimit the most pending authorizations it may hold; 0 for no limit
     * @param newAuthorizations how many new pending ones the order would add
     * @param orders the account's new-orders bucket; null for no limit
     */
    public record OrderLimits(List<Bucket> failedNames, String accountId, int pendingLimit,
            int newAuthorizations, Bucket orders) {
    }

    /** {@link OrderLimits} checked and counted in the caller's JTA transaction. */
    public Admission admitOrder(OrderLimits l, Instant now) {
        return inCallers(c -> admitOrder(c, l, now), "counting newOrder's rate limits");
    }

    /** {@link OrderLimits} checked and counted on connection {@code c}, in its transaction. */
    Admission admitOrder(Connection c, OrderLimits l, Instant now) throws SQLException {
        Optional<Shortfall> failed = checkRows(c, l.failedNames(), now);
        if (failed.isPresent()) {
            return new Admission(failed, 0, false, Optional.empty());
        }
        long held = 0;
        if (l.pendingLimit() > 0 && l.newAuthorizations() > 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM acme_authz"
                    + " WHERE account_id = ? AND status = 'pending' AND expires_at > ?")) {
                ps.setString(1, l.accountId());
                ps.setObject(2, Jdbc.utc(now));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    held = rs.getLong(1);
                }
            }
            if (held + l.newAuthorizations() > l.pendingLimit()) {
                return new Admission(Optional.empty(), held, true, Optional.empty());
            }
        }
        if (l.orders() != null) {
            Optional<Shortfall> full = take(c, List.of(l.orders()), now);
            if (full.isPresent()) {
                return new Admission(Optional.empty(), held, false, full);
            }
        }
        return new Admission(Optional.empty(), held, false, Optional.empty());
    }

    /** Counts one against {@code bucket}, refused or not: a failure that has happened. */
    public void spend(Bucket bucket, Instant now) {
        Jdbc.inTransaction(dataSource, c -> {
            double used = lock(c, List.of(bucket), now).get(bucket);
            save(c, bucket, Math.min(bucket.capacity(), used + 1), now);
            return null;
        }, "counting a failed validation");
    }

    private static Optional<Shortfall> checkRows(Connection c, List<Bucket> buckets,
            Instant now) throws SQLException {
        for (Bucket b : buckets) {
            Optional<Row> row = read(c, b.key(), false);
            if (row.isPresent()) {
                double used = drained(b, row.get(), now);
                if (used + 1 > b.capacity()) {
                    return Optional.of(new Shortfall(b, waitFor(b, used)));
                }
            }
        }
        return Optional.empty();
    }

    /** Deletes up to {@code limit} buckets unused since {@code before}; returns how many. */
    public int purgeIdle(Instant before, int limit) {
        return Jdbc.inTransaction(dataSource, c -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT bucket_key FROM"
                    + " acme_rate_bucket WHERE updated_at < ? ORDER BY updated_at")) {
                ps.setObject(1, Jdbc.utc(before));
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            int deleted = 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM acme_rate_bucket"
                    + " WHERE bucket_key = ? AND updated_at < ?")) {
                for (String key : keys) {
                    ps.setString(1, key);
                    ps.setObject(2, Jdbc.utc(before));
                    deleted += ps.executeUpdate();
                }
            }
            return deleted;
        }, "purging idle rate-limit buckets");
    }

    /**
     * A bucket short of a token.
     *
     * @param bucket the bucket
     * @param retryAfter how long until it has one
     */
    public record Shortfall(Bucket bucket, Duration retryAfter) {
    }

    /**
     * How much of each bucket is in use now, its row locked until the transaction ends. A
     * missing row is created empty in a transaction of its own first, so that two instances
     * creating it at once cannot fail the caller's transaction; the common path is then one
     * locking read in the caller's.
     */
    private Map<Bucket, Double> lock(Connection c, List<Bucket> buckets, Instant now)
            throws SQLException {
        Map<Bucket, Double> used = new HashMap<>();
        for (Bucket b : buckets.stream().sorted(Comparator.comparing(Bucket::key)).toList()) {
            Optional<Row> row = read(c, b.key(), true);
            if (row.isEmpty()) {
                create(b.key(), now);
                row = read(c, b.key(), true);
                if (row.isEmpty()) {
                    throw new IllegalStateException("the rate-limit bucket " + b.key()
                            + " could not be created");
                }
            }
            used.put(b, drained(b, row.get(), now));
        }
        return used;
    }

    /** A bucket's row: how much was in use when it was last updated. */
    private record Row(double used, Instant updatedAt) {
    }

    /** A bucket's row; locked for update if asked. */
    private static Optional<Row> read(Connection c, String key, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT used, updated_at FROM"
                + " acme_rate_bucket WHERE bucket_key = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Row(rs.getDouble(1), Jdbc.instant(rs, 2)))
                        : Optional.empty();
            }
        }
    }

    private static void save(Connection c, Bucket b, double used, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE acme_rate_bucket SET used = ?,"
                + " updated_at = ? WHERE bucket_key = ?")) {
            ps.setDouble(1, used);
            ps.setObject(2, Jdbc.utc(now));
            ps.setString(3, b.key());
            ps.executeUpdate();
        }
    }

    private void create(String key, Instant now) {
        try {
            Jdbc.inTransaction(dataSource, c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO acme_rate_bucket"
                        + " (bucket_key, used, updated_at) VALUES (?, 0, ?)")) {
                    ps.setString(1, key);
                    ps.setObject(2, Jdbc.utc(now));
                    return ps.executeUpdate();
                }
            }, "creating rate-limit bucket " + key);
        } catch (IllegalStateException raced) {
            // Another request or instance created it at the same moment: it exists now.
        }
    }

    /** Runs {@code work} on the JTA caller's connection, joining (or making) its transaction. */
    private <T> T inCallers(Jdbc.Work<T> work, String what) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                throw new IllegalStateException(what + " failed", e);
            }
        });
    }

    private static double drained(Bucket b, Row row, Instant now) {
        double elapsed = Math.max(0, Duration.between(row.updatedAt(), now).toMillis() / 1000.0);
        return Math.max(0, row.used() - elapsed * b.perSecond());
    }

    /** How long until one more fits in a bucket in which {@code used} is in use. */
    private static Duration waitFor(Bucket b, double used) {
        double seconds = (used + 1 - b.capacity()) / b.perSecond();
        return Duration.ofMillis((long) Math.ceil(Math.max(0, seconds) * 1000));
    }
}
