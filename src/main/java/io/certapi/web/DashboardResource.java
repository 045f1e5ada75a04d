package io.certapi.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's dashboard at {@code /admin/ui}: one page and its script and style, served from
 * the application itself (no CDN, no build step). The page holds no data: it asks for the admin
 * token and reads everything through the admin API, which answers 401 without it. Like the API,
 * it is refused on the plain-HTTP listener unless certapi.admin.plain-http allows it.
 */
@Tag(name = "Admin")
@Path("/admin/ui")
public class DashboardResource {

    /** Only what the page may do: its own script and style, and calls to its own origin. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self' blob:; form-action 'none';"
            + " frame-ancestors 'none'; base-uri 'none'";
    private static final Map<String, String> FILES = Map.of(
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");

    /** The page. */
    @Operation(summary = "The operator's dashboard (HTML); it asks for the admin token")
    @GET
    public Response page() {
        return file("index.html", "text/html; charset=utf-8");
    }

    /** The page's script or style. */
    @GET
    @Path("/{file: dashboard\\.(js|css)}")
    @Operation(hidden = true)
    public Response asset(@PathParam("file") String name) {
        return file(name, FILES.get(name));
    }

    private static Response file(String name, String type) {
        try (InputStream in = DashboardResource.class.getClassLoader()
                .getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " is not packaged");
            }
            return Response.ok(in.readAllBytes(), type)
                    .header("Content-Security-Policy", CSP)
                    .header("Cache-Control", "no-cache")
                    .header("Referrer-Policy", "no-referrer")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
