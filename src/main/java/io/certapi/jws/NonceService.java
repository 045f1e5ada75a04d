package io.certapi.jws;

import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Base64Url;
import io.certapi.core.Ids;
import io.certapi.core.ProblemType;
import io.certapi.store.SettingStore;
import io.certapi.store.UsedNonceStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Anti-replay nonces (RFC 8555 §6.5). A nonce is 16 bytes (a counter and random bytes), its
 * expiry and an HMAC over both: issuing one costs no I/O. Where redeemed nonces are remembered
 * depends on {@code certapi.nonce.store}:
 * <ul>
 * <li>database: the HMAC key is kept in the database, so every instance accepts the nonces of
 * the others, and redeeming inserts the nonce into the used-nonce table, whose primary key lets
 * exactly one of any number of concurrent requests (or instances) win;</li>
 * <li>memory (the default on the embedded H2 file, which one process alone can open): a
 * redemption is a set insertion, as in Boulder's nonce service. The key is new at every start,
 * so no nonce of an earlier run (whose redemptions are forgotten) is accepted after a restart.
 * Memory stays bounded: past {@code memory-used} remembered nonces, the oldest counter values
 * are refused wholesale.</li>
 * </ul>
 */
@ApplicationScoped
@Startup
public class NonceService {

    private static final Logger LOG = Logger.getLogger(NonceService.class);
    private static final int RANDOM_BYTES = 16;
    private static final int MAC_BYTES = 16;
    private static final int LENGTH = RANDOM_BYTES + Long.BYTES + MAC_BYTES;

    private final SecureRandom random = new SecureRandom();
    private final UsedNonceStore usedNonces;
    private final Clock clock;
    private final CertapiConfig config;
    private final SecretKeySpec key;
    private final boolean inMemory;
    private final AtomicLong counter = new AtomicLong();
    /** Redeemed counter values above {@link #floor}; guarded by itself. */
    private final TreeSet<Long> redeemed = new TreeSet<>();
    /** Every counter value up to this one is refused; guarded by {@link #redeemed}. */
    private long floor;

    /** Nonces redeemed (certapi_nonces_total{result="redeemed"}). */
    private final Counter redeemedCount;

    /** Loads (or creates, on first start) the shared nonce key, or makes a key of this run. */
    public NonceService(SettingStore settings, UsedNonceStore usedNonces, Clock clock,
            CertapiConfig config, MeterRegistry meters) {
        this.redeemedCount = meters.counter("certapi.nonces", "result", "redeemed");
        this.usedNonces = usedNonces;
        this.clock = clock;
        this.config = config;
        this.inMemory = switch (config.nonce().store()) {
            case MEMORY -> true;
            case DATABASE -> false;
            case AUTO -> "h2".equals(ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.datasource.db-kind", String.class).orElse("h2"));
        };
        String secret = inMemory ? Ids.randomBase64Url(32)
                : settings.getOrCreate("nonce-hmac-key", () -> Ids.randomBase64Url(32));
        this.key = new SecretKeySpec(Base64Url.decode(secret).orElseThrow(), "HmacSHA256");
        LOG.debugf("redeemed nonces are kept %s", inMemory ? "in memory" : "in the database");
    }

    /** A fresh nonce. */
    public String issue() {
        ByteBuffer buf = ByteBuffer.allocate(LENGTH);
        byte[] r = new byte[RANDOM_BYTES];
        random.nextBytes(r);
        ByteBuffer.wrap(r).putLong(counter.incrementAndGet());
        long expires = clock.instant().plus(config.nonce().lifetime()).getEpochSecond();
        buf.put(r).putLong(expires);
        buf.put(mac(buf.array(), RANDOM_BYTES + Long.BYTES));
        return Base64Url.encode(buf.array());
    }

    /**
     * Redeems {@code nonce}: it must be one of ours, unexpired and never redeemed before.
     * Throws {@code badNonce} otherwise.
     */
    public void redeem(String nonce) {
        byte[] raw = Base64Url.decode(nonce).orElseThrow(() -> badNonce(
                "the nonce is not base64url without padding"));
        if (raw.length != LENGTH) {
            throw badNonce("the nonce was not issued by this server");
        }
        byte[] expected = mac(raw, RANDOM_BYTES + Long.BYTES);
        byte[] given = Arrays.copyOfRange(raw, RANDOM_BYTES + Long.BYTES, LENGTH);
        if (!MessageDigest.isEqual(expected, given)) {
            throw badNonce("the nonce was not issued by this server");
        }
        Instant expires = Instant.ofEpochSecond(ByteBuffer.wrap(raw, RANDOM_BYTES, Long.BYTES)
                .getLong());
        if (!clock.instant().isBefore(expires)) {
            throw badNonce("the nonce expired at " + expires + "; get a fresh one from newNonce");
        }
        boolean fresh = inMemory ? redeemInMemory(ByteBuffer.wrap(raw).getLong())
                : usedNonces.markUsed(nonce, expires);
        if (!fresh) {
            throw badNonce("the nonce was already used, or is too old to tell; every request"
                    + " needs a fresh one");
        }
        redeemedCount.increment();
    }

    /** Records counter value {@code n} as redeemed; false when it was, or is too old to tell. */
    private boolean redeemInMemory(long n) {
        synchronized (redeemed) {
            if (n <= floor || !redeemed.add(n)) {
                return false;
            }
            if (redeemed.size() > config.nonce().memoryUsed()) {
                floor = redeemed.pollFirst();
            }
            return true;
        }
    }

    /** Hourly: forgets used nonces that have expired anyway. */
    @Scheduled(every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void purge() {
        if (inMemory) {
            return;
        }
        int n = usedNonces.purgeExpired(clock.instant());
        if (n > 0) {
            LOG.debugf("purged %d expired used nonces", n);
        }
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, length);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static AcmeProblem badNonce(String detail) {
        return AcmeProblem.of(ProblemType.BAD_NONCE, detail);
    }
}
