package io.certapi.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certapi.core.Identifier;
import io.certapi.flow.Views.AccountView;
import io.certapi.flow.Views.AuthorizationView;
import io.certapi.flow.Views.ChallengeView;
import io.certapi.flow.Views.OrderView;
import io.certapi.web.json.AccountJson;
import io.certapi.web.json.AuthorizationJson;
import io.certapi.web.json.ChallengeJson;
import io.certapi.web.json.IdentifierJson;
import io.certapi.web.json.OrderJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Turns flow views into wire records, with URLs from {@link Links}. */
final class Render {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Render() {
    }

    static AccountJson account(AccountView a, Links links) {
        return new AccountJson(a.status().wire(), a.contacts(), a.termsAgreed(),
                links.orders(a.id()), time(a.createdAt()));
    }

    static OrderJson order(OrderView o, Links links) {
        return new OrderJson(o.status().wire(), time(o.expires()),
                o.identifiers().stream().map(Render::identifier).toList(),
                // As the client asked them, to the fraction of a second: never altered silently.
                o.notBefore().map(Instant::toString).orElse(null),
                o.notAfter().map(Instant::toString).orElse(null),
                o.errorJson().map(Render::json).orElse(null),
                o.authzIds().stream().map(links::authorization).toList(),
                links.finalizeUrl(o.id()),
                o.certificateId().map(links::certificate).orElse(null),
                o.profile().orElse(null), o.replaces().orElse(null));
    }

    static AuthorizationJson authorization(AuthorizationView a, Links links) {
        return new AuthorizationJson(identifier(a.identifier()), a.status().wire(),
                time(a.expires()),
                a.challenges().stream().map(c -> challenge(c, links)).toList(),
                a.wildcard() ? Boolean.TRUE : null);
    }

    static ChallengeJson challenge(ChallengeView c, Links links) {
        return new ChallengeJson(c.type(), links.challenge(c.id()), c.status().wire(), c.token(),
                c.validated().map(Render::time).orElse(null),
                c.errorJson().map(Render::json).orElse(null),
                c.validationJson().map(Render::json).orElse(null));
    }

    static IdentifierJson identifier(Identifier id) {
        return new IdentifierJson(id.type(), id.value());
    }

    /** RFC 3339 with second precision. */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static JsonNode json(String stored) {
        try {
            return MAPPER.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt stored JSON", e);
        }
    }
}
