package io.certapi.web;

import io.certapi.ca.CertificateAuthority;
import io.certapi.ca.Pem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * The CA certificates, at the paths Pebble serves them so that tests written for Pebble find
 * them: the root to trust, and the issuer named in every certificate's AIA.
 */
@Tag(name = "CA", description = "The CA certificates")
@Path("/")
public class CaResource {

    private final CertificateAuthority ca;

    /** Creates the resource. */
    public CaResource(CertificateAuthority ca) {
        this.ca = ca;
    }

    /** The root certificate, PEM. */
    @Operation(summary = "The root certificate to trust, PEM")
    @GET
    @Path("roots/0")
    @Produces(OrderResource.PEM_CHAIN)
    public Response root() {
        return Response.ok(Pem.encode(ca.root()), OrderResource.PEM_CHAIN).build();
    }

    /** The current issuing certificate, PEM. */
    @Operation(summary = "The current issuing certificate, PEM")
    @GET
    @Path("intermediates/0")
    @Produces(OrderResource.PEM_CHAIN)
    public Response intermediate() {
        return Response.ok(ca.currentIssuer().pem(), OrderResource.PEM_CHAIN).build();
    }
}
