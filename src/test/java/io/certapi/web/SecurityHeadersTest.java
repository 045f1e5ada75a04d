package io.certapi.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The headers every answer carries, on ACME resources, HTML pages and errors alike. */
@QuarkusTest
class SecurityHeadersTest {

    private static final int HTTPS = Integer.getInteger("quarkus.http.test-ssl-port", 8444);

    @Test
    void plainHttpAnswersForbidSniffingAndFramingButSendNoHsts() {
        for (String path : new String[] {"/acme/directory", "/swagger-ui/", "/no-such-page",
                "/q/health/ready"}) {
            Response r = given().redirects().follow(false).get(path);
            assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
            assertEquals("DENY", r.header("X-Frame-Options"), path);
            assertTrue(r.header("Content-Security-Policy").contains("frame-ancestors 'none'"),
                    path);
            assertNull(r.header("Strict-Transport-Security"), "HSTS is for HTTPS: " + path);
        }
    }

    @Test
    void httpsAnswersCarryHsts() {
        for (String path : new String[] {"/acme/directory", "/swagger-ui/", "/no-such-page"}) {
            Response r = given().relaxedHTTPSValidation().redirects().follow(false)
                    .get("https://localhost:" + HTTPS + path);
            assertEquals("max-age=31536000", r.header("Strict-Transport-Security"), path);
            assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
            assertEquals("DENY", r.header("X-Frame-Options"), path);
        }
    }
}
