package io.certapi.web;

import io.certapi.jws.NonceService;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Adds what every ACME response carries: a fresh Replay-Nonce (RFC 8555 §6.5, on errors too),
 * {@code Link: <directory>;rel="index"} (§7.1) and, on newNonce, {@code Cache-Control: no-store}
 * (§7.2). Issuing a nonce costs no I/O, so this is safe on any thread.
 */
public class AcmeResponseFilter {

    private final NonceService nonces;
    private final LinksFactory links;

    /** Creates the filter. */
    public AcmeResponseFilter(NonceService nonces, LinksFactory links) {
        this.nonces = nonces;
        this.links = links;
    }

    /** Decorates every response under /acme/. */
    @ServerResponseFilter
    public void decorate(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (!path.startsWith("/acme/")) {
            return;
        }
        var headers = response.getHeaders();
        if (!headers.containsKey("Replay-Nonce")) {
            headers.putSingle("Replay-Nonce", nonces.issue());
        }
        if (path.startsWith("/acme/new-nonce")) {
            headers.putSingle("Cache-Control", "no-store");
        }
        if (!path.equals(Links.DIRECTORY)) {
            headers.add("Link", "<" + links.of(request.getUriInfo()).directory()
                    + ">;rel=\"index\"");
        }
    }
}
