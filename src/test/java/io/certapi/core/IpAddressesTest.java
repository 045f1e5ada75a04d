package io.certapi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IP literals, their canonical form (RFC 5952), reverse names and ranges. */
class IpAddressesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"192.0.2.1,192.0.2.1", "0:0:0:0:0:0:0:1,::1", "2001:DB8:0:0:1:0:0:1,2001:db8::1:0:0:1",
        "2001:db8:0:0:0:0:2:1,2001:db8::2:1", "2001:0db8::0001,2001:db8::1", "::,::",
        "fe80:0:0:1:0:0:0:0,fe80:0:0:1::", "2001:db8:0:1:1:1:1:1,2001:db8:0:1:1:1:1:1"})
    void canonical(String in, String out) {
        assertEquals(out, IpAddresses.canonical(IpAddresses.parse(in).orElseThrow()));
    }

    @ParameterizedTest(name = "rejects {0}")
    @ValueSource(strings = {"192.0.2.256", "192.0.2", "01.2.3.4", "localhost", "example.test",
        "1.2.3.4.5", "::g", "[::1]", "192.0.2.1/24", ""})
    void rejects(String in) {
        assertTrue(IpAddresses.parse(in).isEmpty(), in);
    }

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource({"10.1.2.3,10.0.0.0/8,true", "11.1.2.3,10.0.0.0/8,false",
        "192.0.2.7,192.0.2.7,true", "192.0.2.7,192.0.2.0/31,false", "::1,::1/128,true",
        "fd00::5,fd00::/8,true", "fe00::5,fd00::/8,false", "10.0.0.1,::/0,false",
        "203.0.113.9,0.0.0.0/0,true"})
    void ranges(String ip, String cidr, boolean in) {
        assertEquals(in, IpAddresses.inRange(IpAddresses.parse(ip).orElseThrow(), cidr));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"192.0.2.1,1.2.0.192.in-addr.arpa",
        "::1,1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa"})
    void reverseNames(String ip, String name) {
        assertEquals(name, IpAddresses.reverseName(IpAddresses.parse(ip).orElseThrow()));
    }
}
