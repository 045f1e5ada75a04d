package io.certapi.web;

import io.certapi.core.AcmeProblem;
import io.certapi.flow.RevocationStatusFlow;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The CRL (RFC 5280) and the OCSP responder (RFC 6960) named in every certificate. */
@Tag(name = "CA", description = "The CA certificates and revocation status")
@Path("/")
public class RevocationInfoResource {

    /** RFC 5280 §4.2.1.13 / RFC 2585. */
    public static final String CRL = "application/pkix-crl";
    /** RFC 6960 Appendix C. */
    public static final String OCSP_REQUEST = "application/ocsp-request";
    /** RFC 6960 Appendix C. */
    public static final String OCSP_RESPONSE = "application/ocsp-response";

    private final RevocationStatusFlow status;

    /** Creates the resource. */
    public RevocationInfoResource(RevocationStatusFlow status) {
        this.status = status;
    }

    /** The issuer's CRL, DER. */
    @Operation(summary = "The CRL of an issuer, DER (RFC 5280)")
    @GET
    @Path("crl/{issuer}")
    public Response crl(@PathParam("issuer") String issuer) {
        return Response.ok(status.crl(issuer), CRL).header("Cache-Control", "max-age=60")
                .build();
    }

    /** OCSP over POST (RFC 6960 Appendix A.1). */
    @Operation(summary = "OCSP responder, POST (RFC 6960)")
    @POST
    @Path("ocsp")
    @Consumes(MediaType.WILDCARD)
    public Response ocspPost(byte[] request) {
        return Response.ok(status.ocsp(request), OCSP_RESPONSE).build();
    }

    /** OCSP over GET: the base64 DER request, URL-encoded, as the last path segment(s). */
    @Operation(summary = "OCSP responder, GET (RFC 6960)")
    @GET
    @Path("ocsp/{request: .+}")
    public Response ocspGet(@PathParam("request") String encoded) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw AcmeProblem.malformed("the OCSP request is not base64").withStatus(400);
        }
        return Response.ok(status.ocsp(der), OCSP_RESPONSE).build();
    }
}
