package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Admission control: with two requests in flight (order polls waiting for a signature due in
 * 2 s), a third is refused at once with 503, rateLimited, a Retry-After and a nonce; once they
 * are answered, requests are let in again.
 */
@QuarkusTest
@TestProfile(AdmissionTest.Two.class)
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class AdmissionTest {

    /** Two requests in flight at most; signatures due 2 s after finalize. */
    public static class Two implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "certapi.http.max-in-flight", "2",
                    "certapi.issuance.delay", "2s",
                    "certapi.work.max-wait", "5s",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:admission;DB_CLOSE_DELAY=-1",
                    "certapi.data-dir", "target/test-data-admission");
        }
    }

    @Inject
    Admission admission;

    @Test
    void aRequestPastTheLimitIsRefusedAtOnceWithARetryAfter() throws Exception {
        TestAcme.Account a = TestAcme.newAccount();
        String order = Orders.ready(a, "admission.test");
        String third = TestAcme.jws(a, order, "", true, h -> { });
        // finalize waits for its signature (due in 2 s, within max-wait): one in flight.
        List<CompletableFuture<Response>> waiting = new ArrayList<>();
        // Threads of their own: the common pool has one thread on two cores.
        ExecutorService clients = Executors.newFixedThreadPool(2);
        byte[] csr = Orders.csr(Orders.ecKeyPair(), "admission.test");
        waiting.add(CompletableFuture.supplyAsync(() -> postKid(a, order + "/finalize",
                Orders.finalizePayload(csr)), clients));
        awaitInFlight(1);
        waiting.add(CompletableFuture.supplyAsync(() -> postAsGet(a, order), clients));
        awaitInFlight(2);

        long before = System.nanoTime();
        Response refused = TestAcme.post(order, third);
        long tookMs = (System.nanoTime() - before) / 1_000_000;
        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("urn:ietf:params:acme:error:rateLimited",
                refused.jsonPath().getString("type"));
        assertTrue(refused.jsonPath().getString("detail").contains("at capacity"),
                refused.asString());
        assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1, "Retry-After");
        assertNotNull(refused.header("Replay-Nonce"), "a refused POST still gets a nonce");
        assertEquals(200, io.restassured.RestAssured.given().head("/acme/new-nonce")
                .statusCode(), "newNonce is always let in");
        assertTrue(tookMs < 1500, "refused at once, not after the waiters: " + tookMs + " ms");

        for (CompletableFuture<Response> f : waiting) {
            Response r = f.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.asString());
            assertEquals("valid", r.jsonPath().getString("status"), r.asString());
        }
        clients.shutdown();
        awaitInFlight(0);
        Response again = postAsGet(a, order);
        assertEquals(200, again.statusCode(), "let in again: " + again.asString());
    }

    /** Waits until {@code n} requests have been in flight for 200 ms (a nonce comes and goes). */
    private void awaitInFlight(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int stable = 0;
        while (stable < 20) {
            assertTrue(System.nanoTime() < end, "in flight: " + admission.inFlight() + ", want "
                    + n);
            stable = admission.inFlight() == n ? stable + 1 : 0;
            Thread.sleep(10);
        }
    }
}
