package io.certapi.store;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's searches over accounts, orders and certificates: each filter optional, the
 * newest first, one page at a time with the total count. Call within a transaction.
 */
@ApplicationScoped
public class AdminSearch {

    /**
     * One page of results.
     *
     * @param items the page
     * @param total how many match in all
     */
    public record Page<T>(List<T> items, long total) {
    }

    /** Accounts by contact (substring), status and key thumbprint. */
    public Page<AccountEntity> accounts(Optional<String> contact, Optional<String> status,
            Optional<String> thumbprint, int page, int size) {
        Where w = new Where();
        contact.ifPresent(c -> w.add("lower(contacts) like :contact", "contact",
                "%" + c.toLowerCase(java.util.Locale.ROOT) + "%"));
        status.ifPresent(s -> w.add("status = :status", "status", s));
        thumbprint.ifPresent(t -> w.add("keyThumbprint = :thumbprint", "thumbprint", t));
        return page(AccountEntity.find(w.query(), Sort.descending("createdAt"), w.params), page,
                size);
    }

    /** Orders by stored status, identifier (substring), account and creation time. */
    public Page<OrderEntity> orders(Optional<String> status, Optional<String> identifier,
            Optional<String> account, Optional<Instant> since, Optional<Instant> until,
            int page, int size) {
        Where w = new Where();
        status.ifPresent(s -> w.add("status = :status", "status", s));
        identifier.ifPresent(i -> w.add("lower(identifiers) like :identifier", "identifier",
                "%" + i.toLowerCase(java.util.Locale.ROOT) + "%"));
        account.ifPresent(a -> w.add("accountId = :account", "account", a));
        since.ifPresent(s -> w.add("createdAt >= :since", "since", s));
        until.ifPresent(u -> w.add("createdAt < :until", "until", u));
        return page(OrderEntity.find(w.query(), Sort.descending("createdAt"), w.params), page,
                size);
    }

    /**
     * Certificates by name (substring of an identifier of their order), serial (hex, any
     * case), account, expiry window and revocation.
     */
    public Page<CertificateEntity> certificates(Optional<String> name, Optional<String> serial,
            Optional<String> account, Optional<Instant> expiresAfter,
            Optional<Instant> expiresBefore, Optional<Boolean> revoked, int page, int size) {
        Where w = new Where();
        name.ifPresent(n -> w.add("orderId in (select o.id from OrderEntity o where"
                + " lower(o.identifiers) like :name)", "name",
                "%" + n.toLowerCase(java.util.Locale.ROOT) + "%"));
        serial.ifPresent(s -> w.add("lower(serial) = :serial", "serial",
                s.toLowerCase(java.util.Locale.ROOT).replace(":", "")));
        account.ifPresent(a -> w.add("accountId = :account", "account", a));
        expiresAfter.ifPresent(t -> w.add("notAfter >= :after", "after", t));
        expiresBefore.ifPresent(t -> w.add("notAfter < :before", "before", t));
        revoked.ifPresent(r -> w.add(r ? "revokedAt is not null" : "revokedAt is null"));
        return page(CertificateEntity.find(w.query(), Sort.descending("createdAt"), w.params),
                page, size);
    }

    /** Certificates issued since {@code since}, by hour (epoch hour to count). */
    public Map<Long, Long> issuedPerHour(Instant since) {
        Map<Long, Long> out = new java.util.TreeMap<>();
        CertificateEntity.<CertificateEntity>find("createdAt >= ?1", since).stream()
                .forEach(c -> out.merge(c.createdAt.getEpochSecond() / 3600, 1L, Long::sum));
        return out;
    }

    /**
     * Challenges failing now: invalid, or processing with an error (a retry is due), of
     * authorizations created since {@code since}.
     */
    public List<ChallengeEntity> failingChallenges(Instant since, int limit) {
        return ChallengeEntity.<ChallengeEntity>find("error is not null and status in"
                + " ('invalid', 'processing') and authzId in (select a.id from"
                + " AuthorizationEntity a where a.createdAt >= ?1)", since)
                .page(0, limit).list();
    }

    private static <T> Page<T> page(PanacheQuery<T> q, int page, int size) {
        return new Page<>(q.page(page, size).list(), q.count());
    }

    /** A where clause built from the filters given. */
    private static final class Where {
        private final List<String> parts = new ArrayList<>();
        private final Map<String, Object> params = new HashMap<>();

        void add(String clause, String name, Object value) {
            parts.add(clause);
            params.put(name, value);
        }

        void add(String clause) {
            parts.add(clause);
        }

        String query() {
            return parts.isEmpty() ? "1 = 1" : String.join(" and ", parts);
        }
    }
}
