package io.certapi.flow;

import io.certapi.ca.CertificateAuthority;
import io.certapi.ca.HttpsKeyStoreProvider;
import io.certapi.ca.Issuer;
import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import io.certapi.store.SettingStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the CA and the server's HTTPS certificate current without a restart: every
 * certapi.ca.check-interval it picks up a rotation another instance made, replaces the root or
 * the intermediate when due, and renews the HTTPS certificate when due. A rotation runs under a
 * database lease, so that of several instances sharing {@code ca/} only one rotates.
 */
@ApplicationScoped
public class CaLifecycle {

    private static final Logger LOG = Logger.getLogger(CaLifecycle.class);
    private static final String LEASE = "lease.ca-rotation";

    private final CertificateAuthority ca;
    private final HttpsKeyStoreProvider https;
    private final SettingStore settings;
    private final Clock clock;
    private final Duration lease;
    private final OperationsGauges gauges;
    private final Audit audit;

    /** Creates the lifecycle. */
    public CaLifecycle(CertificateAuthority ca, HttpsKeyStoreProvider https,
            SettingStore settings, Clock clock, CertapiConfig config, OperationsGauges gauges,
            Audit audit) {
        this.audit = audit;
        this.gauges = gauges;
        this.ca = ca;
        this.https = https;
        this.settings = settings;
        this.clock = clock;
        this.lease = config.work().lease();
    }

    /** The scheduled check. */
    @Scheduled(every = "${certapi.ca.check-interval:30s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void check() {
        try {
            ca.refresh();
            if (dueRotation().isPresent() && claim()) {
                try {
                    // Another instance may have rotated since the refresh: check again.
                    ca.refresh();
                    dueRotation().ifPresent(Supplier::get);
                } finally {
                    settings.release(LEASE);
                }
            }
            https.renewIfDue();
            gauges.registerCaGauges();
        } catch (RuntimeException e) {
            // The next check tries again; meanwhile the current certificates keep working.
            LOG.error("CA lifecycle check failed", e);
        }
    }

    /** Replaces the intermediate now; returns the CA certificates afterwards. */
    public List<CertificateAuthority.CaCertificate> rotateIntermediate(String why) {
        return underLease(() -> audited("intermediate", why, ca.rotateIntermediate(why)));
    }

    /** Replaces the root (cross-signed by the old one) and the intermediate now. */
    public List<CertificateAuthority.CaCertificate> rotateRoot(String why) {
        return underLease(() -> audited("root", why, ca.rotateRoot(why)));
    }

    private Issuer audited(String which, String why, Issuer made) {
        audit.log("ca.rotated", "which", which, "why", why, "certificate", made.id(),
                "subject", made.certificate().getSubjectX500Principal().getName(),
                "notAfter", made.certificate().getNotAfter().toInstant().toString(),
                "issuingWith", ca.currentIssuer().id());
        return made;
    }

    /** The rotation that is due, the root's first (it brings a new intermediate too). */
    private Optional<Supplier<Issuer>> dueRotation() {
        Instant now = clock.instant();
        Instant root = ca.rootRenewalAt();
        Instant intermediate = ca.intermediateRenewalAt();
        if (!now.isBefore(root)) {
            return Optional.of(() -> audited("root", "due since " + root,
                    ca.rotateRoot("due since " + root)));
        }
        if (!now.isBefore(intermediate)) {
            return Optional.of(() -> audited("intermediate", "due since " + intermediate,
                    ca.rotateIntermediate("due since " + intermediate)));
        }
        return Optional.empty();
    }

    private boolean claim() {
        Instant now = clock.instant();
        return settings.claim(LEASE, now, now.plus(lease));
    }

    private List<CertificateAuthority.CaCertificate> underLease(Supplier<Issuer> rotation) {
        if (!claim()) {
            throw AcmeProblem.of(ProblemType.RATE_LIMITED,
                    "another rotation of the CA is in progress; try again shortly")
                    .withStatus(409);
        }
        try {
            ca.refresh();
            rotation.get();
            https.renewIfDue();
            gauges.registerCaGauges();
            return ca.hierarchy();
        } finally {
            settings.release(LEASE);
        }
    }
}
