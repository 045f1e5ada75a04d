package io.certapi.web;

import static io.certapi.testing.TestAcme.jws;
import static io.certapi.testing.TestAcme.post;
import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static io.certapi.web.AccountErrorsTest.problem;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

/** revokeCert (RFC 8555 §7.6): every refusal, over HTTP. */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class RevocationErrorsTest {

    private static final String REVOKE = "/acme/revoke-cert";

    /** An issued certificate, its key, and the account that ordered it. */
    record Issued(Account account, KeyPair key, byte[] der) {
    }

    static Issued issue(String name) throws Exception {
        Account a = TestAcme.newAccount();
        String order = Orders.ready(a, name);
        KeyPair key = Orders.ecKeyPair();
        postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csr(key, name)))
                .then().statusCode(200);
        String cert = Orders.awaitStatus(a, order, "valid").getString("certificate");
        String pem = postAsGet(a, cert).asString();
        X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes()));
        return new Issued(a, key, x.getEncoded());
    }

    static String payload(byte[] der, Integer reason) {
        return "{\"certificate\":\"" + TestAcme.b64(der) + "\""
                + (reason == null ? "" : ",\"reason\":" + reason) + "}";
    }

    @Test
    void anAccountAuthorizedForEveryNameMayRevoke() throws Exception {
        Issued c = issue("authorized.revoke.test");
        Account other = TestAcme.newAccount();
        // Authorized for another name only: refused, naming what is missing.
        Orders.ready(other, "unrelated.revoke.test");
        problem(postKid(other, REVOKE, payload(c.der(), 5)).then(), 403, "unauthorized",
                "[authorized.revoke.test]");
        // Once it proves control of the certificate's name too, it may revoke.
        Orders.ready(other, "authorized.revoke.test");
        postKid(other, REVOKE, payload(c.der(), 5)).then().statusCode(200);
    }

    @Test
    void reasonMustBeAnRfc5280Code() throws Exception {
        Issued c = issue("reason.revoke.test");
        problem(postKid(c.account(), REVOKE, payload(c.der(), 7)).then(), 400,
                "badRevocationReason", "reason 7");
        problem(postKid(c.account(), REVOKE, payload(c.der(), 11)).then(), 400,
                "badRevocationReason", "0 to 10, except 7");
        postKid(c.account(), REVOKE, payload(c.der(), 4)).then().statusCode(200);
        problem(postKid(c.account(), REVOKE, payload(c.der(), 4)).then(), 400, "alreadyRevoked",
                "already revoked");
    }

    @Test
    void certificateMustBeOneOfOurs() throws Exception {
        Account a = TestAcme.newAccount();
        problem(postKid(a, REVOKE, "{\"certificate\":\"AAAA\"}").then(), 400, "malformed",
                "not a DER-encoded X.509");
        problem(postKid(a, REVOKE, "{}").then(), 400, "malformed", "\"certificate\" is missing");
        byte[] foreign = io.certapi.ca.TestCertificates.selfSigned("foreign.test");
        problem(postKid(a, REVOKE, payload(foreign, null)).then(), 404, "malformed",
                "not issued by this server");
    }

    @Test
    void onlyTheOrderingAccountOrTheKeyMayRevoke() throws Exception {
        Issued c = issue("who.revoke.test");
        problem(postKid(TestAcme.newAccount(), REVOKE, payload(c.der(), null)).then(), 403,
                "unauthorized", "holds no valid authorization for [who.revoke.test]");
        Account stranger = TestAcme.ecKey();
        problem(post(REVOKE, jws(stranger, REVOKE, payload(c.der(), null), false, h -> { }))
                .then(), 403, "unauthorized", "not the key of certificate");
        // Signed with the certificate's own key (jwk): accepted.
        Account holder = new Account(PublicJsonWebKey.Factory.newPublicJwk(c.key().getPublic()),
                "ES256");
        holder.key.setPrivateKey(c.key().getPrivate());
        post(REVOKE, jws(holder, REVOKE, payload(c.der(), null), false, h -> { })).then()
                .statusCode(200);
    }
}
