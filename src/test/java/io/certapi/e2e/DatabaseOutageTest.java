package io.certapi.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.TestAcme;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away under a running server (the connections through the proxy are cut and
 * new ones refused): ACME requests that need it answer 503 with a Retry-After, a problem
 * document and a fresh nonce, so that clients retry; readiness says DOWN; once the database is
 * back, the same requests succeed without a restart.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class DatabaseOutageTest {

    @Test
    void anOutageIsServiceUnavailableWithRetryAfterAndPassesWhenTheDatabaseIsBack()
            throws Exception {
        TestAcme.Account account = TestAcme.newAccount();
        String order = "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"outage.test\"}]}";
        PostgresProfile.cutDatabase();
        try {
            Response r = TestAcme.postKid(account, "/acme/new-order", order);
            assertEquals(503, r.statusCode(), r.asString());
            assertEquals("application/problem+json", r.contentType());
            assertEquals("urn:ietf:params:acme:error:serverInternal", r.path("type"));
            assertEquals(503, (int) r.path("status"));
            assertNotNull(r.header("Retry-After"), "503 says when to retry");
            assertTrue(Integer.parseInt(r.header("Retry-After")) > 0);
            assertNotNull(r.header("Replay-Nonce"), "an error answer carries a fresh nonce");

            Response again = TestAcme.postAsGet(account, account.kid);
            assertEquals(503, again.statusCode(), again.asString());

            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            PostgresProfile.restoreDatabase();
        }
        Response r = null;
        for (int i = 0; i < 20; i++) {
            r = TestAcme.postKid(account, "/acme/new-order", order);
            if (r.statusCode() == 201) {
                break;
            }
            // Pooled connections that the cut broke are replaced as they fail.
            assertEquals(503, r.statusCode(), r.asString());
        }
        assertEquals(201, r.statusCode(), "after the outage: " + r.asString());
        given().get("/q/health/ready").then().statusCode(200);
    }
}
