package io.certapi.web;

import static io.certapi.testing.TestAcme.postKid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * Where the work is quick, the answer is final (certapi.work.max-wait): a challenge answer
 * waits for its first validation attempt, a finalize for the signature (the test profile's
 * issuance delay is 0), and neither carries a Retry-After.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class OneRoundTripTest {

    @Test
    void challengeAnswerIsTheFirstAttemptsOutcome() {
        TestAcme.Account a = TestAcme.newAccount();
        String authz = Orders.create(a, "quick.roundtrip.test").jsonPath()
                .getString("authorizations[0]");
        JsonPath ch = Orders.http01(a, authz);
        ValidationPeers.serve(ch.getString("token"), Orders.keyAuthorization(a,
                ch.getString("token")));
        Response r = postKid(a, ch.getString("url"), "{}");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("valid", r.jsonPath().getString("status"), r.asString());
        assertNull(r.header("Retry-After"), "a final answer has no Retry-After");
        assertEquals(1, ValidationPeers.hits(ch.getString("token")));
    }

    @Test
    void finalizeAnswersValidWithTheCertificate() throws Exception {
        TestAcme.Account a = TestAcme.newAccount();
        String order = Orders.ready(a, "signed.roundtrip.test");
        Response r = postKid(a, order + "/finalize", Orders.finalizePayload(
                Orders.csr(Orders.ecKeyPair(), "signed.roundtrip.test")));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("valid", r.jsonPath().getString("status"), r.asString());
        assertNotNull(r.jsonPath().getString("certificate"), r.asString());
        assertNull(r.header("Retry-After"), "a final answer has no Retry-After");
        assertNotNull(r.header("Replay-Nonce"), "the delayed answer still carries a nonce");
    }
}
