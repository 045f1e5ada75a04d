package io.certapi.flow;

import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Identifier;
import io.certapi.core.ProblemType;
import io.certapi.core.Status;
import io.certapi.policy.IdentifierPolicy;
import io.certapi.flow.Views.AuthorizationView;
import io.certapi.flow.Views.ChallengeView;
import io.certapi.store.AuthorizationEntity;
import io.certapi.store.AuthorizationReads;
import io.certapi.store.ChallengeEntity;
import io.certapi.store.OrderStore;
import io.certapi.store.ValidationStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/** Authorizations and their challenges (RFC 8555 §7.5). */
@ApplicationScoped
public class AuthorizationFlow {

    private static final Logger LOG = Logger.getLogger(AuthorizationFlow.class);

    private final CertapiConfig config;
    private final Clock clock;
    private final ValidationWorker validation;
    private final Authorizations authorizations;
    private final Completions completions;
    private final AuthorizationReads reads;
    private final ValidationStore validations;
    private final OrderStore orders;

    /** Creates the flow. */
    public AuthorizationFlow(CertapiConfig config, Clock clock, ValidationWorker validation,
            Authorizations authorizations, Completions completions, AuthorizationReads reads,
            ValidationStore validations, OrderStore orders) {
        this.orders = orders;
        this.reads = reads;
        this.validations = validations;
        this.config = config;
        this.clock = clock;
        this.validation = validation;
        this.authorizations = authorizations;
        this.completions = completions;
    }

    /** The key under which {@link ValidationWorker} reports an attempt on a challenge done. */
    static String challengeKey(String challengeId) {
        return "challenge:" + challengeId;
    }

    /** The key under which {@link ValidationWorker} reports an attempt in an authorization. */
    static String authorizationKey(String authzId) {
        return "authz:" + authzId;
    }

    /**
     * The authorization; while a challenge of it is validated and its attempt due within
     * {@code certapi.work.max-wait}, answered once that attempt is done.
     */
    public CompletionStage<AuthorizationView> getSettled(String accountId, String authzId) {
        Callable<AuthorizationView> read = () -> {
            AuthorizationReads.WithChallenges a = reads.authorization(authzId)
                    .orElseThrow(() -> noAuthorization(authzId));
            checkOwner(accountId, a.authorization());
            return view(a, clock.instant());
        };
        return completions.settle(authorizationKey(authzId), read, read,
                a -> a.processing().flatMap(ChallengeView::dueAt));
    }

    /**
     * The challenge; while it is validated and its attempt due within max-wait, answered once
     * that attempt is done.
     */
    public CompletionStage<ChallengeView> challengeSettled(String accountId, String challengeId) {
        Callable<ChallengeView> read = challengeRead(accountId, challengeId);
        return completions.settle(challengeKey(challengeId), read, read, ChallengeView::dueAt);
    }

    /**
     * Responds to a challenge ({@link #trigger}) and answers once its first validation attempt
     * is done, within max-wait: valid or invalid in one round trip where validation is quick.
     */
    public CompletionStage<ChallengeView> answer(String accountId, String challengeId) {
        return completions.settle(challengeKey(challengeId),
                () -> trigger(accountId, challengeId), challengeRead(accountId, challengeId),
                ChallengeView::dueAt);
    }

    /** Reads the challenge afresh, for its owner: one query, no ORM session. */
    private Callable<ChallengeView> challengeRead(String accountId, String challengeId) {
        return () -> view(ownedChallenge(accountId, challengeId).challenge(), clock.instant());
    }

    /**
     * newAuthz (RFC 8555 §7.4.1): an authorization for one identifier before any order; a later
     * order of the same account reuses it once valid. Wildcards cannot be pre-authorized, as the
     * RFC notes, since the authorization is for the exact identifier.
     */
    public AuthorizationView preAuthorize(String accountId, Identifier requested) {
        Identifier id = IdentifierPolicy.checkOne(requested, authorizations.rules());
        if (IdentifierPolicy.isWildcard(id.value())) {
            throw AcmeProblem.malformed("wildcard names cannot be pre-authorized (RFC 8555"
                    + " §7.4.1); order \"" + id.value() + "\" with newOrder instead");
        }
        Instant now = clock.instant();
        OrderStore.NewAuthorization n = authorizations.forIdentifier(accountId, id, now,
                now.plus(config.authorization().pendingLifetime()), now);
        AuthorizationEntity a = n.authorization();
        if (n.challenges().isEmpty()) {
            // A valid one reused: answered as stored, with its challenges.
            return view(reads.authorization(a.id).orElseThrow(() -> noAuthorization(a.id)), now);
        }
        orders.createAuthorization(n);
        LOG.infof("authorization %s for %s (account %s) by newAuthz", a.id, id, accountId);
        return view(a, n.challenges(), now);
    }

    /** Deactivates a pending or valid authorization (RFC 8555 §7.5.2). */
    @Transactional
    public AuthorizationView deactivate(String accountId, String authzId) {
        AuthorizationEntity a = owned(accountId, authzId);
        Instant now = clock.instant();
        Status s = Statuses.authorization(a, now);
        if (s != Status.PENDING && s != Status.VALID) {
            throw AcmeProblem.malformed("the authorization is " + s.wire()
                    + "; only pending or valid authorizations can be deactivated");
        }
        if (!AuthorizationEntity.compareAndSetStatus(a.id, a.status, Status.DEACTIVATED.wire())) {
            throw AcmeProblem.malformed("the authorization changed concurrently; fetch it again");
        }
        AuthorizationEntity.getEntityManager().refresh(a);
        LOG.infof("authorization %s deactivated by account %s", a.id, accountId);
        return view(a, now);
    }

    /**
     * Responds to a challenge (RFC 8555 §7.5.1): a pending challenge of a pending authorization
     * turns processing (compare-and-set, so concurrent triggers validate once) and is
     * validated in the background by this instance, which claimed it in the same statement;
     * the answer comes at once. A read and one short transaction, no ORM session.
     */
    public ChallengeView trigger(String accountId, String challengeId) {
        Instant now = clock.instant();
        AuthorizationReads.ChallengeOf found = ownedChallenge(accountId, challengeId);
        ChallengeEntity c = found.challenge();
        if (!"pending".equals(c.status)) {
            return view(c, now);
        }
        checkPending(found.authorization(), now);
        Optional<ValidationStore.Claimed> started = validations.start(challengeId, now,
                now.plus(config.work().lease()));
        if (started.isEmpty()) {
            // A concurrent answer started it, or the authorization changed meanwhile.
            found = ownedChallenge(accountId, challengeId);
            if ("pending".equals(found.challenge().status)) {
                checkPending(found.authorization(), clock.instant());
            }
            return view(found.challenge(), clock.instant());
        }
        // What the update wrote, without reading the row back.
        c.status = Status.PROCESSING.wire();
        c.nextAttemptAt = now;
        validation.submit(started.get());
        return view(c, now);
    }

    private static void checkPending(AuthorizationEntity a, Instant now) {
        Status authz = Statuses.authorization(a, now);
        if (authz != Status.PENDING) {
            throw AcmeProblem.malformed("the authorization is " + authz.wire()
                    + "; its challenges can be answered only while it is pending");
        }
    }

    private AuthorizationEntity owned(String accountId, String authzId) {
        AuthorizationEntity a = AuthorizationEntity.findById(authzId)
                .orElseThrow(() -> noAuthorization(authzId));
        checkOwner(accountId, a);
        return a;
    }

    private static AcmeProblem noAuthorization(String authzId) {
        return AcmeProblem.malformed("no authorization " + authzId).withStatus(404);
    }

    private static void checkOwner(String accountId, AuthorizationEntity a) {
        if (!a.accountId.equals(accountId)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "authorization " + a.id
                    + " belongs to another account");
        }
    }

    private AuthorizationReads.ChallengeOf ownedChallenge(String accountId, String challengeId) {
        AuthorizationReads.ChallengeOf c = reads.challenge(challengeId).orElseThrow(() ->
                AcmeProblem.malformed("no challenge " + challengeId).withStatus(404));
        checkOwner(accountId, c.authorization());
        return c;
    }

    private AuthorizationView view(AuthorizationEntity a, Instant now) {
        return view(a, ChallengeEntity.findByAuthz(a.id), now);
    }

    private AuthorizationView view(AuthorizationReads.WithChallenges a, Instant now) {
        return view(a.authorization(), a.challenges(), now);
    }

    private AuthorizationView view(AuthorizationEntity a, List<ChallengeEntity> rows,
            Instant now) {
        List<ChallengeView> challenges = rows.stream().map(c -> view(c, now)).toList();
        Status status = Statuses.authorization(a, now);
        // While a challenge is validated, poll again when its next attempt is due.
        Optional<Duration> retry = rows.stream()
                .filter(c -> "processing".equals(c.status))
                .map(c -> RetryAfter.until(now, c.nextAttemptAt))
                .findFirst();
        return new AuthorizationView(a.id, new Identifier(a.identifierType, a.identifierValue),
                status, a.expiresAt, a.wildcard, challenges, retry);
    }

    private static ChallengeView view(ChallengeEntity c, Instant now) {
        boolean processing = "processing".equals(c.status);
        // A processing challenge without a next attempt has one running now.
        Optional<Instant> dueAt = processing
                ? Optional.of(c.nextAttemptAt == null ? now : c.nextAttemptAt) : Optional.empty();
        return new ChallengeView(c.id, c.authzId, c.type, c.token, Status.fromWire(c.status),
                Optional.ofNullable(c.validatedAt), Optional.ofNullable(c.error),
                Optional.ofNullable(c.validation), dueAt,
                dueAt.map(at -> RetryAfter.until(now, at)));
    }
}
