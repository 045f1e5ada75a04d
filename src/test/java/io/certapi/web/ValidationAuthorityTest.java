package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.TlsAlpnResponder;
import io.certapi.testing.ValidationPeers;
import io.certapi.validation.Dns01Validator;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

/**
 * dns-01, tls-alpn-01, wildcards, IP identifiers, CAA, retries, authorization reuse and
 * pre-authorization, against the real DNS server and a real TLS server.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class ValidationAuthorityTest {

    /** A pending challenge of a fresh order. */
    record Pending(Account account, String order, String authz, String url, String token) {
        String keyAuthorization() {
            return Orders.keyAuthorization(account, token);
        }
    }

    static Pending pending(String type, String identifierType, String value) {
        Account a = TestAcme.newAccount();
        Response r = postKid(a, "/acme/new-order", "{\"identifiers\":[{\"type\":\""
                + identifierType + "\",\"value\":\"" + value + "\"}]}");
        r.then().statusCode(201);
        String authz = r.jsonPath().getString("authorizations[0]");
        JsonPath az = postAsGet(a, authz).jsonPath();
        List<String> types = az.getList("challenges.type");
        int i = types.indexOf(type);
        if (i < 0) {
            throw new AssertionError(type + " not offered: " + types);
        }
        return new Pending(a, r.header("Location"), authz, az.getString("challenges[" + i
                + "].url"), az.getString("challenges[" + i + "].token"));
    }

    static JsonPath answer(Pending p, String status) {
        postKid(p.account(), p.url(), "{}").then().statusCode(200);
        Orders.awaitStatus(p.account(), p.authz(), status);
        return new JsonPath(postAsGet(p.account(), p.url()).asString());
    }

    static void problem(JsonPath ch, String type, String detail) {
        assertEquals("urn:ietf:params:acme:error:" + type, ch.getString("error.type"),
                ch.prettify());
        assertThat(ch.getString("error.detail"), containsString(detail));
    }

    // ---- dns-01 --------------------------------------------------------------------------

    @Test
    void dns01FindsTheRightValueAmongSeveral() {
        Pending p = pending("dns-01", "dns", "txt.dns01.test");
        ValidationPeers.addTxt("_acme-challenge.txt.dns01.test", "unrelated");
        ValidationPeers.addTxt("_acme-challenge.txt.dns01.test",
                Dns01Validator.txtValue(p.keyAuthorization()));
        JsonPath ch = answer(p, "valid");
        assertThat(ch.getList("validationRecord[0].dnsAnswers", String.class),
                hasItem("TXT \"unrelated\""));
    }

    @Test
    void dns01FollowsCnames() {
        Pending p = pending("dns-01", "dns", "alias.dns01.test");
        ValidationPeers.cname("_acme-challenge.alias.dns01.test", "delegated.dns01.test");
        ValidationPeers.addTxt("delegated.dns01.test",
                Dns01Validator.txtValue(p.keyAuthorization()));
        JsonPath ch = answer(p, "valid");
        assertThat(ch.getString("validationRecord[0].dnsAnswers[0]"), containsString("CNAME"));
    }

    @Test
    void dns01WithoutRecordSaysWhereItLookedAndWhatItExpected() {
        Pending p = pending("dns-01", "dns", "none.dns01.test");
        JsonPath ch = answer(p, "invalid");
        problem(ch, "incorrectResponse", "no TXT record at _acme-challenge.none.dns01.test");
        assertThat(ch.getString("error.detail"), containsString(
                Dns01Validator.txtValue(p.keyAuthorization())));
        assertThat(ch.getString("validationRecord[0].resolver"), containsString("127.0.0.1:"));
    }

    @Test
    void dns01WrongDigestListsWhatWasFound() {
        Pending p = pending("dns-01", "dns", "wrong.dns01.test");
        ValidationPeers.addTxt("_acme-challenge.wrong.dns01.test", "not-the-digest");
        JsonPath ch = answer(p, "invalid");
        problem(ch, "incorrectResponse", "[not-the-digest]");
        assertThat(ch.getList("validationRecord[0].dnsAnswers", String.class),
                hasItem("TXT \"not-the-digest\""));
    }

    // ---- tls-alpn-01 ---------------------------------------------------------------------

    @Test
    void tlsAlpn01ValidatesARealHandshake() {
        Pending p = pending("tls-alpn-01", "dns", "ok.alpn.test");
        ValidationPeers.tls().serveDns("ok.alpn.test", p.keyAuthorization());
        JsonPath ch = answer(p, "valid");
        assertThat(ch.getString("validationRecord[0].certificate"),
                containsString("acmeIdentifier present (critical)"));
    }

    @Test
    void tlsAlpn01WrongDigest() {
        Pending p = pending("tls-alpn-01", "dns", "digest.alpn.test");
        ValidationPeers.tls().serveDns("digest.alpn.test", "another.authorization");
        JsonPath ch = answer(p, "invalid");
        problem(ch, "incorrectResponse", "expected SHA-256 of the key");
        assertThat(ch.getString("validationRecord[0].certificate"),
                containsString("SAN [DNS:digest.alpn.test]"));
        assertEquals("127.0.0.1", ch.getString("validationRecord[0].addressUsed"));
    }

    @Test
    void tlsAlpn01NonCriticalExtension() {
        Pending p = pending("tls-alpn-01", "dns", "critical.alpn.test");
        ValidationPeers.tls().serve("critical.alpn.test", new TlsAlpnResponder.Spec(List.of(
                new GeneralName(GeneralName.dNSName, "critical.alpn.test")),
                TlsAlpnResponder.sha256(p.keyAuthorization()), false, true));
        problem(answer(p, "invalid"), "incorrectResponse", "is not critical");
    }

    @Test
    void tlsAlpn01ExtraSubjectAltName() {
        Pending p = pending("tls-alpn-01", "dns", "extra.alpn.test");
        ValidationPeers.tls().serve("extra.alpn.test", new TlsAlpnResponder.Spec(List.of(
                new GeneralName(GeneralName.dNSName, "extra.alpn.test"),
                new GeneralName(GeneralName.dNSName, "other.alpn.test")),
                TlsAlpnResponder.sha256(p.keyAuthorization()), true, true));
        problem(answer(p, "invalid"), "incorrectResponse", "exactly [DNS:extra.alpn.test]");
    }

    @Test
    void tlsAlpn01WithoutAlpn() {
        Pending p = pending("tls-alpn-01", "dns", "noalpn.alpn.test");
        ValidationPeers.tls().serve("noalpn.alpn.test", new TlsAlpnResponder.Spec(List.of(
                new GeneralName(GeneralName.dNSName, "noalpn.alpn.test")),
                TlsAlpnResponder.sha256(p.keyAuthorization()), true, false));
        problem(answer(p, "invalid"), "tls", "did not negotiate ALPN acme-tls/1");
    }

    // ---- wildcards -----------------------------------------------------------------------

    @Test
    void wildcardGetsADnsOnlyWildcardAuthorizationAndCertificate() throws Exception {
        Account a = TestAcme.newAccount();
        Response r = Orders.create(a, "*.wild.test");
        r.then().statusCode(201).body("identifiers[0].value", equalTo("*.wild.test"));
        String authz = r.jsonPath().getString("authorizations[0]");
        JsonPath az = postAsGet(a, authz).jsonPath();
        assertEquals("wild.test", az.getString("identifier.value"));
        assertTrue(az.getBoolean("wildcard"));
        assertEquals(List.of("dns-01"), az.getList("challenges.type"));
        String token = az.getString("challenges[0].token");
        ValidationPeers.addTxt("_acme-challenge.wild.test",
                Dns01Validator.txtValue(Orders.keyAuthorization(a, token)));
        postKid(a, az.getString("challenges[0].url"), "{}").then().statusCode(200);
        Orders.awaitStatus(a, authz, "valid");
        X509Certificate cert = finalizeAndFetch(a, r.header("Location"), "*.wild.test");
        assertEquals("*.wild.test", cert.getSubjectAlternativeNames().iterator().next().get(1));
    }

    // ---- IP identifiers ------------------------------------------------------------------

    @Test
    void ipv4OverHttp01GetsAnIpAddressSan() throws Exception {
        Pending p = pending("http-01", "ip", "127.0.0.1");
        ValidationPeers.serve(p.token(), p.keyAuthorization());
        JsonPath ch = answer(p, "valid");
        assertEquals("127.0.0.1", ch.getString("validationRecord[0].addressUsed"));
        X509Certificate cert = finalizeAndFetch(p.account(), p.order(), "127.0.0.1");
        List<?> san = cert.getSubjectAlternativeNames().iterator().next();
        assertEquals(7, san.get(0), "iPAddress");
        assertEquals("127.0.0.1", san.get(1));
        assertEquals("", cert.getSubjectX500Principal().getName(), "no CN for an IP");
    }

    @Test
    void ipv6OverTlsAlpn01UsesTheReverseNameAsSni() {
        Pending p = pending("tls-alpn-01", "ip", "0:0:0:0:0:0:0:1");
        ValidationPeers.tls().serveIp("::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0"
                + ".0.0.0.0.0.0.0.0.ip6.arpa", p.keyAuthorization());
        answer(p, "valid");
        postAsGet(p.account(), p.authz()).then().body("identifier.value", equalTo("::1"));
    }

    @Test
    void ipIdentifiersOfferNoDns01() {
        Account a = TestAcme.newAccount();
        String authz = postKid(a, "/acme/new-order", "{\"identifiers\":[{\"type\":\"ip\","
                + "\"value\":\"127.0.0.1\"}]}").jsonPath().getString("authorizations[0]");
        postAsGet(a, authz).then().body("challenges.type", equalTo(List.of("http-01",
                "tls-alpn-01")));
    }

    // ---- CAA -----------------------------------------------------------------------------

    @Test
    void caaNamingAnotherCaForbidsIssuance() {
        Pending p = pending("http-01", "dns", "www.caa-other.test");
        ValidationPeers.caa("caa-other.test", "issue other-ca.example");
        ValidationPeers.serve(p.token(), p.keyAuthorization());
        JsonPath ch = answer(p, "invalid");
        problem(ch, "caa", "CAA records at caa-other.test forbid issuance");
        assertThat(ch.getString("error.detail"), containsString("other-ca.example"));
        assertThat(ch.getList("validationRecord.dnsAnswers.flatten()", String.class),
                hasItem("CAA 0 issue \"other-ca.example\""));
        assertThat(ch.getList("validationRecord.note", String.class), hasItem("CAA forbids"));
    }

    @Test
    void caaNamingThisCaAllowsIssuance() {
        Pending p = pending("http-01", "dns", "caa-ours.test");
        ValidationPeers.caa("caa-ours.test", "issue localhost");
        ValidationPeers.serve(p.token(), p.keyAuthorization());
        answer(p, "valid");
    }

    @Test
    void caaAccountUriAndValidationMethodsAreChecked() {
        Pending p = pending("http-01", "dns", "caa-methods.test");
        ValidationPeers.caa("caa-methods.test", "issue localhost; validationmethods=dns-01");
        ValidationPeers.serve(p.token(), p.keyAuthorization());
        problem(answer(p, "invalid"), "caa", "validationmethods does not include http-01");

        Pending q = pending("http-01", "dns", "caa-account.test");
        ValidationPeers.caa("caa-account.test", "issue localhost; accounturi="
                + "https://localhost:8443/acme/account/someone-else");
        ValidationPeers.serve(q.token(), q.keyAuthorization());
        problem(answer(q, "invalid"), "caa", "accounturi is not");
    }

    @Test
    void issuewildGovernsWildcards() {
        Account a = TestAcme.newAccount();
        ValidationPeers.caa("caa-wild.test", "issue localhost", "issuewild ;");
        String authz = Orders.create(a, "*.caa-wild.test").jsonPath()
                .getString("authorizations[0]");
        JsonPath az = postAsGet(a, authz).jsonPath();
        ValidationPeers.addTxt("_acme-challenge.caa-wild.test", Dns01Validator.txtValue(
                Orders.keyAuthorization(a, az.getString("challenges[0].token"))));
        postKid(a, az.getString("challenges[0].url"), "{}").then().statusCode(200);
        Orders.awaitStatus(a, authz, "invalid");
        problem(new JsonPath(postAsGet(a, az.getString("challenges[0].url")).asString()), "caa",
                "no CA may issue");
    }

    // ---- retries, reuse, pre-authorization ------------------------------------------------

    @Test
    void aFailedAttemptIsRetriedAndThenSucceeds() {
        Pending p = pending("http-01", "dns", "retry.test");
        ValidationPeers.serveInTurn(p.token(), new ValidationPeers.Response(503, "busy", null),
                new ValidationPeers.Response(200, p.keyAuthorization(), null));
        answer(p, "valid");
        assertEquals(2, ValidationPeers.hits(p.token()));
    }

    @Test
    void attemptsAreBoundedThenInvalid() {
        Pending p = pending("http-01", "dns", "bounded.test");
        JsonPath ch = answer(p, "invalid");
        problem(ch, "incorrectResponse", "HTTP 404");
        assertEquals(2, ValidationPeers.hits(p.token()), "certapi.validation.attempts=2");
    }

    @Test
    void validAuthorizationsAreReusedByTheNextOrder() {
        Account a = TestAcme.newAccount();
        Orders.ready(a, "reuse.test");
        Response second = Orders.create(a, "reuse.test");
        second.then().statusCode(201).body("status", equalTo("ready"));
        Response otherAccount = Orders.create(TestAcme.newAccount(), "reuse.test");
        otherAccount.then().statusCode(201).body("status", equalTo("pending"));
    }

    @Test
    void preAuthorizationThenOrderIsReady() {
        Account a = TestAcme.newAccount();
        Response r = postKid(a, TestAcme.url("/acme/new-authz"),
                "{\"identifier\":{\"type\":\"dns\",\"value\":\"pre.test\"}}");
        r.then().statusCode(201).body("status", equalTo("pending"))
                .body("challenges", hasSize(3));
        String authz = r.header("Location");
        JsonPath ch = Orders.http01(a, authz);
        ValidationPeers.serve(ch.getString("token"), Orders.keyAuthorization(a,
                ch.getString("token")));
        postKid(a, ch.getString("url"), "{}").then().statusCode(200);
        Orders.awaitStatus(a, authz, "valid");
        Orders.create(a, "pre.test").then().statusCode(201).body("status", equalTo("ready"))
                .body("authorizations[0]", equalTo(authz));
        AccountErrorsTest.problem(postKid(a, TestAcme.url("/acme/new-authz"),
                "{\"identifier\":{\"type\":\"dns\",\"value\":\"*.pre.test\"}}").then(), 400,
                "malformed", "cannot be pre-authorized");
        TestAcme.newAccount();
        given().get("/acme/directory").then().body("newAuthz", containsString("/acme/new-authz"));
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }

    static X509Certificate finalizeAndFetch(Account a, String order, String name)
            throws Exception {
        byte[] csr = name.matches("[0-9.]+|.*:.*") ? ipCsr(name) : Orders.csr(Orders.ecKeyPair(),
                name);
        postKid(a, order + "/finalize", Orders.finalizePayload(csr)).then().statusCode(200);
        String cert = Orders.awaitStatus(a, order, "valid").getString("certificate");
        String pem = postAsGet(a, cert).asString();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes()));
    }

    private static byte[] ipCsr(String ip) throws Exception {
        var key = Orders.ecKeyPair();
        var ext = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
        ext.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new GeneralName(GeneralName.iPAddress,
                        ip)));
        return new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("O=test"), key.getPublic())
                .addAttribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers
                        .pkcs_9_at_extensionRequest, ext.generate())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                        "SHA256withECDSA").build(key.getPrivate())).getEncoded();
    }
}
