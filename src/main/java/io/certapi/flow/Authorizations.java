package io.certapi.flow;

import io.certapi.config.CertapiConfig;
import io.certapi.core.Identifier;
import io.certapi.core.Ids;
import io.certapi.core.Status;
import io.certapi.policy.IdentifierPolicy;
import io.certapi.store.AuthorizationEntity;
import io.certapi.store.AuthorizationReads;
import io.certapi.store.ChallengeEntity;
import io.certapi.store.OrderStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Creates (or reuses) the authorization of one identifier, with the challenges that fit it:
 * http-01, dns-01 and tls-alpn-01 for a name; dns-01 alone for a wildcard (RFC 8555 §7.1.3);
 * http-01 and tls-alpn-01 for an IP address (RFC 8738 §7).
 */
@ApplicationScoped
public class Authorizations {

    private final CertapiConfig config;
    private final AuthorizationReads reads;

    /** Creates the factory. */
    public Authorizations(CertapiConfig config, AuthorizationReads reads) {
        this.config = config;
        this.reads = reads;
    }

    /** The identifier policy's rules, from configuration. */
    public IdentifierPolicy.Rules rules() {
        var p = config.policy();
        return new IdentifierPolicy.Rules(config.order().maxIdentifiers(),
                p.allowedDomains().orElse(List.of()), p.deniedDomains().orElse(List.of()),
                p.allowedIps().orElse(List.of()), p.deniedIps().orElse(List.of()),
                p.privateNames());
    }

    /** The challenge types offered for {@code id} (an order identifier, wildcard or not). */
    public static List<String> challengeTypes(Identifier id) {
        if (Identifier.IP.equals(id.type())) {
            return List.of("http-01", "tls-alpn-01");
        }
        return IdentifierPolicy.isWildcard(id.value()) ? List.of("dns-01")
                : List.of("http-01", "dns-01", "tls-alpn-01");
    }

    /**
     * The authorization for order identifier {@code id}: a valid one of the same account that
     * outlives {@code mustOutlive} when reuse is on (no challenges: nothing to store), else a
     * new pending one expiring at {@code expires}, with its challenges, for the caller to store
     * ({@link OrderStore}).
     */
    public OrderStore.NewAuthorization forIdentifier(String accountId, Identifier id,
            Instant now, Instant expires, Instant mustOutlive) {
        boolean wildcard = IdentifierPolicy.isWildcard(id.value());
        String value = wildcard ? id.value().substring(2) : id.value();
        if (config.authorization().reuse()) {
            Optional<AuthorizationEntity> reusable = reads.reusable(accountId, id.type(), value,
                    wildcard, mustOutlive);
            if (reusable.isPresent()) {
                return new OrderStore.NewAuthorization(reusable.get(), List.of());
            }
        }
        AuthorizationEntity a = new AuthorizationEntity();
        a.id = Ids.random();
        a.accountId = accountId;
        a.identifierType = id.type();
        a.identifierValue = value;
        a.wildcard = wildcard;
        a.status = Status.PENDING.wire();
        a.createdAt = now;
        a.expiresAt = expires;
        List<ChallengeEntity> challenges = new ArrayList<>();
        for (String type : challengeTypes(id)) {
            ChallengeEntity c = new ChallengeEntity();
            c.id = Ids.random();
            c.authzId = a.id;
            c.type = type;
            c.token = Ids.randomBase64Url(32);
            c.status = Status.PENDING.wire();
            c.attempts = 0;
            challenges.add(c);
        }
        challenges.sort(Comparator.comparing(c -> c.type));
        return new OrderStore.NewAuthorization(a, challenges);
    }
}
