package io.certapi.web;

import io.certapi.core.AcmeProblem;
import io.certapi.core.Identifier;
import io.certapi.flow.OrderFlow;
import io.certapi.flow.Views.OrderView;
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
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import io.smallrye.common.annotation.Blocking;

/** newOrder, orders, finalize and certificate download (RFC 8555 §7.4). */
@Tag(name = "ACME orders", description = "Orders, finalize and certificates")
@Path("/acme")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    /** RFC 8555 §9.1. */
    public static final String PEM_CHAIN = "application/pem-certificate-chain";

    private final AcmeRequests requests;
    private final LinksFactory links;
    private final OrderFlow orders;
    private final ArrivalTime arrival;

    /** Creates the resource. */
    public OrderResource(AcmeRequests requests, LinksFactory links, OrderFlow orders,
            ArrivalTime arrival) {
        this.arrival = arrival;
        this.requests = requests;
        this.links = links;
        this.orders = orders;
    }

    /** newOrder: 201 with Location. */
    @Operation(summary = "Create an order (RFC 8555 §7.4)")
    @POST
    @Path("/new-order")
    public Response newOrder(byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.KID);
        Payloads.NewOrder p = AcmeRequests.payload(r, Payloads.NewOrder.class, "newOrder");
        if (p.identifiers() == null) {
            throw AcmeProblem.malformed("newOrder needs \"identifiers\"");
        }
        List<Identifier> ids = p.identifiers().stream()
                .map(i -> i == null ? null : new Identifier(orEmpty(i.type()), orEmpty(i.value())))
                .toList();
        if (ids.contains(null)) {
            throw AcmeProblem.malformed("an identifier must be an object with type and value");
        }
        OrderView o = orders.create(AcmeRequests.account(r), ids,
                time(p.notBefore(), "notBefore"), time(p.notAfter(), "notAfter"),
                java.util.Optional.ofNullable(p.profile()),
                java.util.Optional.ofNullable(p.replaces()));
        Links l = links.of(uri);
        return Response.status(201).header("Location", l.order(o.id()))
                .entity(Render.order(o, l)).build();
    }

    /** The order (POST-as-GET), with Retry-After while processing. */
    @Operation(summary = "Fetch an order (POST-as-GET); Retry-After while processing")
    @POST
    @Path("/order/{id}")
    @Blocking
    public CompletionStage<Response> order(@PathParam("id") String id, byte[] body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.KID);
        AcmeRequests.requirePostAsGet(r, "an order");
        Links l = links.of(uri);
        return orders.getSettled(AcmeRequests.account(r), id).thenApply(o -> render(o, l));
    }

    /**
     * finalize: valid in one round trip when the issuance delay is within
     * {@code certapi.work.max-wait}; otherwise processing with a Retry-After of the time left.
     */
    @Operation(summary = "Finalize an order with a CSR (RFC 8555 §7.4): valid at once when the"
            + " issuance delay is short, else processing with Retry-After")
    @POST
    @Path("/order/{id}/finalize")
    @Blocking
    public CompletionStage<Response> finalizeOrder(@PathParam("id") String id, byte[] body,
            @Context HttpHeaders headers, @Context UriInfo uri,
            @Context ContainerRequestContext request) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.KID);
        Payloads.Finalize p = AcmeRequests.payload(r, Payloads.Finalize.class, "finalize");
        byte[] csr = AcmeRequests.base64Field(p.csr(), "csr");
        Links l = links.of(uri);
        return orders.finalizeSettled(AcmeRequests.account(r), id, csr, arrival.of(request))
                .thenApply(o -> render(o, l));
    }

    /**
     * The certificate chain, PEM (RFC 8555 §7.4.2), with {@code Link rel="alternate"} naming
     * every other chain (after a root rotation: with and without the cross-signed root).
     */
    @Operation(summary = "Download the certificate chain, application/pem-certificate-chain (RFC 8555 §7.4.2)")
    @POST
    @Path("/cert/{id}")
    @Produces({PEM_CHAIN, MediaType.WILDCARD})
    public Response certificate(@PathParam("id") String id, byte[] body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        return chain(id, 0, body, headers, uri);
    }

    /** An alternate chain of the certificate, named by a Link rel="alternate". */
    @Operation(summary = "Download an alternate certificate chain (RFC 8555 §7.4.2)")
    @POST
    @Path("/cert/{id}/{chain: [0-9]{1,2}}")
    @Produces({PEM_CHAIN, MediaType.WILDCARD})
    public Response alternate(@PathParam("id") String id, @PathParam("chain") int chain,
            byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return chain(id, chain, body, headers, uri);
    }

    private Response chain(String id, int index, byte[] body, HttpHeaders headers,
            UriInfo uri) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.KID);
        AcmeRequests.requirePostAsGet(r, "a certificate");
        var cert = orders.certificate(id, index);
        Links l = links.of(uri);
        Response.ResponseBuilder resp = Response.ok(cert.pemChain(), PEM_CHAIN);
        for (int i = 0; i < cert.chains(); i++) {
            if (i != index) {
                resp.header("Link", "<" + l.certificate(id, i) + ">;rel=\"alternate\"");
            }
        }
        return resp.build();
    }

    private static Response render(OrderView o, Links l) {
        Response.ResponseBuilder resp = Response.ok(Render.order(o, l))
                .header("Location", l.order(o.id()));
        o.retryAfter().ifPresent(d -> resp.header("Retry-After", d.toSeconds()));
        return resp.build();
    }

    private static Optional<Instant> time(String value, String field) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw AcmeProblem.malformed("\"" + field + "\" is not an RFC 3339 timestamp in UTC,"
                    + " such as 2026-01-01T00:00:00Z");
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
