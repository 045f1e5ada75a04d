package io.certapi.flow;

import com.google.common.net.InternetDomainName;
import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Identifier;
import io.certapi.core.IpAddresses;
import io.certapi.core.ProblemType;
import io.certapi.store.RateLimitStore;
import io.certapi.store.RateOverrideEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rate limits as Boulder has them, each a token bucket in the database ({@link RateLimitStore})
 * so that every instance counts against the same one: new accounts per source address, new
 * orders per account, certificates per registered domain, failed validations per account and
 * name, pending authorizations per account, and a ceiling on the whole CA's issuance. A refusal
 * is {@code rateLimited} (429) with a Retry-After and the limit's name in the detail. An
 * operator may give an account its own value of any per-account limit (admin API).
 */
@ApplicationScoped
public class RateLimits {

    /** The limits, by the name configuration, details and the admin API use. */
    public enum Limit {
        /** New accounts per source address. */
        NEW_ACCOUNTS_PER_IP("new-accounts-per-ip", false),
        /** New orders per account. */
        NEW_ORDERS_PER_ACCOUNT("new-orders-per-account", true),
        /** Certificates per registered domain. */
        CERTIFICATES_PER_DOMAIN("certificates-per-domain", true),
        /** Failed validations per account and name. */
        FAILED_VALIDATIONS_PER_NAME("failed-validations-per-name", true),
        /** Pending authorizations per account. */
        PENDING_AUTHORIZATIONS_PER_ACCOUNT("pending-authorizations-per-account", true),
        /** Certificates issued by the whole CA. */
        ISSUANCE("issuance", false);

        private final String wire;
        private final boolean perAccount;

        Limit(String wire, boolean perAccount) {
            this.wire = wire;
            this.perAccount = perAccount;
        }

        /** The limit's name. */
        public String wire() {
            return wire;
        }

        /** Whether an operator may set it per account. */
        public boolean perAccount() {
            return perAccount;
        }

        /** The limit of this name. */
        public static Optional<Limit> of(String wire) {
            return Arrays.stream(values()).filter(l -> l.wire.equals(wire)).findFirst();
        }
    }

    /**
     * A limit's value: {@code count} at once, refilled at {@code count} per {@code period}
     * (empty period: a plain count, for pending authorizations); count 0 is off.
     */
    public record Rate(int count, Optional<Duration> period) {

        /** Off. */
        public static final Rate OFF = new Rate(0, Optional.empty());

        /** Parses "100/1h", "1000" or "off"; {@code key} names the setting in errors. */
        public static Rate parse(String text, String key, boolean needsPeriod) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("off") || t.equals("0")) {
                return OFF;
            }
            String[] parts = t.split("/", -1);
            try {
                int count = Integer.parseInt(parts[0].trim());
                if (count < 0 || parts.length > 2 || (parts.length == 2) != needsPeriod) {
                    throw new IllegalArgumentException();
                }
                Optional<Duration> period = parts.length == 2
                        ? Optional.of(DurationConverter.parseDuration(parts[1].trim()))
                        : Optional.empty();
                if (period.isPresent() && (period.get().isNegative() || period.get().isZero())) {
                    throw new IllegalArgumentException();
                }
                return count == 0 ? OFF : new Rate(count, period);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(key + " must be " + (needsPeriod
                        ? "<count>/<period> (such as 100/1h)" : "a count (such as 1000)")
                        + " or off; got \"" + text + "\"");
            }
        }

        /** Whether the limit applies. */
        public boolean on() {
            return count > 0;
        }

        /** As configured. */
        public String text() {
            return !on() ? "off" : count + period.map(p -> "/" + human(p)).orElse("");
        }
    }

    private final RateLimitStore store;
    private final Clock clock;
    private final boolean enabled;
    private final Map<Limit, Rate> configured = new EnumMap<>(Limit.class);
    /**
     * Accounts' own values: an operator's change is seen at once here and within this long by
     * other instances.
     */
    private static final Duration OVERRIDES_FRESH = Duration.ofSeconds(10);
    private final Map<String, Cached> overrideCache =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Reads and checks the configured limits. */
    public RateLimits(RateLimitStore store, Clock clock, CertapiConfig config) {
        this.store = store;
        this.clock = clock;
        CertapiConfig.RateLimits c = config.rateLimits();
        this.enabled = c.enabled();
        put(Limit.NEW_ACCOUNTS_PER_IP, c.newAccountsPerIp());
        put(Limit.NEW_ORDERS_PER_ACCOUNT, c.newOrdersPerAccount());
        put(Limit.CERTIFICATES_PER_DOMAIN, c.certificatesPerDomain());
        put(Limit.FAILED_VALIDATIONS_PER_NAME, c.failedValidationsPerName());
        put(Limit.PENDING_AUTHORIZATIONS_PER_ACCOUNT, c.pendingAuthorizationsPerAccount());
        put(Limit.ISSUANCE, c.issuance());
    }

    private void put(Limit limit, String text) {
        configured.put(limit, Rate.parse(text, "certapi.rate-limits." + limit.wire(),
                limit != Limit.PENDING_AUTHORIZATIONS_PER_ACCOUNT));
    }

    /** newAccount from {@code source}: a token of new-accounts-per-ip. */
    public void newAccount(String source) {
        RateLimitStore.Bucket b = bucket(Limit.NEW_ACCOUNTS_PER_IP,
                configured(Limit.NEW_ACCOUNTS_PER_IP), sourceKey(source));
        if (b != null) {
            take(List.of(b), "from " + sourceKey(source));
        }
    }

    /**
     * newOrder's limits for this account and order: a token of new-orders-per-account; no name
     * that has failed validation too often lately; room for {@code newAuthorizations} more
     * pending authorizations. Empty when rate limits are off. The order's transaction counts
     * them ({@code OrderStore}); {@link #check(RateLimitStore.OrderLimits,
     * RateLimitStore.Admission)} then says why one refused it.
     */
    public Optional<RateLimitStore.OrderLimits> newOrder(String accountId,
            List<Identifier> identifiers, int newAuthorizations) {
        if (!enabled) {
            return Optional.empty();
        }
        Rate failures = effective(accountId, Limit.FAILED_VALIDATIONS_PER_NAME);
        List<RateLimitStore.Bucket> names = new ArrayList<>();
        if (failures.on()) {
            for (Identifier id : identifiers) {
                names.add(bucket(Limit.FAILED_VALIDATIONS_PER_NAME, failures,
                        accountId + ":" + name(id)));
            }
        }
        Rate pending = effective(accountId, Limit.PENDING_AUTHORIZATIONS_PER_ACCOUNT);
        Rate orders = effective(accountId, Limit.NEW_ORDERS_PER_ACCOUNT);
        return Optional.of(new RateLimitStore.OrderLimits(names, accountId, pending.count(),
                newAuthorizations, bucket(Limit.NEW_ORDERS_PER_ACCOUNT, orders, accountId)));
    }

    /** Throws the rateLimited problem of a newOrder that {@code limits} refused. */
    public void check(RateLimitStore.OrderLimits limits, RateLimitStore.Admission a) {
        a.failedName().ifPresent(s -> {
            String prefix = Limit.FAILED_VALIDATIONS_PER_NAME.wire() + ":" + limits.accountId()
                    + ":";
            throw refusal(Limit.FAILED_VALIDATIONS_PER_NAME, rate(s.bucket()), "for "
                    + s.bucket().key().substring(prefix.length())
                    + " (validations of it failed too often)", s.retryAfter());
        });
        if (a.pendingTooMany()) {
            throw refusal(Limit.PENDING_AUTHORIZATIONS_PER_ACCOUNT,
                    new Rate(limits.pendingLimit(), Optional.empty()),
                    "(the account holds " + a.pendingHeld() + " pending authorizations and this"
                            + " order needs " + limits.newAuthorizations() + " more; finish or"
                            + " deactivate some first)", Duration.ofMinutes(1));
        }
        a.orders().ifPresent(s -> {
            throw refusal(Limit.NEW_ORDERS_PER_ACCOUNT, rate(s.bucket()), "for this account",
                    s.retryAfter());
        });
    }

    /**
     * finalize's buckets: a token of certificates-per-domain for each registered domain of the
     * order, and one of the CA's issuance ceiling, all or none. Empty when none applies. The
     * finalize transaction counts them; {@link #check(Optional)} says why one refused it.
     */
    public List<RateLimitStore.Bucket> finalizeOrder(String accountId,
            List<Identifier> identifiers) {
        if (!enabled) {
            return List.of();
        }
        List<RateLimitStore.Bucket> buckets = new ArrayList<>();
        Rate perDomain = effective(accountId, Limit.CERTIFICATES_PER_DOMAIN);
        if (perDomain.on()) {
            // An account with its own value counts apart from everyone else.
            String suffix = configured(Limit.CERTIFICATES_PER_DOMAIN).equals(perDomain) ? ""
                    : ":" + accountId;
            for (String domain : registeredDomains(identifiers)) {
                buckets.add(bucket(Limit.CERTIFICATES_PER_DOMAIN, perDomain, domain + suffix));
            }
        }
        Rate ceiling = configured(Limit.ISSUANCE);
        if (ceiling.on()) {
            buckets.add(bucket(Limit.ISSUANCE, ceiling, "ca"));
        }
        return buckets;
    }

    /** Throws the rateLimited problem of a full bucket of {@link #finalizeOrder}, if any. */
    public void check(Optional<RateLimitStore.Shortfall> full) {
        full.ifPresent(s -> {
            throw refusal(s, null);
        });
    }

    /** A validation of {@code id} failed for good: a token of failed-validations-per-name. */
    public void validationFailed(String accountId, Identifier id) {
        Rate failures = effective(accountId, Limit.FAILED_VALIDATIONS_PER_NAME);
        if (enabled && failures.on()) {
            store.spend(bucket(Limit.FAILED_VALIDATIONS_PER_NAME, failures,
                    accountId + ":" + name(id)), clock.instant());
        }
    }

    /** Deletes up to {@code limit} buckets that have been full for a while; returns how many. */
    public int purgeIdle(int limit) {
        Duration longest = configured.values().stream().flatMap(r -> r.period().stream())
                .max(Duration::compareTo).orElse(Duration.ofDays(1));
        return store.purgeIdle(clock.instant().minus(longest.plus(Duration.ofDays(1))), limit);
    }

    /** Every limit as it applies to the account: its own value or the configured one. */
    public Map<Limit, Effective> forAccount(String accountId) {
        Map<Limit, Effective> out = new EnumMap<>(Limit.class);
        overrideCache.remove(accountId);
        Map<String, String> own = overrides(accountId);
        for (Limit l : Limit.values()) {
            String o = own.get(l.wire());
            out.put(l, o == null ? new Effective(configured(l), false)
                    : new Effective(parse(l, o), true));
        }
        return out;
    }

    /**
     * A limit's value for one account.
     *
     * @param rate       the value
     * @param overridden whether it is the account's own
     */
    public record Effective(Rate rate, boolean overridden) {
    }

    /** Gives the account its own value of a per-account limit. */
    public void override(String accountId, String limitName, String rate) {
        Limit l = perAccountLimit(limitName);
        Rate parsed;
        try {
            parsed = parse(l, rate);
        } catch (IllegalArgumentException e) {
            throw AcmeProblem.malformed(e.getMessage());
        }
        QuarkusTransaction.requiringNew().run(() -> {
            RateOverrideEntity o = RateOverrideEntity.find(accountId, l.wire()).orElseGet(() -> {
                RateOverrideEntity n = new RateOverrideEntity();
                n.key = RateOverrideEntity.keyOf(accountId, l.wire());
                n.accountId = accountId;
                n.limitName = l.wire();
                return n;
            });
            o.rate = parsed.text();
            o.persist();
        });
        overrideCache.remove(accountId);
    }

    /** Removes the account's own value of a limit; returns whether it had one. */
    public boolean clearOverride(String accountId, String limitName) {
        Limit l = perAccountLimit(limitName);
        boolean had = QuarkusTransaction.requiringNew().call(() -> RateOverrideEntity.deleteById(
                RateOverrideEntity.keyOf(accountId, l.wire())));
        overrideCache.remove(accountId);
        return had;
    }

    private static Limit perAccountLimit(String name) {
        Limit l = Limit.of(name).orElseThrow(() -> AcmeProblem.of(ProblemType.MALFORMED,
                "no rate limit is called \"" + io.certapi.core.Texts.clip(name) + "\"; they are "
                        + Arrays.stream(Limit.values()).map(Limit::wire).toList())
                .withStatus(404));
        if (!l.perAccount()) {
            throw AcmeProblem.malformed("the limit " + name + " is not per account");
        }
        return l;
    }

    private Rate effective(String accountId, Limit limit) {
        Rate base = configured(limit);
        if (!limit.perAccount()) {
            return base;
        }
        String own = overrides(accountId).get(limit.wire());
        return own == null ? base : parse(limit, own);
    }

    /** An account's own values, read at most every OVERRIDES_FRESH from the database. */
    private Map<String, String> overrides(String accountId) {
        Instant now = clock.instant();
        Cached c = overrideCache.get(accountId);
        if (c != null && now.isBefore(c.until())) {
            return c.values();
        }
        Map<String, String> values = QuarkusTransaction.requiringNew().call(() -> {
            Map<String, String> m = new java.util.HashMap<>();
            RateOverrideEntity.ofAccount(accountId).forEach(o -> m.put(o.limitName, o.rate));
            return Map.copyOf(m);
        });
        if (overrideCache.size() > 10_000) {
            overrideCache.clear();
        }
        overrideCache.put(accountId, new Cached(values, now.plus(OVERRIDES_FRESH)));
        return values;
    }

    private record Cached(Map<String, String> values, Instant until) {
    }

    private static Rate parse(Limit limit, String text) {
        return Rate.parse(text, limit.wire(), limit != Limit.PENDING_AUTHORIZATIONS_PER_ACCOUNT);
    }

    private Rate configured(Limit limit) {
        return configured.get(limit);
    }

    private void take(List<RateLimitStore.Bucket> buckets, String subject) {
        if (!enabled || buckets.isEmpty()) {
            return;
        }
        store.take(buckets, clock.instant()).ifPresent(s -> {
            throw refusal(s, subject);
        });
    }

    /** The problem of a full bucket, about {@code subject} (null: the bucket's own). */
    private static AcmeProblem refusal(RateLimitStore.Shortfall s, String subject) {
        Limit limit = Limit.of(s.bucket().key().substring(0, s.bucket().key().indexOf(':')))
                .orElseThrow();
        String what = subject != null ? subject : limit == Limit.ISSUANCE
                ? "for the whole CA" : "for " + s.bucket().key().substring(
                        s.bucket().key().indexOf(':') + 1).split(":")[0];
        return refusal(limit, rate(s.bucket()), what, s.retryAfter());
    }

    private static Rate rate(RateLimitStore.Bucket b) {
        return new Rate(b.capacity(), Optional.of(b.period()));
    }

    /** The bucket of a limit for a subject; null when the limit is off. */
    private static RateLimitStore.Bucket bucket(Limit limit, Rate rate, String subject) {
        if (!rate.on()) {
            return null;
        }
        return new RateLimitStore.Bucket(limit.wire() + ":" + subject, rate.count(),
                rate.period().orElseThrow());
    }

    private static AcmeProblem refusal(Limit limit, Rate rate, String what, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return AcmeProblem.of(ProblemType.RATE_LIMITED, "rate limit " + limit.wire() + " ("
                + rate.text() + ") reached " + what + "; retry after " + seconds + " s")
                .withRetryAfter(Duration.ofSeconds(seconds));
    }

    /** The name a failed validation counts against: wildcards count with their base. */
    private static String name(Identifier id) {
        String v = id.value().toLowerCase(Locale.ROOT);
        return v.startsWith("*.") ? v.substring(2) : v;
    }

    /**
     * The registered domains of the order's names: the name under its public suffix, or for
     * a name outside the public DNS its last two labels; an IP address counts as itself (an
     * IPv6 address by its /64).
     */
    static Set<String> registeredDomains(List<Identifier> identifiers) {
        Set<String> out = new LinkedHashSet<>();
        for (Identifier id : identifiers) {
            if (Identifier.IP.equals(id.type())) {
                out.add(sourceKey(id.value()));
                continue;
            }
            String base = name(id);
            String domain;
            try {
                InternetDomainName d = InternetDomainName.from(base);
                domain = d.isUnderRegistrySuffix() ? d.topDomainUnderRegistrySuffix().toString()
                        : lastLabels(base, 2);
            } catch (IllegalArgumentException | IllegalStateException e) {
                domain = lastLabels(base, 2);
            }
            out.add(domain);
        }
        return out;
    }

    private static String lastLabels(String name, int n) {
        String[] labels = name.split("\\.");
        int from = Math.max(0, labels.length - n);
        return String.join(".", Arrays.copyOfRange(labels, from, labels.length));
    }

    /** A source address as limits count it: IPv4 as is, IPv6 by its /64. */
    static String sourceKey(String address) {
        Optional<InetAddress> a = IpAddresses.parse(address);
        if (a.isPresent() && a.get() instanceof Inet6Address v6) {
            byte[] b = Arrays.copyOf(v6.getAddress(), 16);
            Arrays.fill(b, 8, 16, (byte) 0);
            try {
                return IpAddresses.canonical(InetAddress.getByAddress(b)) + "/64";
            } catch (java.net.UnknownHostException e) {
                return address;
            }
        }
        return a.map(IpAddresses::canonical).orElse(address);
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
