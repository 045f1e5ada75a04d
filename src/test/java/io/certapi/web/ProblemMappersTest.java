package io.certapi.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** How unexpected failures are told apart: a client gone, a database that cannot serve. */
class ProblemMappersTest {

    private final ProblemMappers mappers = new ProblemMappers(
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

    @Test
    void aStreamTheClientResetIsNotAServerFailure() {
        // As RESTEasy Reactive reports a body read cut short by an HTTP/2 RST_STREAM.
        Throwable reset = new IOException(new IOException(new StreamResetException(8)));
        assertTrue(ProblemMappers.clientGone(reset));
        assertEquals(400, mappers.internal(reset).getStatus());
    }

    @Test
    void aDatabaseThatCannotServeIs503WithRetryAfter() {
        Throwable busy = new IllegalStateException("could not record a used nonce",
                new SQLException("Sorry, acquisition timeout!"));
        assertFalse(ProblemMappers.clientGone(busy));
        var r = mappers.internal(busy);
        assertEquals(503, r.getStatus());
        assertEquals("5", String.valueOf(r.getHeaders().getFirst("Retry-After")));
    }

    @Test
    void anythingElseIsServerInternal() {
        assertEquals(500, mappers.internal(new IllegalStateException("bug")).getStatus());
    }
}
