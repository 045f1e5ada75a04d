package io.certapi.web;

import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.time.Clock;
import java.time.Instant;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * When a request reached the server, stamped on the event loop before it waits for a worker
 * thread. The issuance delay counts from the finalize request's arrival, so that a queue of
 * requests (a thousand clients finalizing at once) does not lengthen every client's wait by
 * the time the queue took to drain.
 */
@Singleton
public class ArrivalTime {

    private static final String PROPERTY = "certapi.arrival";

    private final Clock clock;

    /** Creates the filter. */
    public ArrivalTime(Clock clock) {
        this.clock = clock;
    }

    /** Stamps the request; runs before matching, on the event loop. */
    @ServerRequestFilter(preMatching = true, nonBlocking = true)
    public void stamp(ContainerRequestContext request) {
        request.setProperty(PROPERTY, clock.instant());
    }

    /** The request's arrival; now, for a request that was not stamped. */
    Instant of(ContainerRequestContext request) {
        return request.getProperty(PROPERTY) instanceof Instant at ? at : clock.instant();
    }
}
