package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Prometheus metrics at /q/metrics move with what the CA does. */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {

    private static String scrape() {
        return RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of every sample of {@code name} whose labels contain {@code labels}. */
    private static double value(String text, String name, String labels) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$")
                .matcher(text);
        while (m.find()) {
            String l = m.group(1) == null ? "" : m.group(1);
            if (l.contains(labels)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    @Test
    void anIssuanceARevocationAndRefusalsMoveTheCounters() throws Exception {
        String before = scrape();
        Account a = TestAcme.newAccount();
        String order = Orders.ready(a, "metrics.test");
        postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csr(Orders.ecKeyPair(),
                "metrics.test"))).then().statusCode(200);
        String certUrl = Orders.awaitStatus(a, order, "valid").getString("certificate");
        String chain = postAsGet(a, certUrl).asString();
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(chain.getBytes()));
        postKid(a, "/acme/revoke-cert", "{\"certificate\":\"" + TestAcme.b64(cert.getEncoded())
                + "\",\"reason\":4}").then().statusCode(200);
        // A refusal: a second revocation is alreadyRevoked.
        postKid(a, "/acme/revoke-cert", "{\"certificate\":\"" + TestAcme.b64(cert.getEncoded())
                + "\",\"reason\":4}").then().statusCode(400);
        // A bad nonce.
        TestAcme.post("/acme/new-order", TestAcme.jws(a, "/acme/new-order", "{}", true,
                h -> h.put("nonce", "AAAA"))).then().statusCode(400);
        String after = scrape();

        String[][] moved = {
            {"certapi_certificates_issued_total", ""},
            {"certapi_signing_seconds_count", ""},
            {"certapi_validations_seconds_count", "outcome=\"valid\""},
            {"certapi_validations_seconds_count", "type=\"http-01\""},
            {"certapi_revocations_total", "reason=\"4\""},
            {"certapi_problems_total", "type=\"alreadyRevoked\""},
            {"certapi_problems_total", "type=\"badNonce\""},
            {"certapi_nonces_total", "result=\"redeemed\""},
            {"http_server_requests_seconds_count", "uri=\"/acme/new-order\""},
        };
        for (String[] m : moved) {
            double was = value(before, m[0], m[1]);
            double is = value(after, m[0], m[1]);
            assertTrue(is > was, m[0] + m[1] + ": " + was + " -> " + is);
        }
        // Gauges are read at most once a second.
        long end = System.nanoTime() + 5_000_000_000L;
        while (value(after, "certapi_orders", "status=\"valid\"") < 1
                && System.nanoTime() < end) {
            Thread.sleep(200);
            after = scrape();
        }
        assertTrue(value(after, "certapi_orders", "status=\"valid\"") >= 1, after);
        assertTrue(after.contains("certapi_issuance_queue "), "queue gauge");
        // Every CA certificate's time left: the intermediate's is in days, not zero.
        assertTrue(value(after, "certapi_ca_expiry_seconds", "role=\"intermediate\"") > 86_400,
                "CA expiry gauge");
        assertTrue(after.contains("certapi_validations_seconds_bucket"), "a histogram");
    }
}
