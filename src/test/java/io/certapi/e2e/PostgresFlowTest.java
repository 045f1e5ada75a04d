package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.flow.OrderFlow;
import io.certapi.flow.Views.OrderView;
import io.certapi.testing.Orders;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The end-to-end flow on PostgreSQL, with the same code and migrations as on H2; and the
 * configured issuance delay (5 s, longer than certapi.work.max-wait) seen from outside: finalize
 * answers processing with a Retry-After of the time actually left, and the certificate comes
 * when the delay has passed, to the first poll that honours it; the delay counts from the
 * finalize request's arrival.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class PostgresFlowTest {

    @Inject
    OrderFlow orders;

    @Inject
    io.certapi.flow.IssuanceWorker worker;

    @Test
    void issuesOnPostgresAfterTheConfiguredDelay() throws Exception {
        AcmeFlows.init();
        Session session = new Session("http://localhost:" + RestAssured.port + "/acme/directory");
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Order order = account.newOrder().domains("pg.flow.test", "www.pg.flow.test").create();
        AcmeFlows.validateHttp01(order);
        KeyPair domainKey = AcmeFlows.domainKey();
        Instant finalized = Instant.now();
        order.execute(domainKey);
        assertEquals(Status.PROCESSING, order.getStatus(), "finalize answers at once");
        Optional<Instant> retryAfter = order.fetch();
        assertTrue(retryAfter.isPresent(), "a processing order carries Retry-After");
        Duration left = Duration.between(finalized, retryAfter.get());
        assertTrue(left.compareTo(Duration.ofSeconds(4)) >= 0
                && left.compareTo(Duration.ofSeconds(7)) <= 0,
                "Retry-After is the time left of the 5 s delay, not a fixed second: " + left);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), retryAfter.get()).toMillis()));
        order.fetch();
        assertEquals(Status.VALID, order.getStatus(),
                "the one poll that honours Retry-After sees the certificate");
        Duration waited = Duration.between(finalized, Instant.now());
        assertTrue(waited.compareTo(Duration.ofMillis(4900)) >= 0,
                "the certificate came after " + waited + ", before the 5 s delay");
        Certificate cert = order.getCertificate();
        cert.download();
        AcmeFlows.assertChainsToRoot(cert, Path.of("target/test-data-pg"));
        AcmeFlows.issue(account, AcmeFlows.domainKey(), "again.pg.flow.test");
    }

    /**
     * The delay counts from the finalize request's arrival, not from when a worker thread got
     * to it: a request that waited 3 s in the queue is due 2 s after it is handled.
     */
    @Test
    void theDelayCountsFromTheRequestsArrival() throws Exception {
        AcmeFlows.init();
        Session session = new Session("http://localhost:" + RestAssured.port + "/acme/directory");
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Order order = account.newOrder().domain("arrival.pg.flow.test").create();
        AcmeFlows.validateHttp01(order);
        Instant arrived = Instant.now().minusSeconds(3);
        OrderView v = orders.finalizeOrder(lastSegment(account.getLocation()),
                lastSegment(order.getLocation()), Orders.csr(Orders.ecKeyPair(),
                        "arrival.pg.flow.test"), arrived);
        assertEquals(io.certapi.core.Status.PROCESSING, v.status());
        // PostgreSQL keeps microseconds, rounded.
        Duration off = Duration.between(arrived.plusSeconds(5), v.dueAt().orElseThrow()).abs();
        assertTrue(off.toNanos() <= 1_000, "due at " + v.dueAt() + ", arrived " + arrived);
        assertEquals(Status.VALID, order.waitForCompletion(AcmeFlows.WAIT));
    }

    private static String lastSegment(java.net.URL url) {
        String path = url.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Orders falling due together are signed in batches: each ends valid with exactly one
     * certificate, whether its timer or a batch (which names one order twice) claims it.
     */
    @Test
    void ordersDueTogetherAreSignedOnceEach() throws Exception {
        AcmeFlows.init();
        Session session = new Session("http://localhost:" + RestAssured.port + "/acme/directory");
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        String accountId = lastSegment(account.getLocation());
        java.util.List<Order> orders = new java.util.ArrayList<>();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "batch" + i + ".pg.flow.test";
            Order order = account.newOrder().domain(name).create();
            AcmeFlows.validateHttp01(order);
            // Arrived 10 s ago: due at once (the delay is 5 s).
            this.orders.finalizeOrder(accountId, lastSegment(order.getLocation()),
                    Orders.csr(Orders.ecKeyPair(), name), Instant.now().minusSeconds(10));
            orders.add(order);
            ids.add(lastSegment(order.getLocation()));
        }
        java.util.List<String> batch = new java.util.ArrayList<>(ids);
        batch.add(ids.get(0));
        worker.issue(batch);
        for (int i = 0; i < orders.size(); i++) {
            assertEquals(Status.VALID, orders.get(i).waitForCompletion(AcmeFlows.WAIT));
            String id = ids.get(i);
            long certificates = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                    .call(() -> io.certapi.store.CertificateEntity.count("orderId", id));
            assertEquals(1, certificates, "certificates of order " + id);
        }
    }
}
