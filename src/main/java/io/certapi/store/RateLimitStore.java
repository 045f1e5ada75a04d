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
 * capacity (an operator's override) applies at once. Each
 * operation is its own short transaction (outside any caller's) that locks the buckets it
 * touches, in key order so that two never wait on each other; a bucket two instances create at
 * once is retried once.
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
        return withRetry(() -> QuarkusTransaction.requiringNew().call(() -> {
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
        }));
    }

    /** Counts one against {@code bucket}, refused or not: a failure that has happened. */
    public void spend(Bucket bucket, Instant now) {
        withRetry(() -> QuarkusTransaction.requiringNew().call(() -> {
            RateBucketEntity row = lock(List.of(bucket), now).get(bucket);
            row.used = Math.min(bucket.capacity(), row.used + 1);
            return Optional.<Shortfall>empty();
        }));
    }

    /**
     * Whether one more would fit in each of {@code buckets}, without counting it: the first
     * that is full, if any. One read-only transaction.
     */
    public Optional<Shortfall> check(List<Bucket> buckets, Instant now) {
        if (buckets.isEmpty()) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
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
            return Optional.<Shortfall>empty();
        });
    }

    /** Authorizations of the account still pending at {@code now}. */
    public long pendingAuthorizations(String accountId, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> AuthorizationEntity.count(
                "accountId = ?1 and status = 'pending' and expiresAt > ?2", accountId, now));
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

    /** The buckets' rows, locked, drained to {@code now}; missing ones created empty. */
    private static Map<Bucket, RateBucketEntity> lock(List<Bucket> buckets, Instant now) {
        Map<Bucket, RateBucketEntity> rows = new HashMap<>();
        for (Bucket b : buckets.stream().sorted(Comparator.comparing(Bucket::key)).toList()) {
            RateBucketEntity row = RateBucketEntity.findById(b.key(),
                    LockModeType.PESSIMISTIC_WRITE);
            if (row == null) {
                row = new RateBucketEntity();
                row.key = b.key();
                row.used = 0;
                row.updatedAt = now;
                row.persistAndFlush();
            } else {
                row.used = drained(b, row, now);
                row.updatedAt = now;
            }
            rows.put(b, row);
        }
        return rows;
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

    private static <T> T withRetry(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (RuntimeException raced) {
            // Two instances created the same bucket at once: the row is there now.
            return op.get();
        }
    }
}
