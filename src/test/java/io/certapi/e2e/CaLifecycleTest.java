package io.certapi.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.Admin;
import io.certapi.testing.FreshDataDir;
import io.certapi.testing.LogCapture;
import io.certapi.testing.Openssl;
import io.certapi.testing.TestPaths;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The CA looking after itself while clients keep working: an intermediate that lives 30 s and is
 * replaced by the scheduler 20 s before its end, an HTTPS certificate of 12 s renewed 6 s before
 * its end and swapped into the running listener under clients hammering it, old issuers whose certificates still verify, download
 * and revoke and whose CRL and OCSP are still served, and a root rotation with a cross-signed
 * chain offered as an alternate. Accounts need an external account binding here. Every chain,
 * CRL and OCSP answer is checked with openssl.
 */
@QuarkusTest
@TestProfile(CaLifecycleTest.FastRotation.class)
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FreshDataDir.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaLifecycleTest {

    private static final Path DATA = FreshDataDir.DIR;

    /** Lifetimes of seconds, checked every second, and EAB required. */
    public static class FastRotation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:mem:lifecycle;DB_CLOSE_DELAY=-1",
                    "certapi.ca.check-interval", "1s",
                    "certapi.ca.intermediate.lifetime", "30s",
                    "certapi.ca.intermediate.renew-before", "20s",
                    "certapi.ca.https.lifetime", "12s",
                    "certapi.ca.https.renew-before", "6s",
                    "certapi.eab.required", "true");
        }
    }

    private Session session;
    /** The first test's certificate of an intermediate since replaced, for the last test. */
    private static String retiredIssuer;
    private static Instant retiredCertificateEnd;

    @BeforeEach
    void session() {
        session = AcmeFlows.session();
    }

    @Test
    @Order(1)
    void accountsNeedABinding() throws Exception {
        RestAssured.given().get("/acme/directory").then()
                .body("meta.externalAccountRequired", equalTo(true));
        AcmeServerException e = assertThrows(AcmeServerException.class,
                () -> AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair()));
        assertTrue(e.getType().toString().endsWith(":externalAccountRequired"), e.toString());
        assertEquals(org.shredzone.acme4j.Status.VALID, boundAccount().getStatus());
    }

    @Test
    @Order(2)
    void theSchedulerRotatesTheIntermediateAndOldCertificatesStayServed() throws Exception {
        Account account = boundAccount();
        Certificate first = AcmeFlows.issue(account, AcmeFlows.domainKey(), "first.rotate.test");
        String firstIssuer = issuerId(first);
        awaitCurrentIntermediateOtherThan(firstIssuer);
        Certificate second = AcmeFlows.issue(account, AcmeFlows.domainKey(),
                "second.rotate.test");
        assertNotEquals(firstIssuer, issuerId(second), "signed by the new intermediate at once");

        Path dir = Files.createTempDirectory(TestPaths.target(), "rotation");
        Path root = DATA.resolve("ca/root.pem");
        for (Certificate c : List.of(first, second)) {
            Openssl.verify(root, c.getCertificateChain(), dir);
        }
        // The old certificate still downloads, and revokes; its issuer's CRL and OCSP say so.
        first.download();
        first.revoke(RevocationReason.KEY_COMPROMISE);
        Path oldIssuer = Openssl.write(dir, "old-issuer.pem",
                first.getCertificateChain().get(1));
        Path firstLeaf = Openssl.write(dir, "first.pem", first.getCertificate());
        String crl = Openssl.crl(crlUrl(firstIssuer), oldIssuer, dir);
        assertTrue(crl.contains(first.getCertificate().getSerialNumber().toString(16)
                .toUpperCase(java.util.Locale.ROOT)), crl);
        assertTrue(Openssl.ocsp(oldIssuer, firstLeaf, root, port()).contains(": revoked"));
        Path newIssuer = Openssl.write(dir, "new-issuer.pem",
                second.getCertificateChain().get(1));
        Path secondLeaf = Openssl.write(dir, "second.pem", second.getCertificate());
        assertTrue(Openssl.ocsp(newIssuer, secondLeaf, root, port()).contains(": good"));

        JsonPath issuers = RestAssured.given().get("/issuers").then().statusCode(200).extract()
                .jsonPath();
        assertTrue(issuers.getList("findAll { it.role == 'intermediate' }").size() >= 2);
        RestAssured.given().get("/issuers/" + firstIssuer).then().statusCode(200)
                .contentType("application/pkix-cert");
        retiredIssuer = firstIssuer;
        retiredCertificateEnd = first.getCertificate().getNotAfter().toInstant();
    }

    @Test
    @Order(3)
    void theHttpsCertificateIsSwappedUnderAHammeringClient() throws Exception {
        int httpsPort = Integer.getInteger("quarkus.http.test-ssl-port", 8444);
        SSLContext tls = trustingTheRoots();
        Set<BigInteger> serials = ConcurrentHashMap.newKeySet();
        AtomicInteger requests = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread th = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        serials.add(fetchOverNewConnection(tls, httpsPort));
                        requests.incrementAndGet();
                    } catch (Exception e) {
                        errors.add(e.toString());
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        Instant until = Instant.now().plusSeconds(45);
        while (Instant.now().isBefore(until) && serials.size() < 3) {
            Thread.sleep(250);
        }
        stop.set(true);
        for (Thread th : threads) {
            th.join();
        }
        System.out.printf("https swap: %d requests over new connections, %d certificates seen,"
                + " %d errors%n", requests.get(), serials.size(), errors.size());
        assertEquals(List.of(), errors.subList(0, Math.min(5, errors.size())));
        assertTrue(serials.size() >= 2, "new connections get the new certificate: " + serials);
    }

    @Test
    @Order(4)
    void aRootRotationOffersTheCrossSignedChainAndTheDirectOne() throws Exception {
        X509Certificate oldRoot = AcmeFlows.readRoot(DATA);
        List<String> audit;
        try (LogCapture capture = LogCapture.of(io.certapi.flow.Audit.CATEGORY)) {
            Admin.as().post("/admin/ca/rotate?which=root").then().statusCode(200)
                    .body("certificates.findAll { it.role == 'cross-signed root' }.size()",
                            org.hamcrest.Matchers.greaterThanOrEqualTo(1));
            audit = capture.messages();
        }
        // The rotation is in the audit log, with the admin call that asked for it.
        assertTrue(audit.stream().anyMatch(l -> l.contains("\"event\":\"ca.rotated\"")
                && l.contains("\"which\":\"root\"")), audit.toString());
        assertTrue(audit.stream().anyMatch(l -> l.contains("\"event\":\"admin.call\"")
                && l.contains("/admin/ca/rotate")), audit.toString());
        X509Certificate newRoot = AcmeFlows.readRoot(DATA);
        assertNotEquals(oldRoot, newRoot);
        Certificate cert = AcmeFlows.issue(boundAccount(), AcmeFlows.domainKey(),
                "after-root.rotate.test");
        List<Certificate> alternates = cert.getAlternateCertificates();
        assertEquals(1, alternates.size(), "Link rel=alternate: " + cert.getAlternates());
        Path dir = Files.createTempDirectory(TestPaths.target(), "root-rotation");
        Path oldRootFile = Openssl.write(dir, "old-root.pem", oldRoot);
        Path newRootFile = Openssl.write(dir, "new-root.pem", newRoot);
        // Default: leaf, intermediate, cross-signed root: good for clients of either root.
        assertEquals(3, cert.getCertificateChain().size());
        Openssl.verify(oldRootFile, cert.getCertificateChain(), dir);
        Openssl.verify(newRootFile, cert.getCertificateChain(), dir);
        // Alternate: leaf and intermediate, for clients of the new root only.
        List<X509Certificate> direct = alternates.get(0).getCertificateChain();
        assertEquals(2, direct.size());
        Openssl.verify(newRootFile, direct, dir);
        assertThrows(AssertionError.class, () -> Openssl.verify(oldRootFile, direct, dir));
    }

    @Test
    @Order(5)
    void anOldIssuersCrlGoesOnceItsLastCertificateHasExpired() throws Exception {
        assertTrue(retiredIssuer != null, "runs after the rotation test");
        while (!Instant.now().isAfter(retiredCertificateEnd.plusSeconds(1))) {
            Thread.sleep(500);
        }
        RestAssured.given().get("/crl/" + retiredIssuer).then().statusCode(404)
                .contentType("application/problem+json");
        // The issuer itself stays listed and downloadable: it signed certificates once.
        RestAssured.given().get("/issuers/" + retiredIssuer).then().statusCode(200);
    }

    private Account boundAccount() throws Exception {
        JsonPath key = Admin.newEabKey("lifecycle");
        return new AccountBuilder().agreeToTermsOfService()
                .withKeyIdentifier(key.getString("keyId"), key.getString("hmacKey"))
                .useKeyPair(KeyPairUtils.createKeyPair()).create(session);
    }

    private static String issuerId(Certificate c) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest
                .getInstance("SHA-256").digest(c.getCertificateChain().get(1).getEncoded()));
    }

    private static void awaitCurrentIntermediateOtherThan(String id) throws Exception {
        Instant until = Instant.now().plusSeconds(40);
        while (Instant.now().isBefore(until)) {
            String current = RestAssured.given().get("/issuers").then().extract().jsonPath()
                    .getString("find { it.current && it.role == 'intermediate' }.id");
            if (!id.equals(current)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the intermediate was not rotated within 40 s");
    }

    private static String crlUrl(String issuerId) {
        return "http://localhost:" + port() + "/crl/" + issuerId;
    }

    private static int port() {
        return RestAssured.port;
    }

    private static SSLContext trustingTheRoots() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        JsonPath issuers = RestAssured.given().get("/issuers").then().extract().jsonPath();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        int i = 0;
        for (String pem : issuers.<String>getList("findAll { it.role == 'root' }.pem")) {
            trust.setCertificateEntry("root" + i++, cf.generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** One request over a fresh TLS connection, host name checked; the leaf's serial. */
    private static BigInteger fetchOverNewConnection(SSLContext tls, int port) throws Exception {
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port)) {
            var params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(params);
            s.setSoTimeout(10_000);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(("GET /acme/directory HTTP/1.1\r\nHost: localhost\r\nConnection: close"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException("answer: " + response.lines().findFirst()
                        .orElse(""));
            }
            return ((X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSerialNumber();
        }
    }
}
