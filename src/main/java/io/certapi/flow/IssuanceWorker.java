package io.certapi.flow;

import io.certapi.ca.CertificateAuthority;
import io.certapi.ca.IssuedCertificate;
import io.certapi.ca.LeafRequest;
import io.certapi.config.CertapiConfig;
import io.certapi.core.Base64Url;
import io.certapi.core.Identifier;
import io.certapi.core.Ids;
import io.certapi.core.ProblemType;
import io.certapi.core.Status;
import io.certapi.policy.CsrPolicy;
import io.certapi.store.CertificateEntity;
import io.certapi.store.OrderEntity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Signs the certificates of processing orders once their issuance delay has passed. A finalize
 * arms a timer (no thread waits for it); a poll every second picks up whatever a timer missed:
 * orders of a crashed or restarted instance, or of another instance. Each order is claimed with
 * a compare-and-set lease before it is signed, so it is signed once however many workers see it.
 */
@ApplicationScoped
public class IssuanceWorker {

    private static final Logger LOG = Logger.getLogger(IssuanceWorker.class);
    private static final int BATCH = 100;

    private final CertapiConfig config;
    private final Timer signing;
    private final Counter issued;
    private final Audit audit;
    private final Clock clock;
    private final CertificateAuthority ca;
    private final Profiles profiles;
    private final ScheduledExecutorService timers;
    private final ExecutorService signers;
    private final Completions completions;
    private volatile boolean stopping;

    /** Creates the worker and its thread pools. */
    public IssuanceWorker(CertapiConfig config, Clock clock, CertificateAuthority ca,
            Profiles profiles, Completions completions, MeterRegistry meters, Audit audit) {
        this.audit = audit;
        this.signing = Timer.builder("certapi.signing").description("Signing a certificate,"
                + " from its order's claim to the stored certificate")
                .publishPercentileHistogram().register(meters);
        this.issued = meters.counter("certapi.certificates.issued");
        this.config = config;
        this.completions = completions;
        this.clock = clock;
        this.ca = ca;
        this.profiles = profiles;
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Threads.named("certapi-issue-timer"));
        this.signers = Executors.newFixedThreadPool(config.issuance().threads(),
                Threads.named("certapi-signer"));
    }

    /** Arms a timer that signs {@code orderId} after {@code delay}. */
    public void scheduleAfterDelay(String orderId, Duration delay) {
        try {
            timers.schedule(() -> submit(orderId), Math.max(0, delay.toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.debugf("not scheduling order %s: shutting down; the poll will resume it", orderId);
        }
    }

    /** Every second: signs every due order nobody holds (after a crash, or another instance's). */
    @Scheduled(every = "1s", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        List<String> due;
        try {
            due = QuarkusTransaction.requiringNew().call(() ->
                    OrderEntity.findDueIds(clock.instant(), BATCH));
        } catch (RuntimeException e) {
            if (!stopping) {
                throw e;
            }
            // The shutdown closed the database under this poll: the next start picks up.
            LOG.debug("poll cut short by the shutdown", e);
            return;
        }
        due.forEach(this::submit);
    }

    /** From now on a failure may be the shutdown closing the database under a signer. */
    void onShutdown(@Observes ShutdownEvent ev) {
        stopping = true;
    }

    /** Stops the pools. */
    @PreDestroy
    void stop() {
        stopping = true;
        timers.shutdownNow();
        signers.shutdownNow();
    }

    private void submit(String orderId) {
        try {
            signers.execute(() -> issue(orderId));
        } catch (RejectedExecutionException shuttingDown) {
            LOG.debugf("not issuing order %s: shutting down", orderId);
        }
    }

    /** The key under which an order's signature is reported done. */
    static String orderKey(String orderId) {
        return "order:" + orderId;
    }

    /**
     * Claims and signs one order, then tells whoever waits for it; a no-op when another worker
     * holds it or it is done.
     */
    void issue(String orderId) {
        Instant now = clock.instant();
        // Claimed and read in one transaction: one commit per certificate less. Empty: another
        // worker holds the order; empty work: claimed, but no longer processing.
        Optional<Optional<Work>> claimed;
        try {
            claimed = QuarkusTransaction.requiringNew().call(() ->
                    OrderEntity.claim(orderId, now, now.plus(config.work().lease()))
                            ? Optional.of(OrderEntity.findById(orderId)
                                    .filter(o -> "processing".equals(o.status))
                                    .map(o -> new Work(o.accountId, o.csr,
                                            FlowJson.identifiers(o.identifiers), o.notBefore,
                                            o.notAfter, Optional.ofNullable(o.profile))))
                            : Optional.<Optional<Work>>empty());
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.errorf(e, "claiming order %s failed; the next poll tries again", orderId);
            }
            return;
        }
        if (claimed.isEmpty()) {
            return;
        }
        try {
            claimed.get().ifPresent(w -> sign(orderId, w));
        } finally {
            completions.done(orderKey(orderId));
        }
    }

    /** Signs one claimed order. */
    private void sign(String orderId, Work w) {
        try {
            // Checked at finalize; the stored CSR only gives the key and must-staple now.
            CsrPolicy.Csr csr = CsrPolicy.accepted(Base64Url.decode(w.csr()).orElseThrow());
            PublicKey key = csr.publicKey();
            Instant signedAt = clock.instant();
            Instant notBefore = w.notBefore() != null ? w.notBefore()
                    : signedAt.minus(config.certificate().backdate());
            Profiles.Settings profile = profiles.resolve(w.profile());
            Instant notAfter = w.notAfter() != null ? w.notAfter()
                    : notBefore.plus(profile.lifetime());
            long started = System.nanoTime();
            IssuedCertificate cert = ca.issue(new LeafRequest(key,
                    w.identifiers(), notBefore, notAfter, profile.includeCn(),
                    profile.clientAuth(), profile.keyEncipherment(), csr.mustStaple()));
            String certId = QuarkusTransaction.requiringNew().call(() -> store(orderId, w,
                    cert, key));
            signing.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            issued.increment();
            audit.log("certificate.issued", "certificate", certId, "serial", cert.serialHex(),
                    "identifiers", w.identifiers().stream().map(i -> i.type() + ":" + i.value())
                            .toList(), "account", w.accountId(), "order", orderId, "issuer",
                    cert.issuerId(), "notBefore", notBefore.toString(), "notAfter",
                    cert.certificate().getNotAfter().toInstant().toString());
            LOG.infof("order %s valid: certificate %s serial %s for %s, %s to %s", orderId,
                    certId, cert.serialHex(), w.identifiers(), notBefore, notAfter);
        } catch (RuntimeException e) {
            if (stopping) {
                // Not the order's fault: its claim lapses and the next start signs it.
                LOG.infof("signing order %s interrupted by the shutdown; resumed at the next"
                        + " start", orderId);
                return;
            }
            LOG.errorf(e, "issuing the certificate of order %s failed", orderId);
            QuarkusTransaction.requiringNew().run(() -> OrderEntity.update(
                    "status = 'invalid', error = ?1, claimedUntil = null where id = ?2"
                            + " and status = 'processing'",
                    FlowJson.problem(ProblemType.SERVER_INTERNAL,
                            "the certificate could not be issued"), orderId));
        }
    }

    private String store(String orderId, Work w, IssuedCertificate issued, PublicKey key) {
        CertificateEntity c = new CertificateEntity();
        c.id = Ids.random();
        c.accountId = w.accountId();
        c.orderId = orderId;
        c.serial = issued.serialHex();
        c.issuerId = issued.issuerId();
        c.pemChain = issued.pemChain();
        c.keyHash = KeyHashes.of(key);
        c.notBefore = issued.certificate().getNotBefore().toInstant();
        c.notAfter = issued.certificate().getNotAfter().toInstant();
        c.createdAt = clock.instant();
        c.persist();
        int n = OrderEntity.update("status = ?1, certificateId = ?2, csr = null,"
                + " claimedUntil = null where id = ?3 and status = 'processing'",
                Status.VALID.wire(), c.id, orderId);
        if (n != 1) {
            // Someone else finished the order first: roll this certificate back.
            throw new IllegalStateException("order " + orderId + " is no longer processing");
        }
        return c.id;
    }

    /** What signing needs of an order. */
    private record Work(String accountId, String csr, List<Identifier> identifiers,
            Instant notBefore, Instant notAfter, Optional<String> profile) {
    }
}
