package io.certapi.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certapi.core.ProblemType;
import io.certapi.jws.NonceService;
import io.certapi.web.json.ProblemJson;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.List;
import java.util.Map;

/**
 * Refusals at the HTTP layer as problem documents with a fresh nonce, like every other ACME
 * error: a request URI over {@link #MAX_URI} (414), header fields over {@link #MAX_HEADERS} in
 * all (431), and a body announced over quarkus.http.limits.max-body-size (413), all checked
 * before any resource runs. (405 and 415 come from the resources, through ProblemMappers.)
 * Vert.x's own decoder limits are set far above these (application.properties), so that nearly
 * every such request reaches this code. What Vert.x refuses while decoding, before any
 * application code can see the request, still gets its bare answer and a closed connection: a
 * request that is not HTTP/1.x (a malformed request line, header or escape), a line or header
 * block past those outer limits, a chunked body that grows past the limit. Quarkus creates the
 * server without a hook for Vert.x's invalid-request handler.
 */
@ApplicationScoped
public class HttpLimits {

    /** The longest request URI (path and query) accepted, in characters. */
    public static final int MAX_URI = 8192;
    /** The most header bytes (names and values) accepted in one request. */
    public static final int MAX_HEADERS = 16384;
    private final NonceService nonces;
    private final ObjectMapper json;
    private final long maxBody;
    private final MeterRegistry meters;

    /** Creates the limits. */
    public HttpLimits(NonceService nonces, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "1M")
            MemorySize maxBody, MeterRegistry meters) {
        this.meters = meters;
        this.nonces = nonces;
        this.json = json;
        this.maxBody = maxBody.asLongValue();
    }

    /** First after the security headers: the size checks. */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::checkSizes);
    }

    private void checkSizes(RoutingContext rc) {
        HttpServerRequest r = rc.request();
        if (r.uri().length() > MAX_URI) {
            refuse(rc, 414, "the request URI is " + r.uri().length() + " characters; at most "
                    + MAX_URI + " are accepted");
            return;
        }
        int headerBytes = 0;
        for (Map.Entry<String, String> h : r.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length();
        }
        if (headerBytes > MAX_HEADERS) {
            refuse(rc, 431, "the request's header fields are " + headerBytes + " bytes; at most "
                    + MAX_HEADERS + " are accepted");
            return;
        }
        // Announced too large: refused before a byte of it is read (the resource layer would
        // answer a bare 413).
        String length = r.getHeader("Content-Length");
        if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > maxBody) {
            rc.response().putHeader("Connection", "close");
            refuse(rc, 413, "the request body is " + length + " bytes; at most " + maxBody
                    + " are accepted");
            return;
        }
        rc.next();
    }

    private void refuse(RoutingContext rc, int status, String detail) {
        meters.counter("certapi.problems", "type", ProblemType.MALFORMED.code(), "status",
                String.valueOf(status)).increment();
        String body;
        try {
            body = json.writeValueAsString(new ProblemJson(ProblemType.MALFORMED.urn(), detail,
                    status, List.of(), null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        rc.response().setStatusCode(status)
                .putHeader("Content-Type", ProblemMappers.PROBLEM_JSON)
                .putHeader("Replay-Nonce", nonces.issue())
                .putHeader("Cache-Control", "no-store")
                .end(body);
    }
}
