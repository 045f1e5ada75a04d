package io.certapi.web;

import io.certapi.core.AcmeProblem;
import io.certapi.core.Identifier;
import io.certapi.flow.AuthorizationFlow;
import io.certapi.flow.Views.AuthorizationView;
import io.certapi.flow.Views.ChallengeView;
import io.certapi.jws.KeyMode;
import io.certapi.jws.VerifiedRequest;
import io.certapi.web.json.Payloads;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import io.smallrye.common.annotation.Blocking;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Authorizations and challenges (RFC 8555 §7.5). */
@Tag(name = "ACME authorizations", description = "Authorizations and challenges")
@Path("/acme")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class AuthorizationResource {

    private final AcmeRequests requests;
    private final LinksFactory links;
    private final AuthorizationFlow authorizations;

    /** Creates the resource. */
    public AuthorizationResource(AcmeRequests requests, LinksFactory links,
            AuthorizationFlow authorizations) {
        this.requests = requests;
        this.links = links;
        this.authorizations = authorizations;
    }

    /** newAuthz (§7.4.1): 201 with the new authorization's Location. */
    @Operation(summary = "Pre-authorize an identifier (RFC 8555 §7.4.1)")
    @POST
    @Path("/new-authz")
    public Response newAuthz(byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.KID);
        Payloads.NewAuthz p = AcmeRequests.payload(r, Payloads.NewAuthz.class, "newAuthz");
        if (p.identifier() == null) {
            throw AcmeProblem.malformed("newAuthz needs an \"identifier\"");
        }
        AuthorizationView a = authorizations.preAuthorize(AcmeRequests.account(r),
                new Identifier(String.valueOf(p.identifier().type()),
                        String.valueOf(p.identifier().value())));
        Links l = links.of(uri);
        return Response.status(201).header("Location", l.authorization(a.id()))
                .entity(Render.authorization(a, l)).build();
    }

    /** The authorization (POST-as-GET), or its deactivation (§7.5.2). */
    @Operation(summary = "Fetch (POST-as-GET) or deactivate an authorization (RFC 8555 §7.5)")
    @POST
    @Path("/authz/{id}")
    @Blocking
    public CompletionStage<Response> authorization(@PathParam("id") String id, byte[] body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.KID);
        String account = AcmeRequests.account(r);
        Links l = links.of(uri);
        CompletionStage<AuthorizationView> a;
        if (r.isPostAsGet()) {
            a = authorizations.getSettled(account, id);
        } else {
            Payloads.AuthorizationUpdate p = AcmeRequests.payload(r,
                    Payloads.AuthorizationUpdate.class, "authorization update");
            if (!"deactivated".equals(p.status())) {
                throw AcmeProblem.malformed("an authorization can only be updated to"
                        + " {\"status\": \"deactivated\"}");
            }
            a = CompletableFuture.completedFuture(authorizations.deactivate(account, id));
        }
        return a.thenApply(v -> {
            Response.ResponseBuilder resp = Response.ok(Render.authorization(v, l));
            v.retryAfter().ifPresent(d -> resp.header("Retry-After", d.toSeconds()));
            return resp.build();
        });
    }

    /**
     * The challenge (POST-as-GET), or the client's answer to it (§7.5.1). An answer whose first
     * validation attempt is done within {@code certapi.work.max-wait} comes back valid or
     * invalid; otherwise processing, with a Retry-After.
     */
    @Operation(summary = "Fetch a challenge (POST-as-GET), or answer it with {} (RFC 8555"
            + " §7.5.1): the outcome of its first attempt when that is quick")
    @POST
    @Path("/chall/{id}")
    @Blocking
    public CompletionStage<Response> challenge(@PathParam("id") String id, byte[] body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.KID);
        String account = AcmeRequests.account(r);
        Links l = links.of(uri);
        CompletionStage<ChallengeView> c = r.isPostAsGet()
                ? authorizations.challengeSettled(account, id)
                : authorizations.answer(account, id);
        return c.thenApply(v -> {
            Response.ResponseBuilder resp = Response.ok(Render.challenge(v, l))
                    .header("Link", "<" + l.authorization(v.authzId()) + ">;rel=\"up\"");
            v.retryAfter().ifPresent(d -> resp.header("Retry-After", d.toSeconds()));
            return resp.build();
        });
    }
}
