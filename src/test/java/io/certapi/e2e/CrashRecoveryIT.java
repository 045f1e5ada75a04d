package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certapi.testing.TestPaths;
import io.certapi.testing.ValidationPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * kill -9 while an order is processing (finalized, waiting out the issuance delay): after a
 * restart on the same data directory the account, the order and the pending issuance are all
 * there, and the certificate is signed without the client doing anything but poll.
 */
class CrashRecoveryIT {

    private static final ValidationPeers PEERS = new ValidationPeers();
    private static Map<String, String> peers;

    @BeforeAll
    static void peers() {
        AcmeFlows.init();
        peers = PEERS.start();
    }

    @AfterAll
    static void stop() {
        PEERS.stop();
    }

    @Test
    void processingOrderSurvivesKillDashNine() throws Exception {
        Path data = Files.createTempDirectory(TestPaths.target(), "crash-it").resolve("data");
        Map<String, String> config = new java.util.HashMap<>(peers);
        config.put("certapi.issuance.delay", "5s");
        KeyPair accountKey = KeyPairUtils.createKeyPair();
        String accountUrl;
        String orderUrl;
        try (PackagedServer first = new PackagedServer(data, config).start()) {
            Session session = new Session(first.directory());
            Account account = AcmeFlows.newAccount(session, accountKey);
            Order order = account.newOrder().domain("crash.it.test").create();
            AcmeFlows.validateHttp01(order);
            order.execute(AcmeFlows.domainKey());
            assertEquals(Status.PROCESSING, order.getStatus());
            accountUrl = account.getLocation().toString();
            orderUrl = order.getLocation().toString();
            first.killHard();
        }
        try (PackagedServer second = new PackagedServer(data, config).start()) {
            Session session = new Session(second.directory());
            // The same account and order, by URL path, on the restarted server.
            String base = "http://127.0.0.1:" + second.httpPort;
            Login login = session.login(new java.net.URL(base + new java.net.URL(accountUrl)
                    .getPath()), accountKey);
            Order order = login.bindOrder(new java.net.URL(base + new java.net.URL(orderUrl)
                    .getPath()));
            assertEquals(Status.VALID, order.waitForCompletion(AcmeFlows.WAIT),
                    "the processing order resumed after the crash");
            Certificate cert = order.getCertificate();
            cert.download();
            AcmeFlows.assertChainsToRoot(cert, data);
        }
    }
}
