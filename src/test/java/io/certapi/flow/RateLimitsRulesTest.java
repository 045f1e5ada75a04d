package io.certapi.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.core.Identifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How limits are written, and what a registered domain and a source address are. */
class RateLimitsRulesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "100/1h|100|PT1H|100/1h", "50/7d|50|PT168H|50/7d", "1000/1s|1000|PT1S|1000/1s",
        "off|0||off", "0|0||off"})
    void ratesWithAPeriod(String text, int count, String period, String normal) {
        RateLimits.Rate r = RateLimits.Rate.parse(text, "k", true);
        assertEquals(count, r.count());
        assertEquals(period == null ? Optional.empty() : Optional.of(Duration.parse(period)),
                r.period());
        assertEquals(normal, r.text());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"100", "-1/1h", "10/0s", "10/1h/2", "ten/1h", "10/x"})
    void badRatesNameTheirKey(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RateLimits.Rate.parse(text, "certapi.rate-limits.issuance", true));
        assertTrue(e.getMessage().contains("certapi.rate-limits.issuance"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"1000|1000", "10/1h|"})
    void countsWithoutAPeriod(String text, Integer count) {
        if (count == null) {
            assertThrows(IllegalArgumentException.class,
                    () -> RateLimits.Rate.parse(text, "k", false));
        } else {
            assertEquals(count, RateLimits.Rate.parse(text, "k", false).count());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "www.example.co.uk|example.co.uk", "*.a.example.com|example.com",
        "host.corp.internal|corp.internal", "single|single", "a.b.c.test|c.test"})
    void registeredDomains(String name, String domain) {
        assertEquals(Set.of(domain), RateLimits.registeredDomains(List.of(Identifier.dns(name))));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.7|192.0.2.7", "2001:db8:1:2:3:4:5:6|2001:db8:1:2::/64",
        "2001:db8:1:2::9|2001:db8:1:2::/64"})
    void sourcesCountIpv6ByItsSlash64(String address, String key) {
        assertEquals(key, RateLimits.sourceKey(address));
    }
}
