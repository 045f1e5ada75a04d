package io.certapi.web;

import io.certapi.config.CertapiConfig;
import io.certapi.flow.Profiles;
import io.certapi.web.json.DirectoryJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** The directory (RFC 8555 §7.1.1) and newNonce (§7.2). */
@Tag(name = "ACME", description = "Directory and nonces")
@Path("/acme")
public class DirectoryResource {

    private final CertapiConfig config;
    private final LinksFactory links;
    private final Profiles profiles;

    /** Creates the resource. */
    public DirectoryResource(CertapiConfig config, LinksFactory links, Profiles profiles) {
        this.config = config;
        this.links = links;
        this.profiles = profiles;
    }

    /** The directory, with meta from configuration. */
    @Operation(summary = "The directory: every ACME URL and the meta object (RFC 8555 §7.1.1)")
    @GET
    @Path("/directory")
    @Produces(MediaType.APPLICATION_JSON)
    public DirectoryJson directory(@Context UriInfo uri) {
        Links l = links.of(uri);
        var d = config.directory();
        return new DirectoryJson(l.newNonce(), l.newAccount(), l.newOrder(), l.newAuthz(),
                l.revokeCert(), l.keyChange(), l.renewalInfo(), new DirectoryJson.Meta(d.termsOfService().orElse(null),
                        d.website().orElse(null), d.caaIdentities().orElse(null),
                        config.eab().required(), profileDescriptions()));
    }

    private java.util.Map<String, String> profileDescriptions() {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        profiles.all().forEach((name, p) -> m.put(name, p.description()));
        return m;
    }

    /** HEAD newNonce: 200 with a Replay-Nonce (added by the response filter). */
    @Operation(summary = "A fresh nonce in Replay-Nonce, 200 (RFC 8555 §7.2)")
    @HEAD
    @Path("/new-nonce")
    public Response headNonce() {
        return Response.ok().build();
    }

    /** GET newNonce: 204 with a Replay-Nonce. */
    @Operation(summary = "A fresh nonce in Replay-Nonce, 204 (RFC 8555 §7.2)")
    @GET
    @Path("/new-nonce")
    public Response getNonce() {
        return Response.noContent().build();
    }
}
