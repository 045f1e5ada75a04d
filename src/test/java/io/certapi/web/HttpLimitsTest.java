package io.certapi.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * Refusals at the HTTP layer are problem documents with a fresh nonce, as every other ACME
 * error: a very long URI once got Vert.x's bare 414, with no body and no Replay-Nonce.
 */
@QuarkusTest
class HttpLimitsTest {

    private static void isProblem(ValidatableResponse r, int status, String detail) {
        r.statusCode(status)
                .contentType("application/problem+json")
                .header("Replay-Nonce", matchesPattern("[A-Za-z0-9_-]{20,}"))
                .body("type", equalTo("urn:ietf:params:acme:error:malformed"))
                .body("status", equalTo(status))
                .body("detail", containsString(detail));
    }

    @Test
    void aVeryLongUriIs414() {
        isProblem(given().get("/acme/order/" + "a".repeat(9000)).then(), 414,
                "at most 8192 are accepted");
    }

    @Test
    void hugeHeadersAre431() {
        isProblem(given().header("X-Padding", "b".repeat(20_000)).get("/acme/directory")
                .then(), 431, "at most 16384 are accepted");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        isProblem(given().contentType("application/jose+json").body(new byte[1_100_000])
                .post("/acme/new-account").then(), 413, "at most 1048576 are accepted");
    }

    @Test
    void aWrongMethodAndAWrongMediaTypeAreProblemsToo() {
        isProblem(given().delete("/acme/new-account").then(), 405, "method not allowed");
        isProblem(given().contentType("text/plain").body("x").post("/acme/new-account").then(),
                415, "Content-Type must be application/jose+json");
    }
}
