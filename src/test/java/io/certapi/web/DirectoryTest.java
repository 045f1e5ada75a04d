package io.certapi.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The directory, newNonce, and what every ACME response carries (RFC 8555 §7.1, §7.2). */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class DirectoryTest {

    @Test
    void directoryListsEveryResourceAndMeta() {
        given().get("/acme/directory").then().statusCode(200)
                .contentType("application/json")
                .body("newNonce", endsWith("/acme/new-nonce"))
                .body("newAccount", endsWith("/acme/new-account"))
                .body("newOrder", endsWith("/acme/new-order"))
                .body("revokeCert", endsWith("/acme/revoke-cert"))
                .body("keyChange", endsWith("/acme/key-change"))
                .body("meta.externalAccountRequired", equalTo(false));
    }

    @Test
    void headNewNonceIs200WithNoStore() {
        given().head("/acme/new-nonce").then().statusCode(200)
                .header("Replay-Nonce", not(emptyOrNullString()))
                .header("Cache-Control", "no-store")
                .header("Link", containsString("rel=\"index\""));
    }

    @Test
    void getNewNonceIs204WithNoStore() {
        given().get("/acme/new-nonce").then().statusCode(204)
                .header("Replay-Nonce", not(emptyOrNullString()))
                .header("Cache-Control", "no-store");
    }

    @Test
    void everyNonceIsNew() {
        String a = given().head("/acme/new-nonce").header("Replay-Nonce");
        String b = given().head("/acme/new-nonce").header("Replay-Nonce");
        org.junit.jupiter.api.Assertions.assertNotEquals(a, b);
    }

    @ParameterizedTest(name = "GET {0} is 405")
    @ValueSource(strings = {"/acme/account/x", "/acme/order/x", "/acme/authz/x", "/acme/chall/x",
        "/acme/cert/x", "/acme/order/x/finalize", "/acme/new-order", "/acme/new-account",
        "/acme/revoke-cert", "/acme/key-change", "/acme/account/x/orders"})
    void plainGetOnPostResourceIs405Problem(String path) {
        given().get(path).then().statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ietf:params:acme:error:malformed"))
                .body("detail", containsString("POST-as-GET"))
                .header("Replay-Nonce", not(emptyOrNullString()));
    }

    @Test
    void unknownAcmePathIs404Problem() {
        given().contentType("application/jose+json").body("{}").post("/acme/nothing-here")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ietf:params:acme:error:malformed"))
                .header("Replay-Nonce", not(emptyOrNullString()));
    }

    @Test
    void rootAndIntermediateAreServedAsPem() {
        given().get("/roots/0").then().statusCode(200)
                .contentType("application/pem-certificate-chain")
                .body(containsString("BEGIN CERTIFICATE"));
        given().get("/intermediates/0").then().statusCode(200)
                .body(containsString("BEGIN CERTIFICATE"));
    }
}
