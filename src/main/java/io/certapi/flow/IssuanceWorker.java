package io.certapi.flow;

import io.certapi.ca.CertificateAuthority;
import io.certapi.ca.IssuedCertificate;
import io.certapi.ca.LeafRequest;
import io.certapi.config.CertapiConfig;
import io.certapi.core.Base64Url;
import io.certapi.core.Identifier;
import io.certapi.core.Ids;
import io.certapi.core.ProblemType;
import io.certapi.policy.CsrPolicy;
import io.certapi.store.IssuanceStore;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    /** Orders signed at most per batch (one claim and one store transaction each). */
    private static final int SIGN_BATCH = 50;

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
    private final IssuanceStore store;
    /** Orders due, waiting for a signer. */
    private final Queue<String> queued = new ConcurrentLinkedQueue<>();
    /**
     * Orders this instance has a timer for, or has queued, until their signer is done: the
     * poll leaves them alone. Without it, a poll while the signers ran behind queued the same
     * orders a second time, and two signers claiming overlapping batches deadlocked.
     */
    private final Set<String> local = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** Creates the worker and its thread pools. */
    public IssuanceWorker(CertapiConfig config, Clock clock, CertificateAuthority ca,
            Profiles profiles, Completions completions, IssuanceStore store, MeterRegistry meters,
            Audit audit) {
        this.audit = audit;
        this.store = store;
        this.signing = Timer.builder("certapi.signing").description("Issuing a certificate,"
                + " from the start of its signature to its stored row (the certificates of a"
                + " batch are stored together)")
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
        local.add(orderId);
        try {
            timers.schedule(() -> submit(orderId), Math.max(0, delay.toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            local.remove(orderId);
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
        for (String id : due) {
            if (local.add(id)) {
                submit(id);
            }
        }
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
        queued.add(orderId);
        try {
            signers.execute(this::drain);
        } catch (RejectedExecutionException shuttingDown) {
            local.remove(orderId);
            LOG.debugf("not issuing order %s: shutting down", orderId);
        }
    }

    /** The key under which an order's signature is reported done. */
    static String orderKey(String orderId) {
        return "order:" + orderId;
    }

    /**
     * Signs what is queued, up to {@value #SIGN_BATCH} orders at a time. When a thousand
     * orders fall due in the same seconds, a batch is claimed in one transaction and its
     * certificates stored in one more: two commits per batch instead of two per certificate,
     * which is what kept the signers seconds behind the due time.
     */
    void drain() {
        Set<String> batch = new LinkedHashSet<>();
        for (String id; batch.size() < SIGN_BATCH && (id = queued.poll()) != null;) {
            batch.add(id);
        }
        if (!batch.isEmpty()) {
            // Rows locked in one order: two instances claiming overlapping batches wait for
            // each other instead of deadlocking.
            issue(batch.stream().sorted().toList());
        }
    }

    /**
     * Claims and signs these orders, then tells whoever waits for each; an order another
     * worker holds is left to it, one that is done already is only reported.
     */
    public void issue(List<String> orderIds) {
        try {
            claimAndSign(orderIds);
        } finally {
            // Done, or left to the next poll (a failed claim, a lapsed lease).
            orderIds.forEach(local::remove);
        }
    }

    private void claimAndSign(List<String> orderIds) {
        Instant now = clock.instant();
        Instant until = now.plus(config.work().lease());
        // Each order claimed and read in one transaction.
        Map<String, IssuanceStore.Claimed> claimed;
        try {
            claimed = store.claim(orderIds, now, until);
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.errorf(e, "claiming orders %s failed; the next poll tries again", orderIds);
            }
            return;
        }
        try {
            List<Signed> signed = new ArrayList<>();
            claimed.forEach((id, c) -> {
                try {
                    signed.add(sign(id, new Work(c.accountId(), c.csr(),
                            FlowJson.identifiers(c.identifiers()), c.notBefore(), c.notAfter(),
                            Optional.ofNullable(c.profile()))));
                } catch (RuntimeException e) {
                    failed(id, e);
                }
            });
            storeAll(signed);
        } finally {
            claimed.keySet().forEach(id -> completions.done(orderKey(id)));
        }
    }

    /** Signs one claimed order; the certificate is not stored yet. */
    private Signed sign(String orderId, Work w) {
        long started = System.nanoTime();
        // Checked at finalize; the stored CSR only gives the key and must-staple now.
        CsrPolicy.Csr csr = CsrPolicy.accepted(Base64Url.decode(w.csr()).orElseThrow());
        PublicKey key = csr.publicKey();
        Instant signedAt = clock.instant();
        Instant notBefore = w.notBefore() != null ? w.notBefore()
                : signedAt.minus(config.certificate().backdate());
        Profiles.Settings profile = profiles.resolve(w.profile());
        Instant notAfter = w.notAfter() != null ? w.notAfter()
                : notBefore.plus(profile.lifetime());
        IssuedCertificate cert = ca.issue(new LeafRequest(key, w.identifiers(), notBefore,
                notAfter, profile.includeCn(), profile.clientAuth(), profile.keyEncipherment(),
                csr.mustStaple()));
        return new Signed(orderId, w, cert, key, notBefore, started);
    }

    /**
     * Stores the certificates in one transaction; if that fails, each in its own, so that one
     * bad row does not cost the others.
     */
    private void storeAll(List<Signed> signed) {
        if (signed.isEmpty()) {
            return;
        }
        List<IssuanceStore.NewCertificate> rows = signed.stream().map(this::row).toList();
        List<Boolean> stored;
        try {
            stored = store.store(rows);
        } catch (RuntimeException batchFailed) {
            if (signed.size() == 1) {
                failed(signed.get(0).orderId(), batchFailed);
                return;
            }
            LOG.warnf("storing %d certificates at once failed (%s); storing each alone",
                    signed.size(), batchFailed.toString());
            signed.forEach(s -> storeAll(List.of(s)));
            return;
        }
        for (int i = 0; i < signed.size(); i++) {
            Signed s = signed.get(i);
            if (stored.get(i)) {
                issued(s, rows.get(i).id());
            } else {
                LOG.infof("order %s was finished elsewhere; certificate serial %s not kept",
                        s.orderId(), s.cert().serialHex());
            }
        }
    }

    private void issued(Signed s, String certId) {
        signing.record(System.nanoTime() - s.started(), TimeUnit.NANOSECONDS);
        issued.increment();
        Work w = s.work();
        IssuedCertificate cert = s.cert();
        audit.log("certificate.issued", "certificate", certId, "serial", cert.serialHex(),
                "identifiers", w.identifiers().stream().map(i -> i.type() + ":" + i.value())
                        .toList(), "account", w.accountId(), "order", s.orderId(), "issuer",
                cert.issuerId(), "notBefore", s.notBefore().toString(), "notAfter",
                cert.certificate().getNotAfter().toInstant().toString());
        LOG.infof("order %s valid: certificate %s serial %s for %s, %s to %s", s.orderId(),
                certId, cert.serialHex(), w.identifiers(), s.notBefore(),
                cert.certificate().getNotAfter().toInstant());
    }

    /** An order that could not be signed or stored: invalid, unless the shutdown caused it. */
    private void failed(String orderId, RuntimeException e) {
        if (stopping) {
            // Not the order's fault: its claim lapses and the next start signs it.
            LOG.infof("signing order %s interrupted by the shutdown; resumed at the next"
                    + " start", orderId);
            return;
        }
        LOG.errorf(e, "issuing the certificate of order %s failed", orderId);
        try {
            store.invalid(orderId, FlowJson.problem(ProblemType.SERVER_INTERNAL,
                    "the certificate could not be issued"));
        } catch (RuntimeException markFailed) {
            LOG.errorf("order %s could not be marked invalid (%s); its claim lapses and the"
                    + " next poll tries again", orderId, markFailed.toString());
        }
    }

    /** The certificate's row, with a new id. */
    private IssuanceStore.NewCertificate row(Signed s) {
        IssuedCertificate issued = s.cert();
        return new IssuanceStore.NewCertificate(Ids.random(), s.orderId(),
                s.work().accountId(), issued.serialHex(), issued.issuerId(), issued.pemChain(),
                KeyHashes.of(s.key()), issued.certificate().getNotBefore().toInstant(),
                issued.certificate().getNotAfter().toInstant(), clock.instant());
    }

    /** A certificate signed for an order, not stored yet. */
    private record Signed(String orderId, Work work, IssuedCertificate cert, PublicKey key,
            Instant notBefore, long started) {
    }

    /** What signing needs of an order. */
    private record Work(String accountId, String csr, List<Identifier> identifiers,
            Instant notBefore, Instant notAfter, Optional<String> profile) {
    }
}
