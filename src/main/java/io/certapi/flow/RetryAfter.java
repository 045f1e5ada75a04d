package io.certapi.flow;

import java.time.Duration;
import java.time.Instant;

/** The Retry-After a client is given: whole seconds until a moment, at least one. */
final class RetryAfter {

    private static final Duration MIN = Duration.ofSeconds(1);

    private RetryAfter() {
    }

    /** Seconds from {@code now} until {@code at}, rounded up; one when unknown or past. */
    static Duration until(Instant now, Instant at) {
        if (at == null) {
            return MIN;
        }
        Duration left = Duration.between(now, at);
        return left.compareTo(MIN) < 0 ? MIN : left.plusMillis(999).withNanos(0);
    }
}
