package io.certapi.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9773 windows sized by the certificate's lifetime: sensible for 10 minutes and 90 days. */
class RenewalWindowTest {

    private static final Instant NB = Instant.parse("2026-06-01T00:00:00Z");

    @ParameterizedTest(name = "{0}: window {1} to {2} after notBefore, Retry-After {3}")
    @CsvSource({
        // lifetime, start, end (after notBefore), Retry-After
        "PT10M,  PT6M40S, PT8M20S, PT1M",
        "PT2M,   PT1M20S, PT1M40S, PT1M",
        "PT24H,  PT16H,   PT20H,   PT2H24M",
        "P90D,   P60D,    P75D,    PT6H",
        "P7D,    PT112H,  PT140H,  PT6H",
    })
    void windowIsTheLastThirdToSixthOfTheLifetime(Duration life, Duration start, Duration end,
            Duration retry) {
        RenewalFlow.Window w = RenewalFlow.window(NB, NB.plus(life), null);
        assertEquals(NB.plus(start), w.start());
        assertEquals(NB.plus(end), w.end());
        assertEquals(retry, w.retryAfter());
    }

    @ParameterizedTest(name = "{0} cut off at {1}: a window in the past")
    @CsvSource({"PT10M, PT3M", "P90D, P2D"})
    void aRevokedOrMarkedCertificateHasAWindowEndingThen(Duration life, Duration at) {
        Instant cutOff = NB.plus(at);
        RenewalFlow.Window w = RenewalFlow.window(NB, NB.plus(life), cutOff);
        assertEquals(cutOff, w.end());
        assertEquals(cutOff.minus(Duration.ofMinutes(1)), w.start());
    }
}
