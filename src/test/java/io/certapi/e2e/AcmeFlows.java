package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.ValidationPeers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.util.KeyPairUtils;

/** acme4j driving a full issuance, shared by the H2 and PostgreSQL end-to-end tests. */
final class AcmeFlows {

    static final Duration WAIT = Duration.ofSeconds(60);

    static {
        // acme4j's KeyPairUtils and CSRBuilder name the BouncyCastle provider.
        if (java.security.Security.getProvider("BC") == null) {
            java.security.Security.addProvider(
                    new org.bouncycastle.jce.provider.BouncyCastleProvider());
        }
    }

    private AcmeFlows() {
    }

    /** Makes sure the provider is registered before any key is made. */
    static void init() {
        // The static initialiser does the work.
    }

    /** An acme4j session on the directory of the server under test (plain HTTP). */
    static Session session() {
        init();
        return new Session("http://localhost:" + io.restassured.RestAssured.port
                + "/acme/directory");
    }

    /** A new account with a fresh P-384 key (acme4j's default). */
    static Account newAccount(Session session, KeyPair key) throws Exception {
        return new AccountBuilder().agreeToTermsOfService().addEmail("ops@example.test")
                .useKeyPair(key).create(session);
    }

    /** Orders, validates over real http-01, finalizes and downloads; returns the certificate. */
    static Certificate issue(Account account, KeyPair domainKey, String... names)
            throws Exception {
        Order order = account.newOrder().domains(names).create();
        validateHttp01(order);
        order.execute(domainKey);
        assertEquals(Status.VALID, order.waitForCompletion(WAIT),
                () -> "order: " + order.getError());
        Certificate cert = order.getCertificate();
        cert.download();
        return cert;
    }

    /** Answers every authorization of {@code order} over real http-01; the order is ready. */
    static void validateHttp01(Order order) throws Exception {
        for (Authorization auth : order.getAuthorizations()) {
            Http01Challenge ch = auth.findChallenge(Http01Challenge.class).orElseThrow();
            ValidationPeers.serve(ch.getToken(), ch.getAuthorization());
            ch.trigger();
            assertEquals(Status.VALID, auth.waitForCompletion(WAIT),
                    () -> "authorization of " + auth.getIdentifier() + ": " + ch.getError());
        }
        assertEquals(Status.READY, order.waitUntilReady(WAIT));
    }

    /** Verifies the chain up to the root the server wrote to its data directory. */
    static void assertChainsToRoot(Certificate cert, Path dataDir) throws Exception {
        List<X509Certificate> chain = cert.getCertificateChain();
        assertTrue(chain.size() >= 2, "leaf and intermediate expected, got " + chain.size());
        X509Certificate root = readRoot(dataDir);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(chain), params);
    }

    static X509Certificate readRoot(Path dataDir) throws IOException,
            java.security.cert.CertificateException {
        try (var in = Files.newInputStream(dataDir.resolve("ca/root.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }

    /** A fresh RSA 2048 domain key. */
    static KeyPair domainKey() {
        return KeyPairUtils.createKeyPair(2048);
    }
}
