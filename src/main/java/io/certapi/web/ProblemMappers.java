package io.certapi.web;

import io.certapi.core.AcmeProblem;
import io.certapi.core.Causes;
import io.certapi.core.DatabaseFailures;
import io.certapi.core.ProblemType;
import io.certapi.web.json.ProblemJson;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The only writer of {@code application/problem+json}. An {@link AcmeProblem} is rendered as it
 * is; routing errors become {@code malformed} with their HTTP status; anything else becomes
 * {@code serverInternal}, logged with its cause and never echoed to the client.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** The problem document media type (RFC 7807 §3). */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** How long a client is asked to wait when the database cannot serve. */
    static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(5);

    private final MeterRegistry meters;

    /** Creates the mappers; each problem rendered is counted by type (certapi_problems_total). */
    public ProblemMappers(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Renders a problem thrown by any layer. */
    @ServerExceptionMapper
    public Response problem(AcmeProblem p) {
        return render(p);
    }

    /** 404 for a URL that names nothing. */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return render(AcmeProblem.malformed("no such resource; start from the directory")
                .withStatus(404));
    }

    /** 405 for a plain GET on a POST-as-GET resource (RFC 8555 §6.3), and the like. */
    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        Response r = render(AcmeProblem.malformed("method not allowed here; ACME resources are"
                + " fetched with POST-as-GET (RFC 8555 §6.3)").withStatus(405));
        var allowed = e.getResponse().getAllowedMethods();
        return allowed.isEmpty() ? r
                : Response.fromResponse(r).header("Allow", String.join(", ", allowed)).build();
    }

    /** 415 when the framework refuses the media type. */
    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return render(AcmeProblem.malformed("Content-Type must be application/jose+json")
                .withStatus(415));
    }

    /** 406 when the client accepts nothing we produce. */
    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return render(AcmeProblem.malformed("the Accept header allows no representation of this"
                + " resource").withStatus(406));
    }

    /** Other framework errors keep their status. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e);
        }
        return render(AcmeProblem.malformed("the request was refused: HTTP " + status)
                .withStatus(status));
    }

    /**
     * Everything unexpected: serverInternal, logged, no detail leaked. A database that cannot
     * serve now (unreachable, stopping, out of connections) is 503 with a Retry-After instead,
     * so that clients retry rather than give up; the readiness check reports it too.
     */
    @ServerExceptionMapper(priority = 10000)
    public Response internal(Throwable t) {
        if (clientGone(t)) {
            // The client reset the stream or closed the connection while its request was read:
            // nobody is left to answer, and it is not the server's failure.
            LOG.debugf("the client went away during its request: %s", rootOf(t));
            return render(AcmeProblem.malformed("the request was not received whole")
                    .withStatus(400));
        }
        if (DatabaseFailures.unavailable(t)) {
            LOG.warnf("the database cannot serve a request now, answered 503: %s", rootOf(t));
            return render(AcmeProblem.of(ProblemType.SERVER_INTERNAL, "the database is"
                    + " unavailable or busy; retry after the time in Retry-After")
                    .withStatus(503).withRetryAfter(UNAVAILABLE_RETRY));
        }
        LOG.error("unexpected failure while serving a request", t);
        return render(AcmeProblem.of(ProblemType.SERVER_INTERNAL,
                "the server failed to process the request; the failure was logged"));
    }

    /** Whether {@code t} says the client reset its stream or closed the connection. */
    static boolean clientGone(Throwable t) {
        return Causes.of(t).stream().anyMatch(c -> c instanceof StreamResetException
                || c instanceof ClosedChannelException || c instanceof HttpClosedException);
    }

    private static String rootOf(Throwable t) {
        List<Throwable> chain = Causes.of(t);
        return chain.get(chain.size() - 1).toString();
    }

    private Response render(AcmeProblem p) {
        meters.counter("certapi.problems", "type", p.type().code(), "status",
                String.valueOf(p.status())).increment();
        ProblemJson body = new ProblemJson(p.type().urn(), p.detail(), p.status(),
                p.subproblems().stream().map(s -> new ProblemJson.SubproblemJson(s.type().urn(),
                        s.detail(), s.identifier() == null ? null
                                : Render.identifier(s.identifier()))).toList(),
                p.algorithms());
        Response.ResponseBuilder r = Response.status(p.status()).type(PROBLEM_JSON).entity(body);
        p.retryAfter().ifPresent(d -> r.header("Retry-After",
                Math.max(1, d.toSeconds())));
        p.location().ifPresent(l -> r.header("Location", l));
        if (p.status() == 401) {
            // Only the admin API answers 401 (ACME refusals are 403); RFC 6750 §3.
            r.header("WWW-Authenticate", "Bearer realm=\"certapi admin\"");
        }
        return r.build();
    }
}
