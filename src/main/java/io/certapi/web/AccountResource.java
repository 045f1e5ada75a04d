package io.certapi.web;

import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import io.certapi.flow.AccountFlow;
import io.certapi.flow.Views.OrdersPage;
import io.certapi.jws.ExternalBinding;
import io.certapi.jws.KeyMode;
import io.certapi.jws.StrictJson;
import io.certapi.jws.Thumbprints;
import io.certapi.jws.VerifiedRequest;
import io.certapi.web.json.Payloads;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/** newAccount, the account resource, its orders list and keyChange (RFC 8555 §7.3). */
@Tag(name = "ACME accounts", description = "Accounts, orders lists and key rollover")
@Path("/acme")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AcmeRequests requests;
    private final LinksFactory links;
    private final AccountFlow accounts;

    /** Creates the resource. */
    public AccountResource(AcmeRequests requests, LinksFactory links, AccountFlow accounts) {
        this.requests = requests;
        this.links = links;
        this.accounts = accounts;
    }

    /** newAccount: 201 with Location when created, 200 with Location when it existed. */
    @Operation(summary = "Create or find an account (RFC 8555 §7.3); JWS signed with jwk")
    @POST
    @Path("/new-account")
    public Response newAccount(byte[] body, @Context HttpHeaders headers, @Context UriInfo uri,
            @Context io.vertx.core.http.HttpServerRequest http) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.JWK);
        Payloads.NewAccount p = AcmeRequests.payload(r, Payloads.NewAccount.class, "newAccount");
        var reg = accounts.register(new AccountFlow.NewAccount(r.thumbprint(),
                r.jwk().toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY),
                p.contact() == null ? List.of() : p.contact(),
                Optional.ofNullable(p.termsOfServiceAgreed()),
                Boolean.TRUE.equals(p.onlyReturnExisting()),
                Optional.ofNullable(p.externalAccountBinding()).map(eab -> {
                    ExternalBinding b = requests.gate().externalBinding(eab, r.url(), r.jwk());
                    return new AccountFlow.Binding(b.keyId(), b::verifies);
                }), http.remoteAddress().hostAddress()));
        Links l = links.of(uri);
        return Response.status(reg.created() ? 201 : 200)
                .header("Location", l.account(reg.account().id()))
                .entity(Render.account(reg.account(), l)).build();
    }

    /** The account: POST-as-GET, contact update, or deactivation (RFC 8555 §7.3.2, §7.3.6). */
    @Operation(summary = "Fetch (POST-as-GET), update or deactivate an account (RFC 8555 §7.3.2, §7.3.6)")
    @POST
    @Path("/account/{id}")
    public Response account(@PathParam("id") String id, byte[] body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.KID);
        requireOwn(r, id);
        Links l = links.of(uri);
        var view = r.isPostAsGet() ? accounts.get(id) : update(id, r);
        return Response.ok(Render.account(view, l)).header("Location", l.account(id)).build();
    }

    private io.certapi.flow.Views.AccountView update(String id, VerifiedRequest r) {
        Payloads.AccountUpdate p = AcmeRequests.payload(r, Payloads.AccountUpdate.class,
                "account update");
        return accounts.update(id, Optional.ofNullable(p.contact()),
                Optional.ofNullable(p.status()));
    }

    /** The account's orders (RFC 8555 §7.1.2.1), paged with Link rel="next". */
    @Operation(summary = "An account's orders, paged with Link rel=next (RFC 8555 §7.1.2.1)")
    @POST
    @Path("/account/{id}/orders")
    public Response orders(@PathParam("id") String id, @QueryParam("page") String page,
            byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.KID);
        requireOwn(r, id);
        AcmeRequests.requirePostAsGet(r, "the orders list");
        int n = parsePage(page);
        OrdersPage result = accounts.orders(id, n);
        Links l = links.of(uri);
        Response.ResponseBuilder resp = Response.ok(Map.of("orders",
                result.orderIds().stream().map(l::order).toList()));
        if (result.hasMore()) {
            resp.header("Link", "<" + l.orders(id, n + 1) + ">;rel=\"next\"");
        }
        return resp.build();
    }

    /**
     * keyChange (RFC 8555 §7.3.5). The outer JWS is checked by the gate (signed by the account's
     * current key); the inner one by {@code verifyInner} (flattened, signed by the new key it
     * carries, same url, no nonce); then the payload's account must be the outer kid and its
     * oldKey the current key; a new key already in use answers 409 with that account's URL.
     */
    @Operation(summary = "Roll the account key over (RFC 8555 §7.3.5)")
    @POST
    @Path("/key-change")
    public Response keyChange(byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        VerifiedRequest outer = requests.verify(body, headers, uri, KeyMode.KID);
        String accountId = AcmeRequests.account(outer);
        if (outer.isPostAsGet()) {
            throw AcmeProblem.malformed("keyChange needs the inner JWS as its payload");
        }
        VerifiedRequest inner = requests.gate().verifyInner(outer.payload(), outer.url());
        Payloads.KeyChange p = StrictJson.convert(inner.payload(), Payloads.KeyChange.class,
                "keyChange inner payload");
        Links l = links.of(uri);
        if (p.account() == null || !p.account().equals(l.account(accountId))) {
            throw AcmeProblem.malformed("the inner payload's account must be the outer JWS kid "
                    + l.account(accountId) + " (RFC 8555 §7.3.5)");
        }
        var result = accounts.changeKey(accountId, thumbprintOf(p.oldKey()),
                inner.thumbprint(), inner.jwk().toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        if (result.conflictingAccount().isPresent()) {
            throw AcmeProblem.malformed("the new key already belongs to an account")
                    .withStatus(409).withLocation(l.account(result.conflictingAccount().get()));
        }
        return Response.ok(Render.account(result.account().orElseThrow(), l))
                .header("Location", l.account(accountId)).build();
    }

    private static String thumbprintOf(com.fasterxml.jackson.databind.JsonNode oldKey) {
        if (oldKey == null || !oldKey.isObject()) {
            throw AcmeProblem.malformed("the inner payload needs oldKey, the current key as a JWK");
        }
        try {
            JsonWebKey jwk = JsonWebKey.Factory.newJwk(oldKey.toString());
            if (!(jwk instanceof PublicJsonWebKey)) {
                throw AcmeProblem.malformed("oldKey is not a public key");
            }
            return Thumbprints.of(jwk);
        } catch (JoseException | RuntimeException e) {
            if (e instanceof AcmeProblem p) {
                throw p;
            }
            throw AcmeProblem.malformed("oldKey is not a usable JWK");
        }
    }

    private static void requireOwn(VerifiedRequest r, String id) {
        if (!AcmeRequests.account(r).equals(id)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the request is signed by another"
                    + " account than the one at this URL");
        }
    }

    private static int parsePage(String page) {
        if (page == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(page);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw AcmeProblem.malformed("page must be a non-negative number");
        }
    }
}
