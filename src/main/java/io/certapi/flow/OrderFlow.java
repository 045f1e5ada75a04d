package io.certapi.flow;

import io.certapi.ca.CertificateAuthority;
import io.certapi.ca.Pem;
import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Base64Url;
import io.certapi.core.Identifier;
import io.certapi.core.Ids;
import io.certapi.core.ProblemType;
import io.certapi.core.Status;
import io.certapi.core.Texts;
import io.certapi.flow.Views.CertificateView;
import io.certapi.flow.Views.OrderView;
import io.certapi.policy.CsrPolicy;
import io.certapi.policy.IdentifierPolicy;
import io.certapi.store.CertificateEntity;
import io.certapi.store.OrderEntity;
import io.certapi.store.OrderReads;
import io.certapi.store.OrderStore;
import io.certapi.store.RateLimitStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/** Orders (RFC 8555 §7.4): creation, lookup, finalize, certificate download. */
@ApplicationScoped
public class OrderFlow {

    private static final Logger LOG = Logger.getLogger(OrderFlow.class);

    private final CertapiConfig config;
    private final RateLimits limits;
    private final Audit audit;
    private final Clock clock;
    private final IssuanceWorker issuance;
    private final Authorizations authorizations;
    private final Profiles profiles;
    private final RenewalFlow renewals;
    private final CertificateAuthority ca;
    private final Completions completions;
    private final OrderReads reads;
    private final OrderStore orders;

    /** Creates the flow. */
    public OrderFlow(CertapiConfig config, Clock clock, IssuanceWorker issuance,
            Authorizations authorizations, Profiles profiles, RenewalFlow renewals,
            CertificateAuthority ca, Completions completions, OrderReads reads,
            OrderStore orders, RateLimits limits, Audit audit) {
        this.orders = orders;
        this.audit = audit;
        this.reads = reads;
        this.config = config;
        this.limits = limits;
        this.completions = completions;
        this.clock = clock;
        this.issuance = issuance;
        this.authorizations = authorizations;
        this.profiles = profiles;
        this.renewals = renewals;
        this.ca = ca;
    }

    /**
     * newOrder: checks the identifiers and the requested validity, then gives each identifier an
     * authorization: a valid one the account already holds (when reuse is on), or a new pending
     * one with the challenges that fit the identifier. The order, its new authorizations, the
     * rate limits' count and the mark on a replaced certificate are one short transaction.
     */
    public OrderView create(String accountId, List<Identifier> requested,
            Optional<Instant> notBefore, Optional<Instant> notAfter, Optional<String> profile,
            Optional<String> replaces) {
        Profiles.Settings settings = profiles.resolve(profile);
        List<Identifier> ids = IdentifierPolicy.check(requested, authorizations.rules());
        Instant now = clock.instant();
        checkValidityWindow(now, notBefore, notAfter, settings);
        OrderEntity o = new OrderEntity();
        o.id = Ids.random();
        o.accountId = accountId;
        o.status = Status.PENDING.wire();
        o.createdAt = now;
        o.expiresAt = now.plus(config.order().lifetime());
        o.notBefore = notBefore.orElse(null);
        o.notAfter = notAfter.orElse(null);
        o.identifiers = FlowJson.write(ids);
        o.profile = profile.isPresent() ? settings.name() : null;
        o.replaces = replaces.orElse(null);
        Optional<OrderStore.Replacing> replacing = replaces.map(certId ->
                QuarkusTransaction.requiringNew().call(() ->
                        replacing(accountId, certId, ids, now)));
        Instant pendingUntil = now.plus(config.authorization().pendingLifetime());
        Instant authzExpires = pendingUntil.isBefore(o.expiresAt) ? pendingUntil : o.expiresAt;
        List<OrderStore.NewAuthorization> created = new ArrayList<>();
        for (Identifier id : ids) {
            // A reused authorization must stay valid for as long as this order may be finalized.
            OrderStore.NewAuthorization a = authorizations.forIdentifier(accountId, id, now,
                    authzExpires, o.expiresAt);
            o.authorizations.add(a.authorization());
            if (!a.challenges().isEmpty()) {
                created.add(a);
            }
        }
        Optional<RateLimitStore.OrderLimits> orderLimits = limits.newOrder(accountId, ids,
                ids.size());
        OrderStore.Created stored = orders.create(o, created, orderLimits, replacing, now);
        stored.refused().ifPresent(a -> limits.check(orderLimits.orElseThrow(), a));
        if (stored.replaceRaced()) {
            throw alreadyReplaced(o.replaces, null);
        }
        LOG.infof("order %s created for account %s: %s", o.id, accountId, ids);
        audit.log("order.created", "order", o.id, "account", accountId, "identifiers",
                ids.stream().map(i -> i.type() + ":" + i.value()).toList(), "profile", o.profile,
                "replaces", o.replaces);
        return view(o, now);
    }

    /**
     * RFC 9773 §5: the certificate an order replaces must be this account's, share a name with
     * the order, and not be replaced already by an order that is not invalid (alreadyReplaced).
     * The order's transaction then marks it with a compare-and-set against the order found
     * here, which settles two orders racing to replace it.
     */
    private OrderStore.Replacing replacing(String accountId, String certId,
            List<Identifier> ids, Instant now) {
        CertificateEntity old = renewals.find(certId).orElseThrow(() -> AcmeProblem.malformed(
                "replaces names no certificate of this server: \"" + Texts.clip(certId) + "\""));
        if (!old.accountId.equals(accountId)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the certificate named in replaces"
                    + " was issued to another account");
        }
        List<Identifier> oldIds = OrderEntity.findById(old.orderId)
                .map(prev -> FlowJson.identifiers(prev.identifiers)).orElse(List.of());
        if (oldIds.stream().noneMatch(ids::contains)) {
            throw AcmeProblem.malformed("the certificate named in replaces shares no identifier"
                    + " with this order");
        }
        String previous = old.replacedBy;
        if (previous != null) {
            Optional<OrderEntity> prev = OrderEntity.findById(previous);
            if (prev.isPresent() && Statuses.order(prev.get(), prev.get().authorizations, now)
                    != Status.INVALID) {
                throw alreadyReplaced(certId, previous);
            }
        }
        return new OrderStore.Replacing(old.id, previous);
    }

    private static AcmeProblem alreadyReplaced(String certId, String byOrder) {
        return AcmeProblem.of(ProblemType.ALREADY_REPLACED, "certificate " + Texts.clip(certId)
                + " is already replaced by " + (byOrder == null ? "a concurrent order"
                        : "order " + byOrder) + "; an order may replace it again only once"
                + " that one is invalid");
    }

    /**
     * The order; while processing with its signature due within {@code certapi.work.max-wait},
     * answered once it is signed.
     */
    public CompletionStage<OrderView> getSettled(String accountId, String orderId) {
        Callable<OrderView> read = orderRead(accountId, orderId);
        return completions.settle(IssuanceWorker.orderKey(orderId), read, read,
                OrderView::dueAt);
    }

    /** Reads the order afresh, for its owner: one query, no ORM session. */
    private Callable<OrderView> orderRead(String accountId, String orderId) {
        return () -> view(owned(accountId, orderId, reads.find(orderId)), clock.instant());
    }

    /**
     * finalize ({@link #finalizeOrder}), answered once the certificate is signed when the
     * issuance delay is within max-wait: the order is then valid in one round trip.
     */
    public CompletionStage<OrderView> finalizeSettled(String accountId, String orderId,
            byte[] csrDer, Instant receivedAt) {
        return completions.settle(IssuanceWorker.orderKey(orderId),
                () -> finalizeOrder(accountId, orderId, csrDer, receivedAt),
                orderRead(accountId, orderId),
                OrderView::dueAt);
    }

    /**
     * finalize (RFC 8555 §7.4): checks the CSR against the order, then moves the order to
     * processing with a compare-and-set, so that of two concurrent finalize requests exactly one
     * wins. The certificate is signed by {@link IssuanceWorker} once the configured delay has
     * passed since the request arrived ({@code receivedAt}: time it spent queued for a worker
     * thread counts); this call returns at once.
     */
    public OrderView finalizeOrder(String accountId, String orderId, byte[] csrDer,
            Instant receivedAt) {
        Instant now = clock.instant();
        Instant issueAt = (receivedAt.isAfter(now) ? now : receivedAt)
                .plus(config.issuance().delay());
        // Reads, checks, then one short transaction; no ORM session on this path.
        OrderEntity o = owned(accountId, orderId, reads.find(orderId));
        Status status = Statuses.order(o, o.authorizations, now);
        if (status != Status.READY) {
            throw AcmeProblem.of(ProblemType.ORDER_NOT_READY, "the order is " + status.wire()
                    + "; it can be finalized only when ready"
                    + (status == Status.PENDING ? " (all its authorizations valid)" : ""));
        }
        CsrPolicy.Csr csr = CsrPolicy.check(csrDer);
        List<Identifier> ids = FlowJson.identifiers(o.identifiers);
        Set<Identifier> wanted = new HashSet<>(ids);
        if (!csr.identifiers().equals(wanted)) {
            Set<Identifier> missing = new HashSet<>(wanted);
            missing.removeAll(csr.identifiers());
            Set<Identifier> extra = new HashSet<>(csr.identifiers());
            extra.removeAll(wanted);
            throw AcmeProblem.of(ProblemType.BAD_CSR, "the CSR's names must be exactly the"
                    + " order's identifiers; missing " + values(missing) + ", not in the order "
                    + values(extra));
        }
        // RFC 8555 §11.1: the certificate key must not be an account key, any account's: a
        // certificate for another account's key would let its holder sign as that account.
        // One query by thumbprint finds the requester's own key as well as any other's.
        OrderStore.KeyUse use = orders.keyUse(
                KeyHashes.accountThumbprint(csr.publicKey()).orElse(null),
                KeyHashes.of(csr.publicKey()));
        if (use.accountId().isPresent()) {
            throw AcmeProblem.of(ProblemType.BAD_CSR, use.accountId().get().equals(accountId)
                    ? "the CSR's key is the account key; a certificate needs a key of its own"
                    : "the CSR's key is the key of an ACME account; a certificate needs a key"
                            + " of its own");
        }
        if (csr.mustStaple() && !config.ocsp().enabled()) {
            throw AcmeProblem.of(ProblemType.BAD_CSR, "the CSR asks for must-staple (RFC 7633),"
                    + " but this CA runs no OCSP responder to staple answers from");
        }
        if (use.compromised()) {
            throw AcmeProblem.of(ProblemType.BAD_CSR, "the CSR's key was reported compromised;"
                    + " use a new key");
        }
        OrderStore.Finalized done = orders.finalizeOrder(o.id, Base64Url.encode(csrDer),
                issueAt, limits.finalizeOrder(accountId, ids), now);
        limits.check(done.full());
        if (!done.processing()) {
            throw AcmeProblem.of(ProblemType.ORDER_NOT_READY, "the order was finalized by a"
                    + " concurrent request");
        }
        // What the update wrote, without reading the row back.
        o.status = Status.PROCESSING.wire();
        o.issueAt = issueAt;
        LOG.infof("order %s finalized; certificate due at %s", o.id, issueAt);
        audit.log("order.finalized", "order", o.id, "account", accountId, "issueAt",
                issueAt.toString());
        issuance.scheduleAfterDelay(orderId, Duration.between(clock.instant(), issueAt));
        return view(o, now);
    }

    /**
     * Chain {@code index} of a certificate, for any account (certificates are public): 0 is the
     * chain stored at issuance; the others lead to another root (after a root rotation, through
     * the cross-signed root or not).
     */
    public CertificateView certificate(String certificateId, int index) {
        OrderReads.StoredChain c = reads.certificate(certificateId).orElseThrow(() ->
                AcmeProblem.malformed("no certificate " + certificateId).withStatus(404));
        List<List<X509Certificate>> chains = ca.chains(c.issuerId());
        int count = Math.max(1, chains.size());
        if (index < 0 || index >= count) {
            throw AcmeProblem.malformed("certificate " + certificateId + " has " + count
                    + " chain(s); there is no chain " + index).withStatus(404);
        }
        if (index == 0) {
            return new CertificateView(c.id(), c.pemChain(), count);
        }
        List<Object> pem = new ArrayList<>();
        pem.add(Pem.certificates(c.pemChain()).get(0));
        pem.addAll(chains.get(index));
        return new CertificateView(c.id(), Pem.encode(pem.toArray()), count);
    }

    private void checkValidityWindow(Instant now, Optional<Instant> notBefore,
            Optional<Instant> notAfter, Profiles.Settings profile) {
        Instant earliest = now.minus(config.certificate().backdate());
        Instant start = notBefore.orElse(now);
        if (notBefore.isPresent() && notBefore.get().isBefore(earliest)) {
            throw AcmeProblem.malformed("notBefore " + notBefore.get() + " is in the past;"
                    + " it may be at most " + config.certificate().backdate() + " before now");
        }
        if (notBefore.isPresent() && notBefore.get().isAfter(now.plus(config.order().lifetime()))) {
            throw AcmeProblem.malformed("notBefore " + notBefore.get() + " is after the order"
                    + " would expire");
        }
        if (notAfter.isPresent()) {
            if (!notAfter.get().isAfter(start)) {
                throw AcmeProblem.malformed("notAfter " + notAfter.get() + " must be after "
                        + (notBefore.isPresent() ? "notBefore" : "now"));
            }
            Duration asked = Duration.between(start, notAfter.get());
            if (asked.compareTo(profile.maxLifetime()) > 0) {
                throw AcmeProblem.malformed("the requested lifetime " + asked + " exceeds the"
                        + " maximum of " + profile.maxLifetime() + " of profile \""
                        + profile.name() + "\"");
            }
        }
    }

    private static OrderEntity owned(String accountId, String orderId,
            Optional<OrderEntity> found) {
        OrderEntity o = found.orElseThrow(() ->
                AcmeProblem.malformed("no order " + orderId).withStatus(404));
        if (!o.accountId.equals(accountId)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "order " + orderId
                    + " belongs to another account");
        }
        return o;
    }

    private OrderView view(OrderEntity o, Instant now) {
        Status status = Statuses.order(o, o.authorizations, now);
        Optional<Duration> retry = Optional.empty();
        Optional<Instant> dueAt = Optional.empty();
        if (status == Status.PROCESSING && o.issueAt != null) {
            retry = Optional.of(RetryAfter.until(now, o.issueAt));
            dueAt = Optional.of(o.issueAt);
        }
        Optional<String> error = Optional.ofNullable(o.error);
        if (status == Status.INVALID && error.isEmpty()) {
            error = Optional.of(FlowJson.problem(ProblemType.UNAUTHORIZED,
                    now.isBefore(o.expiresAt)
                            ? "an authorization of this order is no longer pending or valid"
                            : "the order expired at " + o.expiresAt));
        }
        return new OrderView(o.id, status, o.expiresAt, FlowJson.identifiers(o.identifiers),
                Optional.ofNullable(o.notBefore), Optional.ofNullable(o.notAfter),
                o.authorizations.stream().map(a -> a.id).toList(), error,
                Optional.ofNullable(o.certificateId), retry, Optional.ofNullable(o.profile),
                Optional.ofNullable(o.replaces), dueAt);
    }

    private static List<String> values(Set<Identifier> ids) {
        return ids.stream().map(Identifier::value).sorted().toList();
    }
}
