package io.certapi.web;

import io.certapi.config.CertapiConfig;
import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * What every answer says about how it may be used, on every route (ACME, admin, OpenAPI,
 * Swagger UI, health): {@code Strict-Transport-Security} on HTTPS, {@code X-Content-Type-Options:
 * nosniff}, and no framing ({@code X-Frame-Options: DENY}, CSP {@code frame-ancestors 'none'}).
 * And the admin API answers on HTTPS only, unless certapi.admin.plain-http says otherwise.
 */
@ApplicationScoped
public class SecurityHeaders {

    private final String hsts;
    private final boolean adminOnPlainHttp;

    /** Creates the headers from the settings. */
    public SecurityHeaders(CertapiConfig config) {
        long maxAge = config.http().hstsMaxAge().toSeconds();
        this.hsts = maxAge > 0 ? "max-age=" + maxAge : null;
        this.adminOnPlainHttp = config.admin().plainHttp();
    }

    /** Before every other route: the headers go on whatever answers. */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            boolean tls = rc.request().isSSL();
            rc.addHeadersEndHandler(v -> {
                var h = rc.response().headers();
                h.set("X-Content-Type-Options", "nosniff");
                h.set("X-Frame-Options", "DENY");
                if (!h.contains("Content-Security-Policy")) {
                    h.set("Content-Security-Policy", "frame-ancestors 'none'");
                }
                if (tls && hsts != null) {
                    h.set("Strict-Transport-Security", hsts);
                }
            });
            rc.next();
        });
    }

    /** The admin API over plain HTTP: refused unless an operator opted in. */
    @ServerRequestFilter
    public void adminOverHttpsOnly(ContainerRequestContext ctx, HttpServerRequest request) {
        if (!adminOnPlainHttp && !request.isSSL()
                && ctx.getUriInfo().getPath().startsWith("/admin")) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the admin API answers on HTTPS"
                    + " only (certapi.admin.plain-http=true allows plain HTTP)").withStatus(403);
        }
    }
}
