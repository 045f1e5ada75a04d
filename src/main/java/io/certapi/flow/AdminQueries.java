package io.certapi.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certapi.ca.CertificateAuthority;
import io.certapi.core.AcmeProblem;
import io.certapi.core.Identifier;
import io.certapi.store.AccountEntity;
import io.certapi.store.AdminSearch;
import io.certapi.store.AuthorizationEntity;
import io.certapi.store.CertificateEntity;
import io.certapi.store.ChallengeEntity;
import io.certapi.store.OrderEntity;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator reads through the admin API and dashboard: accounts, orders (with their
 * authorizations, challenges and validation transcripts) and certificates, searched and paged,
 * and an overview of what is happening now.
 */
@ApplicationScoped
public class AdminQueries {

    /** The most rows one page holds. */
    public static final int MAX_PAGE = 200;

    private final AdminSearch search;
    private final Clock clock;
    private final ObjectMapper json;
    private final CertificateAuthority ca;

    /** Creates the queries. */
    public AdminQueries(AdminSearch search, Clock clock, ObjectMapper json,
            CertificateAuthority ca) {
        this.search = search;
        this.clock = clock;
        this.json = json;
        this.ca = ca;
    }

    /** A page of results and how many match in all. */
    @RegisterForReflection
    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    /** An account as the operator sees it. */
    @RegisterForReflection
    public record AccountRow(String id, String status, List<String> contacts,
            String keyThumbprint, String eabKeyId, Instant createdAt) {
    }

    /** An account with its latest orders. */
    @RegisterForReflection
    public record AccountDetail(AccountRow account, List<OrderRow> orders) {
    }

    /** An order as listed. */
    @RegisterForReflection
    public record OrderRow(String id, String account, String status, List<String> identifiers,
            String profile, String certificate, Instant createdAt, Instant expiresAt,
            JsonNode error) {
    }

    /** A challenge with its validation transcript. */
    @RegisterForReflection
    public record ChallengeRow(String id, String type, String status, int attempts,
            Instant validatedAt, JsonNode error, JsonNode transcript) {
    }

    /** An authorization with its challenges. */
    @RegisterForReflection
    public record AuthorizationRow(String id, String identifier, boolean wildcard,
            String status, Instant expiresAt, List<ChallengeRow> challenges) {
    }

    /** An order with its authorizations. */
    @RegisterForReflection
    public record OrderDetail(OrderRow order, List<AuthorizationRow> authorizations) {
    }

    /** A certificate as listed. */
    @RegisterForReflection
    public record CertificateRow(String id, String serial, String account, String order,
            List<String> identifiers, String issuer, Instant notBefore, Instant notAfter,
            Instant revokedAt, Integer revocationReason, Instant createdAt) {
    }

    /** What is happening now. */
    @RegisterForReflection
    public record Overview(Map<String, Long> issuedPerHour, Map<String, Long> ordersByStatus,
            List<Failing> failingValidations, List<CertificateAuthority.CaCertificate> ca,
            Instant intermediateRenewalAt, Instant rootRenewalAt) {
    }

    /** A validation failing now, and why. */
    @RegisterForReflection
    public record Failing(String challenge, String authorization, String identifier,
            String type, String status, JsonNode error) {
    }

    /** Accounts, newest first. */
    @Transactional
    public Page<AccountRow> accounts(Optional<String> contact, Optional<String> status,
            Optional<String> thumbprint, int page, int size) {
        var p = search.accounts(contact, status, thumbprint, page, bounded(size));
        return new Page<>(p.items().stream().map(this::row).toList(), page, bounded(size),
                p.total());
    }

    /** One account with its latest 50 orders. */
    @Transactional
    public AccountDetail account(String id) {
        AccountEntity a = AccountEntity.findById(id).orElseThrow(() -> notFound("account", id));
        var orders = search.orders(Optional.empty(), Optional.empty(), Optional.of(id),
                Optional.empty(), Optional.empty(), 0, 50);
        return new AccountDetail(row(a), orders.items().stream().map(this::row).toList());
    }

    /** Orders, newest first. */
    @Transactional
    public Page<OrderRow> orders(Optional<String> status, Optional<String> identifier,
            Optional<String> account, Optional<Instant> since, Optional<Instant> until,
            int page, int size) {
        var p = search.orders(status, identifier, account, since, until, page, bounded(size));
        return new Page<>(p.items().stream().map(this::row).toList(), page, bounded(size),
                p.total());
    }

    /** One order with its authorizations, challenges and validation transcripts. */
    @Transactional
    public OrderDetail order(String id) {
        OrderEntity o = OrderEntity.findById(id).orElseThrow(() -> notFound("order", id));
        List<AuthorizationRow> authzs = o.authorizations.stream().map(a ->
                new AuthorizationRow(a.id, a.identifierType + ":" + a.identifierValue,
                        a.wildcard, a.status, a.expiresAt, ChallengeEntity.findByAuthz(a.id)
                                .stream().map(c -> new ChallengeRow(c.id, c.type, c.status,
                                        c.attempts, c.validatedAt, tree(c.error),
                                        tree(c.validation))).toList())).toList();
        return new OrderDetail(row(o), authzs);
    }

    /** Certificates, newest first. */
    @Transactional
    public Page<CertificateRow> certificates(Optional<String> name, Optional<String> serial,
            Optional<String> account, Optional<Instant> expiresAfter,
            Optional<Instant> expiresBefore, Optional<Boolean> revoked, int page, int size) {
        var p = search.certificates(name, serial, account, expiresAfter, expiresBefore,
                revoked, page, bounded(size));
        // The page's orders in one query, not one per certificate.
        Map<String, OrderEntity> orders = new java.util.HashMap<>();
        List<String> orderIds = p.items().stream().map(c -> c.orderId).distinct().toList();
        if (!orderIds.isEmpty()) {
            OrderEntity.<OrderEntity>list("id in ?1", orderIds).forEach(o -> orders.put(o.id, o));
        }
        return new Page<>(p.items().stream().map(c -> row(c, Optional.ofNullable(
                orders.get(c.orderId)))).toList(), page, bounded(size), p.total());
    }

    /** One certificate. */
    @Transactional
    public CertificateRow certificate(String id) {
        CertificateEntity c = CertificateEntity.findById(id).orElseThrow(() ->
                notFound("certificate", id));
        return row(c, OrderEntity.findById(c.orderId));
    }

    /** One certificate's PEM chain, as issued. */
    @Transactional
    public String certificatePem(String id) {
        return CertificateEntity.findById(id).orElseThrow(() -> notFound("certificate", id))
                .pemChain;
    }

    /** Certificates issued per hour in the last day, orders by status, failing validations. */
    @Transactional
    public Overview overview() {
        Instant now = clock.instant();
        Map<String, Long> perHour = new java.util.LinkedHashMap<>();
        Map<Long, Long> counted = search.issuedPerHour(now.minus(Duration.ofHours(24)));
        long hour = now.getEpochSecond() / 3600;
        for (long h = hour - 23; h <= hour; h++) {
            perHour.put(Instant.ofEpochSecond(h * 3600).toString(), counted.getOrDefault(h, 0L));
        }
        List<Failing> failing = search.failingChallenges(now.minus(Duration.ofHours(24)), 20)
                .stream().map(c -> {
                    AuthorizationEntity a = AuthorizationEntity.findById(c.authzId)
                            .orElse(null);
                    return new Failing(c.id, c.authzId, a == null ? "?"
                            : a.identifierType + ":" + a.identifierValue, c.type, c.status,
                            tree(c.error));
                }).toList();
        return new Overview(perHour, OrderEntity.countByStatus(), failing, ca.hierarchy(),
                ca.intermediateRenewalAt(), ca.rootRenewalAt());
    }

    private AccountRow row(AccountEntity a) {
        return new AccountRow(a.id, a.status, strings(a.contacts), a.keyThumbprint, a.eabKeyId,
                a.createdAt);
    }

    private OrderRow row(OrderEntity o) {
        return new OrderRow(o.id, o.accountId, o.status, FlowJson.identifiers(o.identifiers)
                .stream().map(AdminQueries::text).toList(), o.profile, o.certificateId,
                o.createdAt, o.expiresAt, tree(o.error));
    }

    private CertificateRow row(CertificateEntity c, Optional<OrderEntity> order) {
        List<String> names = order.map(o -> FlowJson.identifiers(o.identifiers).stream()
                .map(AdminQueries::text).toList()).orElse(List.of());
        return new CertificateRow(c.id, c.serial, c.accountId, c.orderId, names, c.issuerId,
                c.notBefore, c.notAfter, c.revokedAt, c.revocationReason, c.createdAt);
    }

    private static String text(Identifier i) {
        return i.type() + ":" + i.value();
    }

    private List<String> strings(String jsonArray) {
        try {
            return List.of(json.readValue(jsonArray, String[].class));
        } catch (Exception e) {
            return List.of();
        }
    }

    private JsonNode tree(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readTree(stored);
        } catch (Exception e) {
            return json.getNodeFactory().textNode(stored);
        }
    }

    private static int bounded(int size) {
        return Math.max(1, Math.min(MAX_PAGE, size));
    }

    private static AcmeProblem notFound(String what, String id) {
        return AcmeProblem.malformed("no " + what + " " + io.certapi.core.Texts.clip(id))
                .withStatus(404);
    }
}
