package io.certapi.web;

import io.certapi.config.CertapiConfig;
import io.certapi.config.PublicUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * Builds {@link Links} for a request: from {@code certapi.base-url} when set, else from the
 * request's own scheme, host and port, so that a client reaching the server by any name gets
 * URLs it can use.
 */
@ApplicationScoped
public class LinksFactory {

    private final CertapiConfig config;

    /** Creates the factory. */
    public LinksFactory(CertapiConfig config) {
        this.config = config;
    }

    /** The links for this request. */
    public Links of(UriInfo uri) {
        return new Links(base(uri));
    }

    /** The URL this request was sent to, as a client signs it in a JWS {@code url}. */
    public String requestUrl(UriInfo uri) {
        URI req = uri.getRequestUri();
        String query = req.getRawQuery();
        return base(uri) + req.getRawPath() + (query == null ? "" : "?" + query);
    }

    private String base(UriInfo uri) {
        if (config.baseUrl().isPresent()) {
            return PublicUrls.stripSlash(config.baseUrl().get());
        }
        URI b = uri.getBaseUri();
        return b.getScheme() + "://" + b.getRawAuthority();
    }
}
