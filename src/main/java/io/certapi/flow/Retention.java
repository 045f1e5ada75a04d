package io.certapi.flow;

import io.certapi.config.CertapiConfig;
import io.certapi.store.RetentionStore;
import io.certapi.store.SettingStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * Purges what is finished, so that the database holds what is live plus a bounded past: orders
 * and unreferenced authorizations (with their challenges and transcripts) certapi.retention
 * .orders after they expired, certificates certapi.retention.certificates after their notAfter
 * (except those revoked for keyCompromise). In batches of certapi.retention.batch-size rows, each
 * its own transaction, on one instance at a time (a database lease), every
 * certapi.retention.interval; and rate-limit buckets that have been full again for a day. Used
 * nonces are purged by the nonce service.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    private static final String LEASE = "lease.retention";
    /** One run stops after this long; the rest is left to the next run. */
    private static final Duration BUDGET = Duration.ofMinutes(5);

    private final RetentionStore store;
    private final RateLimits limits;
    private final SettingStore settings;
    private final Clock clock;
    private final CertapiConfig.Retention config;

    /** Creates the job. */
    public Retention(RetentionStore store, SettingStore settings, Clock clock,
            CertapiConfig config, RateLimits limits) {
        this.limits = limits;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.config = config.retention();
    }

    @Scheduled(every = "${certapi.retention.interval:1h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        Instant now = clock.instant();
        if (!settings.claim(LEASE, now, now.plus(BUDGET.multipliedBy(2)))) {
            return;
        }
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.error("retention purge failed; the next run tries again", e);
        } finally {
            settings.release(LEASE);
        }
    }

    /** What one run purged. */
    public record Purged(int orders, int authorizations, int certificates) {
    }

    /** Purges everything that is due now, batch by batch. */
    public Purged purge() {
        Instant now = clock.instant();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int batch = config.batchSize();
        Instant orderCutoff = now.minus(config.orders());
        int orders = drain(() -> store.purgeOrders(orderCutoff, batch), batch, deadline);
        int authorizations = drain(() -> store.purgeAuthorizations(orderCutoff, batch), batch,
                deadline);
        int certificates = drain(() -> store.purgeCertificates(
                now.minus(config.certificates()), batch), batch, deadline);
        // Rate-limit buckets unused for longer than any period are full again: no need to keep.
        int buckets = drain(() -> limits.purgeIdle(batch), batch, deadline);
        Purged p = new Purged(orders, authorizations, certificates);
        if (orders + authorizations + certificates + buckets > 0) {
            LOG.infof("retention: purged %d orders, %d authorizations (with their challenges),"
                    + " %d certificates and %d idle rate-limit buckets", orders, authorizations,
                    certificates, buckets);
        }
        return p;
    }

    private static int drain(IntSupplier batch, int size, long deadline) {
        int total = 0;
        int n;
        do {
            n = batch.getAsInt();
            total += n;
        } while (n == size && System.nanoTime() < deadline);
        return total;
    }
}
