package io.certapi.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.validation.CaaChecker.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CAA decisions on one relevant record set (RFC 8659 §4, RFC 8657), one row per rule. */
class CaaEvaluateTest {

    private static final List<String> US = List.of("ca.test");
    private static final String ACCOUNT = "https://ca.test/acme/account/1";

    @ParameterizedTest(name = "[{0}] wildcard={1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "0 issue ca.test|false|http-01|allowed",
        "0 issue CA.TEST|false|http-01|allowed",
        "0 issue other.test|false|http-01|names another CA",
        "0 issue other.test,0 issue ca.test|false|http-01|allowed",
        "0 issue ;|false|http-01|no CA may issue",
        "0 iodef mailto:x@y.test|false|http-01|allowed",
        "128 tbs unknown|false|http-01|critical and its tag is unknown",
        "0 tbs unknown|false|http-01|allowed",
        "0 issue ca.test; validationmethods=dns-01|false|http-01|validationmethods",
        "0 issue ca.test; validationmethods=dns-01,http-01|false|http-01|allowed",
        "0 issue ca.test; accounturi=https://ca.test/acme/account/1|false|http-01|allowed",
        "0 issue ca.test; accounturi=https://ca.test/acme/account/2|false|http-01|accounturi",
        "0 issue ca.test,0 issuewild ;|true|dns-01|no CA may issue",
        "0 issue ca.test,0 issuewild ;|false|http-01|allowed",
        "0 issue other.test,0 issuewild ca.test|true|dns-01|allowed",
        "0 issue ca.test|true|dns-01|allowed",
        "0 issue ca.test; bogus|false|http-01|malformed parameter"})
    void decides(String records, boolean wildcard, String method, String expected) {
        List<Entry> entries = new ArrayList<>();
        for (String r : records.split(",(?=\\d)")) {
            String[] p = r.split(" ", 3);
            entries.add(new Entry(Integer.parseInt(p[0]), p[1], p[2]));
        }
        Optional<String> why = CaaChecker.evaluate(entries, wildcard, US, ACCOUNT, method);
        if ("allowed".equals(expected)) {
            assertEquals(Optional.empty(), why);
        } else {
            assertTrue(why.isPresent() && why.get().contains(expected), String.valueOf(why));
        }
    }
}
