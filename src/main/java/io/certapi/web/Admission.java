package io.certapi.web;

import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admission control for ACME requests: at most {@code certapi.http.max-in-flight} are let in
 * (running, or queued for one of the worker threads); one more is refused on the event loop,
 * before it costs a JWS check, with 503, problem {@code rateLimited} (so that clients such as
 * acme4j hand its Retry-After to their caller) and a fresh nonce. The directory and newNonce
 * are always let in.
 *
 * <p>Why: an unbounded queue lets a burst of clients wait behind the worker threads past their
 * own timeouts (acme4j's is 10 s), each request costing its JWS check and more for nothing; a
 * bounded one tells the rest at once when to come back. (It bounds requests, not connections:
 * thousands of TLS connections at once need a larger heap, see docs/operating.md.) Each
 * refused request is handed its own retry time, one slot after another at the rate the
 * server has been completing requests, after the time the admitted queue needs to drain: the
 * refused clients come back spread out, not all in the same second.
 */
@ApplicationScoped
public class Admission {

    /** The rate assumed before any has been measured, and the least ever assumed. */
    private static final double MIN_RATE = 20;
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong nextSlot = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong windowDone = new AtomicLong();
    private volatile double rate = MIN_RATE;

    /** Creates the filter. */
    public Admission(CertapiConfig config, MeterRegistry meters) {
        this.limit = config.http().maxInFlight();
        meters.gauge("certapi.http.in.flight", inFlight);
    }

    /** Lets the request in, or refuses it while the server is at capacity. */
    @ServerRequestFilter(preMatching = true, nonBlocking = true)
    public void admit(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (limit <= 0 || !path.startsWith("/acme/") || path.equals(Links.DIRECTORY)
                || path.startsWith("/acme/new-nonce")) {
            // The directory and nonces cost no JWS check and no database; a client needs
            // them to send the request it will be refused or let in for.
            return;
        }
        int n = inFlight.incrementAndGet();
        rc.addEndHandler(done -> finished());
        if (n > limit) {
            Duration wait = retryAfter(System.nanoTime());
            throw AcmeProblem.of(ProblemType.RATE_LIMITED, "the server is at capacity ("
                    + limit + " requests in progress); retry after " + wait.toSeconds() + " s")
                    .withStatus(503).withRetryAfter(wait);
        }
    }

    /** Requests let in (or being refused) now. */
    int inFlight() {
        return inFlight.get();
    }

    private void finished() {
        inFlight.decrementAndGet();
        long now = System.nanoTime();
        long start = windowStart.get();
        long done = windowDone.incrementAndGet();
        if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
            windowDone.addAndGet(-done);
            rate = Math.max(MIN_RATE, done * 1e9 / (now - start));
        }
    }

    /**
     * The next free retry slot: after the admitted requests have drained at the measured rate,
     * one slot per refused request, in the order they were refused. Whole seconds, at least 1.
     */
    private Duration retryAfter(long now) {
        double r = rate;
        long slotNanos = (long) (1e9 / r);
        long drained = now + (long) (limit / r * 1e9);
        long slot = nextSlot.accumulateAndGet(slotNanos,
                (prev, step) -> Math.max(prev, drained) + step);
        long seconds = Math.max(1, (slot - now + 999_999_999L) / 1_000_000_000L);
        return Duration.ofSeconds(seconds);
    }
}
