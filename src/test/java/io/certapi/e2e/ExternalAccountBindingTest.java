package io.certapi.e2e;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.Admin;
import io.certapi.testing.TestAcme;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.Base64;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * External Account Binding (RFC 8555 §7.3.4) with keys made through the admin API: acme4j binds
 * an account, and every way a binding can be wrong is refused with a problem document. The
 * admin API itself is closed to anyone without the token.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class ExternalAccountBindingTest {

    private Session session;

    @BeforeEach
    void session() {
        session = AcmeFlows.session();
    }

    @Test
    void adminApiNeedsTheToken() {
        RestAssured.given().get("/admin/eab-keys").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"certapi admin\"")
                .body("detail", containsString("Authorization: Bearer"));
        RestAssured.given().header("Authorization", "Bearer wrong").post("/admin/eab-keys")
                .then().statusCode(401);
        RestAssured.given().header("Authorization", "Basic " + Admin.TOKEN)
                .get("/admin/ca").then().statusCode(401);
        Admin.as().get("/admin/eab-keys").then().statusCode(200);
    }

    @Test
    void acme4jBindsAnAccountAndTheKeyThenShowsIt() throws Exception {
        JsonPath key = Admin.newEabKey("team-a");
        String kid = key.getString("keyId");
        Account account = new AccountBuilder().agreeToTermsOfService()
                .withKeyIdentifier(kid, key.getString("hmacKey"))
                .useKeyPair(KeyPairUtils.createKeyPair()).create(session);
        assertEquals(Status.VALID, account.getStatus());
        Admin.as().get("/admin/eab-keys").then().statusCode(200)
                .body("find { it.keyId == '" + kid + "' }.account",
                        equalTo(account.getLocation().toString()))
                .body("find { it.keyId == '" + kid + "' }.label", equalTo("team-a"))
                .body("find { it.keyId == '" + kid + "' }.hmacKey", nullValue());

        // A key binds one account only.
        AcmeServerException again = assertThrows(AcmeServerException.class, () ->
                new AccountBuilder().agreeToTermsOfService()
                        .withKeyIdentifier(kid, key.getString("hmacKey"))
                        .useKeyPair(KeyPairUtils.createKeyPair()).create(session));
        assertTrue(again.getMessage().contains("already bound"), again.getMessage());
    }

    @Test
    void disabledUnknownAndWrongKeysAreRefused() throws Exception {
        JsonPath key = Admin.newEabKey("to-disable");
        String kid = key.getString("keyId");
        Admin.as().post("/admin/eab-keys/" + kid + "/disable").then().statusCode(200)
                .body("status", equalTo("disabled"));
        assertUnauthorized(kid, key.getString("hmacKey"), "unknown or disabled");
        assertUnauthorized("kid-nobody", key.getString("hmacKey"), "unknown or disabled");
        JsonPath other = Admin.newEabKey("wrong-mac");
        assertUnauthorized(other.getString("keyId"), key.getString("hmacKey"),
                "MAC does not verify");
        Admin.as().post("/admin/eab-keys/kid-nobody/disable").then().statusCode(404);
        Admin.as().get("/admin/eab-keys").then()
                .body("keyId", hasItem(kid));
    }

    private void assertUnauthorized(String kid, String hmac, String detail) {
        AcmeServerException e = assertThrows(AcmeServerException.class, () ->
                new AccountBuilder().agreeToTermsOfService().withKeyIdentifier(kid, hmac)
                        .useKeyPair(KeyPairUtils.createKeyPair()).create(session));
        assertTrue(e.getType().toString().endsWith(":unauthorized"), e.toString());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void aBindingForAnotherUrlOrAnotherKeyIsMalformed() throws Exception {
        JsonPath key = Admin.newEabKey("raw");
        TestAcme.Account a = TestAcme.ecKey();
        TestAcme.Account someoneElse = TestAcme.ecKey();
        String url = TestAcme.url("/acme/new-account");
        byte[] hmac = Base64.getUrlDecoder().decode(key.getString("hmacKey"));
        String kid = key.getString("keyId");

        newAccount(a, binding(kid, hmac, url + "x", a)).then().statusCode(400)
                .body("type", equalTo("urn:ietf:params:acme:error:malformed"))
                .body("detail", containsString("url"));
        newAccount(a, binding(kid, hmac, url, someoneElse)).then().statusCode(400)
                .body("detail", containsString("account key of the outer JWS"));
        newAccount(a, "\"not a jws\"").then().statusCode(400);
        // The right one still works afterwards: failed attempts do not use the key up.
        newAccount(a, binding(kid, hmac, url, a)).then().statusCode(201);
    }

    private static io.restassured.response.Response newAccount(TestAcme.Account a,
            String bindingJson) {
        return TestAcme.post("/acme/new-account", TestAcme.jws(a, "/acme/new-account",
                "{\"termsOfServiceAgreed\":true,\"externalAccountBinding\":" + bindingJson + "}",
                false, h -> { }));
    }

    private static String binding(String kid, byte[] hmac, String url, TestAcme.Account of)
            throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("url", url);
        jws.setPayload(of.key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        jws.setKey(new HmacKey(hmac));
        jws.sign();
        String[] parts = jws.getCompactSerialization().split("\\.");
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of(
                "protected", parts[0], "payload", parts[1], "signature", parts[2]));
    }
}
