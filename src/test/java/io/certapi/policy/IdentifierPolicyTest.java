package io.certapi.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.core.AcmeProblem;
import io.certapi.core.Identifier;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The identifier policy, with the operator's allow and deny lists. */
class IdentifierPolicyTest {

    private static final IdentifierPolicy.Rules OPEN = IdentifierPolicy.Rules.of(100);
    private static final IdentifierPolicy.Rules LISTS = new IdentifierPolicy.Rules(100,
            List.of("corp.test", "lab.test"), List.of("secret.corp.test"),
            List.of("10.0.0.0/8", "fd00::/8"), List.of("10.66.0.0/16"), true);
    private static final IdentifierPolicy.Rules PUBLIC_ONLY = new IdentifierPolicy.Rules(100,
            List.of(), List.of(), List.of(), List.of(), false);

    @ParameterizedTest(name = "{0}:{1} -> {2}")
    @CsvSource({"dns,WWW.Example.Test,www.example.test", "dns,*.Example.test,*.example.test",
        "dns,xn--bcher-kva.test,xn--bcher-kva.test", "dns,single,single",
        "ip,192.0.2.1,192.0.2.1", "ip,2001:DB8::1,2001:db8::1"})
    void accepts(String type, String value, String normal) {
        assertEquals(new Identifier(type, normal), IdentifierPolicy.checkOne(
                new Identifier(type, value), OPEN));
    }

    @ParameterizedTest(name = "{0}:{1} refused ({2})")
    @CsvSource(delimiter = '|', value = {
        "dns|www.corp.test|ok", "dns|*.lab.test|ok", "dns|corp.test|ok",
        "dns|secret.corp.test|which this CA's policy forbids",
        "dns|a.secret.corp.test|which this CA's policy forbids",
        "dns|*.secret.corp.test|which this CA's policy forbids",
        "dns|notcorp.test|outside the domains",
        "dns|example.test|outside the domains",
        "ip|10.1.2.3|ok", "ip|fd00::1|ok",
        "ip|10.66.1.1|which this CA's policy forbids",
        "ip|192.0.2.1|outside the ranges"})
    void lists(String type, String value, String expectation) {
        Identifier id = new Identifier(type, value);
        if ("ok".equals(expectation)) {
            IdentifierPolicy.checkOne(id, LISTS);
            return;
        }
        AcmeProblem p = assertThrows(AcmeProblem.class, () -> IdentifierPolicy.checkOne(id,
                LISTS));
        assertEquals("urn:ietf:params:acme:error:rejectedIdentifier", p.type().urn());
        assertTrue(p.detail().contains(expectation), p.detail());
    }

    @ParameterizedTest(name = "{0}: {1} / public only: {2}")
    @CsvSource(delimiter = '|', value = {
        // Public suffixes, and wildcards directly under one, are never certified.
        "co.uk|a public suffix|a public suffix",
        "*.co.uk|directly under co.uk, a public suffix|directly under co.uk, a public suffix",
        "com|a public suffix|a public suffix",
        "*.com|directly under a top-level domain|directly under a top-level domain",
        // Under a public suffix: fine either way.
        "example.co.uk|ok|ok", "*.example.co.uk|ok|ok", "www.example.com|ok|ok",
        // Private names: allowed by default, refused when public names only.
        "host.test|ok|does not end in a public suffix",
        "*.corp.internal|ok|does not end in a public suffix",
        "nas.lan|ok|does not end in a public suffix",
        "single|ok|does not end in a public suffix"})
    void publicSuffixes(String name, String byDefault, String publicOnly) {
        for (var c : List.of(new Object[] {OPEN, byDefault},
                new Object[] {PUBLIC_ONLY, publicOnly})) {
            IdentifierPolicy.Rules rules = (IdentifierPolicy.Rules) c[0];
            String expectation = (String) c[1];
            if ("ok".equals(expectation)) {
                IdentifierPolicy.checkOne(Identifier.dns(name), rules);
                continue;
            }
            AcmeProblem p = assertThrows(AcmeProblem.class, () -> IdentifierPolicy.checkOne(
                    Identifier.dns(name), rules), name);
            assertEquals("urn:ietf:params:acme:error:rejectedIdentifier", p.type().urn());
            assertTrue(p.detail().contains(expectation), p.detail());
        }
    }

    @org.junit.jupiter.api.Test
    void tooManyIdentifiers() {
        AcmeProblem p = assertThrows(AcmeProblem.class, () -> IdentifierPolicy.check(List.of(
                Identifier.dns("a.test"), Identifier.dns("b.test")),
                IdentifierPolicy.Rules.of(1)));
        assertTrue(p.detail().contains("at most 1"), p.detail());
    }
}
