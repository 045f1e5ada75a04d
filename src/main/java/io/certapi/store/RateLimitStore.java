package io.certapi.store;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Token buckets in the database, so that every instance counts against the same ones. A bucket
 * keeps how much of its limit is in use, draining at capacity per period, and a request fits
 * while the use stays within capacity: the same as tokens refilling, except that a changed
 * capacity (an operator's override) applies at once. Counting joins the caller's transaction
 * (newAccount, newOrder, finalize), so that a request commits once and a refused or failed one
 * counts nothing; it locks the buckets it touches in key order, so that two never wait on each
 * other. Spending after a failed validation is a transaction of its own.
 */
@ApplicationScoped
public class RateLimitStore {

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
     * Counts one against each of {@code buckets}, all or none. Returns empty when counted;
     * otherwise the first bucket that is full and how long until one more fits.
     */
    public Optional<Shortfall> take(List<Bucket> buckets, Instant now) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Map<Bucket, RateBucketEntity> rows = lock(buckets, now);
            for (Bucket b : buckets) {
                RateBucketEntity row = rows.get(b);
                if (row.used + 1 > b.capacity()) {
                    return Optional.of(new Shortfall(b, waitFor(b, row.used)));
                }
            }
            for (Bucket b : buckets) {
                rows.get(b).used += 1;
            }
            return Optional.<Shortfall>empty();
        });
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
     * newOrder's limits in one transaction: no name whose failed-validation bucket is full, room
     * for {@code newAuthorizations} more pending ones when {@code pendingLimit} is positive,
     * then one counted against {@code orders} (null: no limit). Nothing is counted unless all
     * pass.
     */
    public Admission admitOrder(List<Bucket> failedNames, String accountId, int pendingLimit,
            int newAuthorizations, Bucket orders, Instant now) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Optional<Shortfall> failed = checkRows(failedNames, now);
            if (failed.isPresent()) {
                return new Admission(failed, 0, false, Optional.empty());
            }
            long held = 0;
            if (pendingLimit > 0 && newAuthorizations > 0) {
                held = AuthorizationEntity.count("accountId = ?1 and status = 'pending' and"
                        + " expiresAt > ?2", accountId, now);
                if (held + newAuthorizations > pendingLimit) {
                    return new Admission(Optional.empty(), held, true, Optional.empty());
                }
            }
            if (orders != null) {
                RateBucketEntity row = lock(List.of(orders), now).get(orders);
                if (row.used + 1 > orders.capacity()) {
                    return new Admission(Optional.empty(), held, false,
                            Optional.of(new Shortfall(orders, waitFor(orders, row.used))));
                }
                row.used += 1;
            }
            return new Admission(Optional.empty(), held, false, Optional.empty());
        });
    }

    /** Counts one against {@code bucket}, refused or not: a failure that has happened. */
    public void spend(Bucket bucket, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            RateBucketEntity row = lock(List.of(bucket), now).get(bucket);
            row.used = Math.min(bucket.capacity(), row.used + 1);
        });
    }

    private static Optional<Shortfall> checkRows(List<Bucket> buckets, Instant now) {
        if (buckets.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Bucket> byKey = new HashMap<>();
        buckets.forEach(b -> byKey.put(b.key(), b));
        List<RateBucketEntity> rows = RateBucketEntity.list("key in ?1",
                List.copyOf(byKey.keySet()));
        for (RateBucketEntity row : rows) {
            Bucket b = byKey.get(row.key);
            double used = drained(b, row, now);
            if (used + 1 > b.capacity()) {
                return Optional.of(new Shortfall(b, waitFor(b, used)));
            }
        }
        return Optional.empty();
    }

    /** Deletes up to {@code limit} buckets unused since {@code before}; returns how many. */
    public int purgeIdle(Instant before, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> keys = RateBucketEntity.find("updatedAt < ?1", before).page(0, limit)
                    .list().stream().map(b -> ((RateBucketEntity) b).key).toList();
            return keys.isEmpty() ? 0 : (int) RateBucketEntity.delete("key in ?1", keys);
        });
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
     * The buckets' rows, locked, drained to {@code now}. A missing one is created empty in a
     * transaction of its own first, so that two instances creating it at once cannot fail the
     * caller's transaction; the common path is then one lock in the caller's.
     */
    private static Map<Bucket, RateBucketEntity> lock(List<Bucket> buckets, Instant now) {
        Map<Bucket, RateBucketEntity> rows = new HashMap<>();
        for (Bucket b : buckets.stream().sorted(Comparator.comparing(Bucket::key)).toList()) {
            RateBucketEntity row = RateBucketEntity.findById(b.key(),
                    LockModeType.PESSIMISTIC_WRITE);
            if (row == null) {
                create(b.key(), now);
                row = RateBucketEntity.findById(b.key(), LockModeType.PESSIMISTIC_WRITE);
                if (row == null) {
                    throw new IllegalStateException("the rate-limit bucket " + b.key()
                            + " could not be created");
                }
            }
            row.used = drained(b, row, now);
            row.updatedAt = now;
            rows.put(b, row);
        }
        return rows;
    }

    private static void create(String key, Instant now) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                RateBucketEntity row = new RateBucketEntity();
                row.key = key;
                row.used = 0;
                row.updatedAt = now;
                row.persist();
            });
        } catch (RuntimeException raced) {
            // Another request or instance created it at the same moment: it exists now.
        }
    }

    private static double drained(Bucket b, RateBucketEntity row, Instant now) {
        double elapsed = Math.max(0, Duration.between(row.updatedAt, now).toMillis() / 1000.0);
        return Math.max(0, row.used - elapsed * b.perSecond());
    }

    /** How long until one more fits in a bucket in which {@code used} is in use. */
    private static Duration waitFor(Bucket b, double used) {
        double seconds = (used + 1 - b.capacity()) / b.perSecond();
        return Duration.ofMillis((long) Math.ceil(Math.max(0, seconds) * 1000));
    }
}
