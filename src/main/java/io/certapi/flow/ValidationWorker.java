package io.certapi.flow;

import io.certapi.config.CertapiConfig;
import io.certapi.core.Identifier;
import io.certapi.core.ProblemType;
import io.certapi.core.Status;
import io.certapi.store.ChallengeEntity;
import io.certapi.store.ValidationStore;
import io.certapi.config.PublicUrls;
import io.certapi.validation.CaaChecker;
import io.certapi.validation.ValidationOutcome;
import io.certapi.validation.ValidationRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Validates processing challenges in the background. A trigger submits its challenge at once;
 * a poll every second picks up any challenge whose attempt is due (a retry, or work left by a
 * crash or by another instance). Each challenge is claimed with a compare-and-set lease,
 * validated without a transaction open (validation does network I/O and never touches the
 * database), then CAA is checked, and the outcome recorded with the authorization's in one
 * transaction. A failed attempt is retried with doubling backoff up to
 * {@code certapi.validation.attempts} (RFC 8555 §8.2), showing its error meanwhile; then the
 * challenge is invalid. A challenge is never left processing for good.
 */
@ApplicationScoped
public class ValidationWorker {

    private static final Logger LOG = Logger.getLogger(ValidationWorker.class);
    private static final int BATCH = 100;

    private final ValidationStore store;
    private final CertapiConfig config;
    private final Clock clock;
    private final Validators validators;
    private final String accountPrefix;
    private final ExecutorService workers;
    private final Completions completions;
    private volatile boolean stopping;
    private final RateLimits limits;
    private final MeterRegistry meters;
    private final Audit audit;

    /** Creates the worker and its pool. */
    public ValidationWorker(CertapiConfig config, Clock clock, Validators validators,
            PublicUrls urls, Completions completions, RateLimits limits, ValidationStore store,
            MeterRegistry meters, Audit audit) {
        this.audit = audit;
        this.store = store;
        this.meters = meters;
        this.config = config;
        this.limits = limits;
        this.completions = completions;
        this.clock = clock;
        this.validators = validators;
        this.accountPrefix = urls.base() + "/acme/account/";
        this.workers = Executors.newFixedThreadPool(config.validation().threads(),
                Threads.named("certapi-validator"));
    }

    void onStart(@Observes StartupEvent ev) {
        if (config.validation().alwaysValid()) {
            LOG.warn("*** certapi.validation.always-valid is ON: every challenge succeeds"
                    + " without any check. Never run a CA like this outside tests. ***");
        }
    }

    /** Validates {@code challengeId} soon, on a worker thread, once it has claimed it. */
    public void submit(String challengeId) {
        execute(challengeId, () -> attempt(challengeId));
    }

    /**
     * Validates a challenge this instance claimed as it started it
     * ({@link ValidationStore#start}) soon, on a worker thread.
     */
    public void submit(ValidationStore.Claimed claimed) {
        execute(claimed.challengeId(), () -> attempt(Work.of(claimed)));
    }

    private void execute(String challengeId, Runnable attempt) {
        try {
            workers.execute(attempt);
        } catch (RejectedExecutionException shuttingDown) {
            LOG.debugf("not validating %s: shutting down; the poll will resume it once its"
                    + " claim lapses", challengeId);
        }
    }

    /** Every second: validates every due challenge nobody holds. */
    @Scheduled(every = "1s", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        List<String> due;
        try {
            due = QuarkusTransaction.requiringNew().call(() ->
                    ChallengeEntity.findDueIds(clock.instant(), BATCH));
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

    /** Stops the pool. */
    @PreDestroy
    void stop() {
        stopping = true;
        workers.shutdownNow();
    }

    /** From now on a failed attempt may be the shutdown interrupting it, not the peer. */
    void onShutdown(@Observes ShutdownEvent ev) {
        stopping = true;
    }

    void attempt(String challengeId) {
        Instant now = clock.instant();
        // Claimed and read in one transaction: one commit per attempt less.
        store.claim(challengeId, now, now.plus(config.work().lease())).map(Work::of)
                .ifPresent(this::attempt);
    }

    private void attempt(Work w) {
        String challengeId = w.challengeId();
        ValidationOutcome outcome;
        long started = System.nanoTime();
        try {
            outcome = validate(w);
        } catch (RuntimeException e) {
            LOG.errorf(e, "validating challenge %s failed unexpectedly", challengeId);
            outcome = ValidationOutcome.failure(ProblemType.SERVER_INTERNAL,
                    "the validation could not be carried out", List.of());
        }
        if (stopping) {
            // Interrupted by the shutdown, perhaps: the claim lapses and the next start tries.
            LOG.infof("validation of challenge %s left to the next start", challengeId);
            return;
        }
        ValidationOutcome result = outcome;
        boolean failedForGood = record(w, result);
        if (failedForGood) {
            limits.validationFailed(w.accountId(), w.identifier());
        }
        Timer.builder("certapi.validations").description("Validation attempts by challenge type"
                + " and outcome (valid, retry: failed and tried again, invalid: failed for good)")
                .tag("type", w.type())
                .tag("outcome", outcomeName(result, failedForGood))
                .publishPercentileHistogram().register(meters)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        completions.done(AuthorizationFlow.challengeKey(challengeId));
        completions.done(AuthorizationFlow.authorizationKey(w.authzId()));
        if (result.valid()) {
            LOG.infof("challenge %s (%s %s) valid", challengeId, w.type(), w.identifier());
        } else if (result.errorType() != null) {
            // An attempt that will be tried again is a retry, not the challenge's end.
            LOG.infof("challenge %s (%s %s) %s: %s %s; transcript %s", challengeId, w.type(),
                    w.identifier(), failedForGood ? "invalid" : "attempt failed, will retry",
                    result.errorType().urn(), result.detail(), result.records());
        }
        audit.log("validation", "challenge", challengeId, "type", w.type(), "identifier",
                w.identifier().type() + ":" + w.identifier().value(), "account", w.accountId(),
                "outcome", outcomeName(result, failedForGood), "addressesResolved", result.records().stream()
                        .flatMap(r -> r.addressesResolved() == null
                                ? java.util.stream.Stream.<String>empty()
                                : r.addressesResolved().stream()).distinct().toList(),
                "addressUsed", result.records().stream().map(ValidationRecord::addressUsed)
                        .filter(java.util.Objects::nonNull).findFirst().orElse(null),
                "error", result.errorType() == null ? null : result.errorType().urn(),
                "detail", result.detail());
    }

    private ValidationOutcome validate(Work w) {
        if (config.validation().alwaysValid()) {
            return ValidationOutcome.success(List.of(ValidationRecord.note(
                    w.identifier().value(), "certapi.validation.always-valid: not checked")));
        }
        String keyAuthorization = w.token() + "." + w.thumbprint();
        ValidationOutcome outcome = switch (w.type()) {
            case "http-01" -> validators.http01().validate(w.identifier(), w.token(),
                    keyAuthorization);
            case "dns-01" -> validators.dns01().validate(w.identifier().value(),
                    keyAuthorization);
            case "tls-alpn-01" -> validators.tlsAlpn01().validate(w.identifier(),
                    keyAuthorization);
            default -> ValidationOutcome.failure(ProblemType.SERVER_INTERNAL,
                    "challenge type " + w.type() + " cannot be validated", List.of());
        };
        if (!outcome.valid() || !Identifier.DNS.equals(w.identifier().type())) {
            return outcome;
        }
        // RFC 8659: CAA is checked once control is proven, as Boulder does.
        Optional<CaaChecker.Refusal> refusal = validators.caa().check(w.identifier().value(),
                w.wildcard(), accountPrefix + w.accountId(), w.type());
        if (refusal.isEmpty()) {
            return outcome;
        }
        List<ValidationRecord> records = new ArrayList<>(outcome.records());
        records.add(refusal.get().record());
        return ValidationOutcome.failure(refusal.get().type(), refusal.get().detail(), records);
    }

    /**
     * Records an attempt's outcome; returns whether the challenge is now invalid for good
     * (false too when a worker whose claim lapsed meanwhile recorded it already).
     */
    private boolean record(Work w, ValidationOutcome outcome) {
        Instant now = clock.instant();
        String validation = FlowJson.write(outcome.records());
        if (outcome.valid()) {
            save(w, new ValidationStore.Outcome(Status.VALID.wire(), now,
                    null, null, validation, Status.VALID.wire(),
                    now.plus(config.authorization().validLifetime())));
            return false;
        }
        String error = FlowJson.problem(outcome.errorType(), outcome.detail());
        int attempts = w.attempts() + 1;
        if (attempts < config.validation().attempts() && retryable(outcome.errorType())) {
            // RFC 8555 §8.2: still processing, the last error shown, the next attempt queued.
            save(w, new ValidationStore.Outcome(
                    Status.PROCESSING.wire(), null, now.plus(config.validation().retryBackoff()
                            .multipliedBy(1L << Math.min(20, attempts - 1))), error,
                    validation, null, null));
            return false;
        }
        return save(w, new ValidationStore.Outcome(Status.INVALID.wire(),
                null, null, error, validation, Status.INVALID.wire(), null));
    }

    private boolean save(Work w, ValidationStore.Outcome o) {
        return store.record(w.challengeId(), w.authzId(), w.attempts(), o);
    }

    private static String outcomeName(ValidationOutcome result, boolean failedForGood) {
        return result.valid() ? "valid" : failedForGood ? "invalid" : "retry";
    }

    /** CAA refusals are a decision, not an accident: they are not retried. */
    private static boolean retryable(ProblemType type) {
        return type != ProblemType.CAA;
    }

    /** What one validation needs, and the attempts made before this one. */
    private record Work(String challengeId, String authzId, String type, String token,
            Identifier identifier, boolean wildcard, String accountId, String thumbprint,
            int attempts) {

        static Work of(ValidationStore.Claimed c) {
            return new Work(c.challengeId(), c.authzId(), c.type(), c.token(),
                    new Identifier(c.identifierType(), c.identifierValue()), c.wildcard(),
                    c.accountId(), c.thumbprint(), c.attempts());
        }
    }
}
