package io.certapi.web;

import io.certapi.flow.RenewalFlow;
import io.certapi.web.json.RenewalInfoJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** ACME Renewal Information (RFC 9773): unauthenticated GET, as the RFC has it. */
@Tag(name = "ACME renewal information", description = "Suggested renewal windows (RFC 9773)")
@Path("/acme/renewal-info")
public class RenewalInfoResource {

    private final RenewalFlow renewals;

    /** Creates the resource. */
    public RenewalInfoResource(RenewalFlow renewals) {
        this.renewals = renewals;
    }

    /** The suggested window of one certificate, with Retry-After. */
    @Operation(summary = "The suggested renewal window of a certificate (RFC 9773 §4.2)")
    @GET
    @Path("/{certId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response renewalInfo(@PathParam("certId") String certId) {
        RenewalFlow.Window w = renewals.renewalInfo(certId);
        return Response.ok(new RenewalInfoJson(new RenewalInfoJson.Window(
                Render.time(w.start()), Render.time(w.end()))))
                .header("Retry-After", w.retryAfter().toSeconds()).build();
    }
}
