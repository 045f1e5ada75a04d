package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static io.certapi.web.AccountErrorsTest.problem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** newOrder, orders, finalize and certificates: every refusal, over HTTP. */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class OrderErrorsTest {

    private static final String NEW_ORDER = "/acme/new-order";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{}|malformed|needs \"identifiers\"",
        "{\"identifiers\":[]}|malformed|no identifiers",
        "{\"identifiers\":\"x.test\"}|malformed|wrong type",
        "{\"identifiers\":[{\"type\":\"ip\",\"value\":\"192.0.2.300\"}]}|malformed|not an IPv4 or IPv6",
        "{\"identifiers\":[{\"type\":\"ip\",\"value\":\"localhost\"}]}|malformed|not an IPv4 or IPv6",
        "{\"identifiers\":[{\"type\":\"email\",\"value\":\"a@b.test\"}]}|unsupportedIdentifier|\"email\"",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"*.test\"}]}|rejectedIdentifier|top-level domain",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"a.*.test\"}]}|rejectedIdentifier|whole first label",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"*.*.test\"}]}|rejectedIdentifier|whole first label",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"192.0.2.1\"}]}|malformed|is an IP address",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"trailing.test.\"}]}|rejectedIdentifier|ends with a dot",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"-bad.test\"}]}|rejectedIdentifier|inner hyphens",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"a..test\"}]}|rejectedIdentifier|empty label",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"xn--zz.test\"}]}|rejectedIdentifier|punycode",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"ab--cd.test\"}]}|rejectedIdentifier|no xn-- prefix",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"host.123\"}]}|rejectedIdentifier|all-numeric",
        "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"a.test\"}],\"notAfter\":\"tomorrow\"}|malformed|RFC 3339"})
    void badNewOrders(String payload, String type, String detail) {
        problem(postKid(TestAcme.newAccount(), NEW_ORDER, payload).then(), 400, type, detail);
    }

    @Test
    void everyBadIdentifierHasItsSubproblem() {
        Response r = postKid(TestAcme.newAccount(), NEW_ORDER, "{\"identifiers\":["
                + "{\"type\":\"dns\",\"value\":\"ok.test\"},"
                + "{\"type\":\"dns\",\"value\":\"-a.test\"},"
                + "{\"type\":\"dns\",\"value\":\"b_.test\"}]}");
        problem(r.then(), 400, "rejectedIdentifier", "2 identifiers were refused")
                .body("subproblems", hasSize(2))
                .body("subproblems[0].identifier.value", equalTo("-a.test"))
                .body("subproblems[1].identifier.value", equalTo("b_.test"))
                .body("subproblems[1].type",
                        equalTo("urn:ietf:params:acme:error:rejectedIdentifier"));
    }

    @Test
    void namesAreLowerCasedAndDeduplicated() {
        postKid(TestAcme.newAccount(), NEW_ORDER, "{\"identifiers\":["
                + "{\"type\":\"dns\",\"value\":\"Mixed.Test\"},"
                + "{\"type\":\"dns\",\"value\":\"mixed.test\"}]}").then().statusCode(201)
                .body("identifiers", hasSize(1))
                .body("identifiers[0].value", equalTo("mixed.test"))
                .body("status", equalTo("pending"))
                .body("authorizations", hasSize(1))
                .body("finalize", containsString("/finalize"));
    }

    @Test
    void validityWindowIsHonouredWithinPolicy() {
        Instant nb = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant na = nb.plus(2, ChronoUnit.HOURS);
        postKid(TestAcme.newAccount(), NEW_ORDER, "{\"identifiers\":[{\"type\":\"dns\","
                + "\"value\":\"window.test\"}],\"notBefore\":\"" + nb + "\",\"notAfter\":\""
                + na + "\"}").then().statusCode(201)
                .body("notBefore", equalTo(nb.toString()))
                .body("notAfter", equalTo(na.toString()));
        problem(postKid(TestAcme.newAccount(), NEW_ORDER, "{\"identifiers\":[{\"type\":\"dns\","
                + "\"value\":\"window.test\"}],\"notAfter\":\""
                + Instant.now().plus(30, ChronoUnit.DAYS) + "\"}").then(), 400, "malformed",
                "exceeds the maximum");
        problem(postKid(TestAcme.newAccount(), NEW_ORDER, "{\"identifiers\":[{\"type\":\"dns\","
                + "\"value\":\"window.test\"}],\"notBefore\":\""
                + Instant.now().minus(1, ChronoUnit.DAYS) + "\"}").then(), 400, "malformed",
                "in the past");
        problem(postKid(TestAcme.newAccount(), NEW_ORDER, "{\"identifiers\":[{\"type\":\"dns\","
                + "\"value\":\"window.test\"}],\"notBefore\":\"" + na + "\",\"notAfter\":\""
                + nb + "\"}").then(), 400, "malformed", "must be after notBefore");
    }

    @Test
    void aRequestedValidityIsEchoedToTheFractionOfASecond() {
        // 2026-11-29T05:04:28.765Z once came back as ...05:04:28Z.
        Instant nb = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
                .plusMillis(765);
        Instant na = nb.plus(2, ChronoUnit.HOURS).plusNanos(123_456_789);
        Account a = TestAcme.newAccount();
        String order = postKid(a, NEW_ORDER, "{\"identifiers\":[{\"type\":\"dns\","
                + "\"value\":\"millis.test\"}],\"notBefore\":\"" + nb + "\",\"notAfter\":\""
                + na + "\"}").then().statusCode(201)
                .body("notBefore", equalTo(nb.toString()))
                .body("notAfter", equalTo(na.toString())).extract().header("Location");
        // Stored as asked, to the nanosecond.
        postAsGet(a, order).then().statusCode(200)
                .body("notBefore", equalTo(nb.toString()))
                .body("notAfter", equalTo(na.toString()));
    }

    @Test
    void ordersAreTheirOwnersOnly() {
        Account a = TestAcme.newAccount();
        String order = Orders.create(a, "owner.test").header("Location");
        problem(postAsGet(TestAcme.newAccount(), order).then(), 403, "unauthorized",
                "belongs to another account");
        problem(postAsGet(a, TestAcme.url("/acme/order/nosuchorder")).then(), 404, "malformed",
                "no order");
        problem(postKid(a, order, "{}").then(), 400, "malformed", "POST-as-GET");
    }

    @Test
    void finalizeBeforeReadyIsOrderNotReady() {
        Account a = TestAcme.newAccount();
        String order = Orders.create(a, "early.test").header("Location");
        problem(postKid(a, order + "/finalize", Orders.finalizePayload(
                Orders.csr(Orders.ecKeyPair(), "early.test"))).then(), 403, "orderNotReady",
                "order is pending");
    }

    @Test
    void finalizeChecksTheCsr() throws Exception {
        Account a = TestAcme.newAccount();
        String order = Orders.ready(a, "csr.test", "www.csr.test");
        String fin = order + "/finalize";
        KeyPair k = Orders.ecKeyPair();
        problem(postKid(a, fin, "{}").then(), 400, "malformed", "\"csr\" is missing");
        problem(postKid(a, fin, "{\"csr\":\"AAAA=\"}").then(), 400, "malformed", "base64url");
        problem(postKid(a, fin, "{\"csr\":\"AAAA\"}").then(), 400, "badCSR", "not a DER");
        problem(postKid(a, fin, Orders.finalizePayload(Orders.csr(k, "csr.test"))).then(),
                400, "badCSR", "missing [www.csr.test]");
        problem(postKid(a, fin, Orders.finalizePayload(Orders.csrWith(k, "SHA256withECDSA",
                "csr.test"))).then(), 400, "badCSR", "missing [www.csr.test]");
        problem(postKid(a, fin, Orders.finalizePayload(Orders.csr(k, "csr.test",
                "www.csr.test", "extra.test"))).then(), 400, "badCSR",
                "not in the order [extra.test]");
        problem(postKid(a, fin, Orders.finalizePayload(Orders.csrWith(k, "SHA256withECDSA",
                "other.test", "csr.test", "www.csr.test"))).then(), 400, "badCSR",
                "common name \"other.test\"");
        problem(postKid(a, fin, Orders.finalizePayload(Orders.csrWith(k, "SHA1withECDSA",
                "csr.test", "csr.test", "www.csr.test"))).then(), 400, "badCSR",
                "signed with algorithm");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        problem(postKid(a, fin, Orders.finalizePayload(Orders.csrWith(rsa.generateKeyPair(),
                "SHA256withRSA", "csr.test", "csr.test", "www.csr.test"))).then(), 400,
                "badCSR", "1024 bits");
        KeyPair accountKey = new KeyPair(a.key.getPublicKey(), a.key.getPrivateKey());
        problem(postKid(a, fin, Orders.finalizePayload(Orders.csr(accountKey, "csr.test",
                "www.csr.test"))).then(), 400, "badCSR", "the account key");
        // After all those refusals the order is still ready and finalizes.
        postKid(a, fin, Orders.finalizePayload(Orders.csr(k, "csr.test", "www.csr.test")))
                .then().statusCode(200).header("Location", order);
        Orders.awaitStatus(a, order, "valid");
        problem(postKid(a, fin, Orders.finalizePayload(Orders.csr(k, "csr.test",
                "www.csr.test"))).then(), 403, "orderNotReady", "order is valid");
    }

    @Test
    void concurrentFinalizeIssuesExactlyOnce() throws Exception {
        Account a = TestAcme.newAccount();
        String order = Orders.ready(a, "race.test");
        String fin = order + "/finalize";
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add(TestAcme.jws(a, fin, Orders.finalizePayload(Orders.csr(
                    Orders.ecKeyPair(), "race.test")), true, h -> { }));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        for (String b : bodies) {
            Callable<Integer> call = () -> TestAcme.post(fin, b).statusCode();
            results.add(pool.submit(call));
        }
        int ok = 0;
        int notReady = 0;
        for (Future<Integer> f : results) {
            int s = f.get();
            ok += s == 200 ? 1 : 0;
            notReady += s == 403 ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, ok, "exactly one finalize wins");
        assertEquals(3, notReady, "the others are told the order is not ready");
        Orders.awaitStatus(a, order, "valid");
    }

    @Test
    void aCsrWithAnotherAccountsKeyIsRefused() {
        Account other = TestAcme.newAccount();
        Account a = TestAcme.newAccount();
        String order = Orders.ready(a, "stolen-key.test");
        KeyPair otherKey = new KeyPair(other.key.getPublicKey(), other.key.getPrivateKey());
        // RFC 8555 §11.1: no certificate for any account's key, not only the requester's.
        problem(postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csr(otherKey,
                "stolen-key.test"))).then(), 400, "badCSR", "the key of an ACME account");
    }

    @Test
    void mustStapleIsHonouredAndOtherTlsFeaturesAreRefused() throws Exception {
        Account a = TestAcme.newAccount();
        String order = Orders.ready(a, "staple.test");
        KeyPair k = Orders.ecKeyPair();
        problem(postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csrWithTlsFeatures(
                k, new int[] {17}, "staple.test"))).then(), 400, "badCSR",
                "only status_request");
        postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csrWithTlsFeatures(k,
                new int[] {5}, "staple.test"))).then().statusCode(200);
        String cert = Orders.awaitStatus(a, order, "valid").getString("certificate");
        String pem = postAsGet(a, cert).then().statusCode(200).extract().asString();
        java.security.cert.X509Certificate leaf = (java.security.cert.X509Certificate)
                java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                        new java.io.ByteArrayInputStream(pem.getBytes(
                                java.nio.charset.StandardCharsets.US_ASCII)));
        byte[] feature = leaf.getExtensionValue("1.3.6.1.5.5.7.1.24");
        org.junit.jupiter.api.Assertions.assertNotNull(feature, "must-staple kept");
        assertEquals("[5]", org.bouncycastle.asn1.ASN1Sequence.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(feature).getOctets())
                .toString());
    }

    @Test
    void certificateDownloadIsAPemChain() {
        Account a = TestAcme.newAccount();
        String order = Orders.ready(a, "download.test");
        postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csr(Orders.ecKeyPair(),
                "download.test"))).then().statusCode(200);
        String cert = Orders.awaitStatus(a, order, "valid").getString("certificate");
        String pem = postAsGet(a, cert).then().statusCode(200)
                .contentType("application/pem-certificate-chain").extract().asString();
        assertEquals(2, pem.split("BEGIN CERTIFICATE").length - 1, "leaf and intermediate");
        problem(postKid(a, cert, "{}").then(), 400, "malformed", "POST-as-GET");
        // Alternate chains are the few the CA has, read from a cache: an index past them, or
        // of more than two digits, costs nothing but a 404.
        problem(postAsGet(a, cert + "/7").then(), 404, "malformed", "there is no chain 7");
        postAsGet(a, cert + "/123").then().statusCode(404)
                .contentType("application/problem+json");
        problem(postAsGet(a, TestAcme.url("/acme/cert/nosuchcert")).then(), 404, "malformed",
                "no certificate");
    }
}
