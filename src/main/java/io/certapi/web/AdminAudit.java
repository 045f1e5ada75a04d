package io.certapi.web;

import io.certapi.flow.Audit;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every call of the admin API goes to the audit log, refused ones included: method, path,
 * status and the caller's address.
 */
public class AdminAudit {

    private final Audit audit;

    /** Creates the filter. */
    public AdminAudit(Audit audit) {
        this.audit = audit;
    }

    /** After every answer under /admin. */
    @ServerResponseFilter
    public void log(ContainerRequestContext request, ContainerResponseContext response,
            HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/admin")) {
            return;
        }
        audit.log("admin.call", "method", request.getMethod(), "path", path, "status",
                response.getStatus(), "remoteAddress", http.remoteAddress().hostAddress());
    }
}
