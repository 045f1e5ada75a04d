package io.certapi.flow;

import io.certapi.ca.CertificateAuthority;
import io.certapi.store.OrderEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Gauges an operator watches: orders by stored status (certapi_orders), the orders waiting to
 * be signed (certapi_issuance_queue), and the seconds left on every CA certificate
 * (certapi_ca_expiry_seconds, by issuer id and role). Counts come from one grouped query,
 * reused for a second, so that several scrapers at once cost one query.
 */
@ApplicationScoped
@Startup
public class OperationsGauges {

    private static final Logger LOG = Logger.getLogger(OperationsGauges.class);
    private static final Duration FRESH = Duration.ofSeconds(1);
    private static final List<String> STATUSES = List.of("pending", "ready", "processing",
            "valid", "invalid");

    private final MeterRegistry meters;
    private final CertificateAuthority ca;
    private final Clock clock;
    private final Set<String> caGauges = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Long> counts = Map.of();
    private volatile Instant countedAt = Instant.EPOCH;

    /** Registers the gauges. */
    public OperationsGauges(MeterRegistry meters, CertificateAuthority ca, Clock clock) {
        this.meters = meters;
        this.ca = ca;
        this.clock = clock;
        for (String status : STATUSES) {
            Gauge.builder("certapi.orders", this, g -> g.count(status))
                    .description("Orders by stored status").tag("status", status)
                    .register(meters);
        }
        Gauge.builder("certapi.issuance.queue", this, g -> g.count("processing"))
                .description("Orders finalized and waiting for their signature")
                .register(meters);
        registerCaGauges();
    }

    /**
     * A gauge for every CA certificate not yet known; called again after a rotation (the CA
     * lifecycle check), so that new issuers appear.
     */
    public void registerCaGauges() {
        for (CertificateAuthority.CaCertificate c : ca.hierarchy()) {
            if (caGauges.add(c.id())) {
                Instant end = c.notAfter();
                Gauge.builder("certapi.ca.expiry", clock, k -> Math.max(0,
                        Duration.between(k.instant(), end).toSeconds()))
                        .baseUnit("seconds")
                        .description("Seconds until a CA certificate expires")
                        .tag("issuer", c.id()).tag("role", c.role()).register(meters);
            }
        }
    }

    private double count(String status) {
        Instant now = clock.instant();
        if (Duration.between(countedAt, now).compareTo(FRESH) > 0) {
            try {
                counts = QuarkusTransaction.requiringNew().call(OrderEntity::countByStatus);
                countedAt = now;
            } catch (RuntimeException e) {
                LOG.debug("order counts unavailable", e);
                return Double.NaN;
            }
        }
        return counts.getOrDefault(status, 0L);
    }
}
