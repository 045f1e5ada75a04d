package io.certapi.web;

import io.certapi.ca.CertificateAuthority;
import io.certapi.ca.Pem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.PathParam;
import io.certapi.core.AcmeProblem;
import io.certapi.web.json.AdminJson;
import java.security.cert.CertificateEncodingException;
import java.util.List;

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

    /** One CA certificate by id, DER: the caIssuers URL in each certificate's AIA. */
    @Operation(summary = "A CA certificate by id, DER (application/pkix-cert): the AIA caIssuers URL")
    @GET
    @Path("issuers/{id: [0-9a-f]{64}}")
    @Produces("application/pkix-cert")
    public Response issuer(@PathParam("id") String id) throws CertificateEncodingException {
        var issuer = ca.issuer(id).orElseThrow(() -> AcmeProblem.malformed("no CA certificate "
                + id).withStatus(404));
        return Response.ok(issuer.certificate().getEncoded(), "application/pkix-cert").build();
    }

    /** Every CA certificate: what rotations made, current or not. */
    @Operation(summary = "Every CA certificate, newest first: roots, cross-signed roots and"
            + " intermediates, current or not")
    @GET
    @Path("issuers")
    @Produces(MediaType.APPLICATION_JSON)
    public List<AdminJson.CaCertificate> issuers() {
        return ca.hierarchy().stream().map(c -> json(c, ca)).toList();
    }

    /** A CA certificate as the public and the admin API show it. */
    static AdminJson.CaCertificate json(CertificateAuthority.CaCertificate c,
            CertificateAuthority ca) {
        return new AdminJson.CaCertificate(c.id(), c.role(), c.subject(), c.issuer(),
                Render.time(c.notBefore()), Render.time(c.notAfter()), c.current(),
                ca.issuerUrl(c.id()), c.role().equals("intermediate") ? ca.crlUrl(c.id()) : null,
                c.pem());
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
