package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static io.certapi.web.AccountErrorsTest.problem;
import static org.hamcrest.Matchers.equalTo;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Authorizations and challenges (RFC 8555 §7.5): every refusal, over HTTP. */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class AuthorizationErrorsTest {

    @Test
    void authorizationsAndChallengesAreTheirOwnersOnly() {
        Account a = TestAcme.newAccount();
        String authz = Orders.create(a, "mine.authz.test").jsonPath()
                .getString("authorizations[0]");
        String chall = Orders.http01(a, authz).getString("url");
        Account b = TestAcme.newAccount();
        problem(postAsGet(b, authz).then(), 403, "unauthorized", "another account");
        problem(postAsGet(b, chall).then(), 403, "unauthorized", "another account");
        problem(postKid(b, chall, "{}").then(), 403, "unauthorized", "another account");
        problem(postAsGet(a, TestAcme.url("/acme/authz/nosuch")).then(), 404, "malformed",
                "no authorization");
        problem(postAsGet(a, TestAcme.url("/acme/chall/nosuch")).then(), 404, "malformed",
                "no challenge");
    }

    @Test
    void onlyDeactivationIsAnUpdate() {
        Account a = TestAcme.newAccount();
        String authz = Orders.create(a, "update.authz.test").jsonPath()
                .getString("authorizations[0]");
        problem(postKid(a, authz, "{\"status\":\"valid\"}").then(), 400, "malformed",
                "{\"status\": \"deactivated\"}");
        postKid(a, authz, "{\"status\":\"deactivated\"}").then().statusCode(200)
                .body("status", equalTo("deactivated"));
        problem(postKid(a, authz, "{\"status\":\"deactivated\"}").then(), 400, "malformed",
                "authorization is deactivated");
    }

    @Test
    void challengeOfADeactivatedAuthorizationCannotBeAnswered() {
        Account a = TestAcme.newAccount();
        String authz = Orders.create(a, "late.authz.test").jsonPath()
                .getString("authorizations[0]");
        String chall = Orders.http01(a, authz).getString("url");
        postKid(a, authz, "{\"status\":\"deactivated\"}").then().statusCode(200);
        problem(postKid(a, chall, "{}").then(), 400, "malformed",
                "only while it is pending");
    }

    @Test
    void authorizationShowsIdentifierStatusExpiryAndChallenge() {
        Account a = TestAcme.newAccount();
        String authz = Orders.create(a, "show.authz.test").jsonPath()
                .getString("authorizations[0]");
        postAsGet(a, authz).then().statusCode(200)
                .body("identifier.type", equalTo("dns"))
                .body("identifier.value", equalTo("show.authz.test"))
                .body("status", equalTo("pending"))
                .body("challenges.type", equalTo(java.util.List.of("dns-01", "http-01",
                        "tls-alpn-01")))
                .body("challenges.status", equalTo(java.util.List.of("pending", "pending",
                        "pending")));
    }
}
