package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Certificate profiles: listed in the directory, chosen in newOrder, applied at issuance. */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class ProfilesTest {

    @Test
    void directoryListsTheProfiles() {
        given().get("/acme/directory").then()
                .body("meta.profiles.short", equalTo("Two-minute certificates"))
                .body("meta.profiles.default", containsString("PT10M"))
                .body("meta.profiles.tlsserver", containsString("PT10M"));
    }

    @Test
    void anUnknownProfileIsInvalidProfile() {
        AccountErrorsTest.problem(postKid(TestAcme.newAccount(), "/acme/new-order",
                "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"p.test\"}],\"profile\":"
                + "\"nope\"}").then(), 400, "invalidProfile",
                "offers [default, short, tlsserver]");
    }

    @Test
    void theShortProfileIssuesTwoMinuteCertificates() throws Exception {
        X509Certificate cert = issue("short", "short.profile.test");
        assertEquals(Duration.ofMinutes(2), Duration.between(cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant()));
        assertEquals("CN=short.profile.test", cert.getSubjectX500Principal().getName());
    }

    @Test
    void aProfileCanDropTheCnAndClientAuth() throws Exception {
        X509Certificate cert = issue("tlsserver", "server.profile.test");
        assertEquals("", cert.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage());
    }

    @Test
    void aProfileSetsTheKeyUsagesOfAnRsaKey() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        // KeyUsage bits: 0 digitalSignature, 2 keyEncipherment.
        boolean[] classic = issue("default", "rsa.profile.test", g.generateKeyPair())
                .getKeyUsage();
        assertEquals(true, classic[0]);
        assertEquals(true, classic[2], "the default profile keeps keyEncipherment");
        boolean[] server = issue("tlsserver", "rsa-server.profile.test", g.generateKeyPair())
                .getKeyUsage();
        assertEquals(true, server[0]);
        assertEquals(false, server[2], "tlsserver drops keyEncipherment");
    }

    private static X509Certificate issue(String profile, String name) throws Exception {
        return issue(profile, name, Orders.ecKeyPair());
    }

    private static X509Certificate issue(String profile, String name,
            java.security.KeyPair key) throws Exception {
        Account a = TestAcme.newAccount();
        var r = postKid(a, "/acme/new-order", "{\"identifiers\":[{\"type\":\"dns\",\"value\":\""
                + name + "\"}],\"profile\":\"" + profile + "\"}");
        r.then().statusCode(201).body("profile", equalTo(profile));
        String order = r.header("Location");
        String authz = r.jsonPath().getString("authorizations[0]");
        var ch = Orders.http01(a, authz);
        ValidationPeers.serve(ch.getString("token"), Orders.keyAuthorization(a,
                ch.getString("token")));
        postKid(a, ch.getString("url"), "{}").then().statusCode(200);
        Orders.awaitStatus(a, authz, "valid");
        byte[] csr = key.getPublic() instanceof java.security.interfaces.RSAPublicKey
                ? Orders.csrWith(key, "SHA256withRSA", name, name) : Orders.csr(key, name);
        postKid(a, order + "/finalize", Orders.finalizePayload(csr)).then().statusCode(200);
        String cert = Orders.awaitStatus(a, order, "valid").getString("certificate");
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(postAsGet(a, cert).asString().getBytes()));
    }
}
