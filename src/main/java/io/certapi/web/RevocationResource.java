package io.certapi.web;

import io.certapi.flow.RevocationFlow;
import io.certapi.jws.KeyMode;
import io.certapi.jws.VerifiedRequest;
import io.certapi.web.json.Payloads;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;

/** revokeCert (RFC 8555 §7.6): signed by an account (kid) or by the certificate's key (jwk). */
@Tag(name = "ACME revocation", description = "Revocation")
@Path("/acme")
@Consumes(MediaType.WILDCARD)
public class RevocationResource {

    private final AcmeRequests requests;
    private final RevocationFlow revocations;

    /** Creates the resource. */
    public RevocationResource(AcmeRequests requests, RevocationFlow revocations) {
        this.requests = requests;
        this.revocations = revocations;
    }

    /** Revokes; 200 with an empty body. */
    @Operation(summary = "Revoke a certificate, signed by its account (kid) or its key (jwk) (RFC 8555 §7.6)")
    @POST
    @Path("/revoke-cert")
    public Response revoke(byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        VerifiedRequest r = requests.verify(body, headers, uri, KeyMode.JWK_OR_KID);
        Payloads.Revoke p = AcmeRequests.payload(r, Payloads.Revoke.class, "revokeCert");
        byte[] der = AcmeRequests.base64Field(p.certificate(), "certificate");
        RevocationFlow.Requester who = r.accountId().isPresent()
                ? new RevocationFlow.Requester(r.accountId(), Optional.empty())
                : new RevocationFlow.Requester(Optional.empty(),
                        Optional.of(r.jwk().getPublicKey()));
        revocations.revoke(who, der, Optional.ofNullable(p.reason()));
        return Response.ok().build();
    }
}
