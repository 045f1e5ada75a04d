package io.certapi.web;

import static io.certapi.testing.TestAcme.jws;
import static io.certapi.testing.TestAcme.post;
import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Accounts (RFC 8555 §7.3): every refusal with its problem type, status and detail. */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class AccountErrorsTest {

    private static final String NEW_ACCOUNT = "/acme/new-account";

    @Test
    void existingKeyReturnsTheSameAccountWith200() {
        Account a = TestAcme.newAccount();
        post(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, "{\"onlyReturnExisting\":true}", false, h -> { }))
                .then().statusCode(200).header("Location", a.kid);
        post(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, "{\"termsOfServiceAgreed\":true}", false, h -> { }))
                .then().statusCode(200).header("Location", a.kid);
    }

    @Test
    void onlyReturnExistingForAnUnknownKey() {
        Account a = TestAcme.ecKey();
        problem(post(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, "{\"onlyReturnExisting\":true}", false,
                h -> { })).then(), 400, "accountDoesNotExist", "onlyReturnExisting");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "tel:+15550100|unsupportedContact|only mailto: URLs",
        "mailto:a@b.test?subject=hi|invalidContact|without header fields",
        "mailto:a@b.test,c@d.test|invalidContact|without header fields",
        "mailto:not-an-address|invalidContact|not a valid e-mail address",
        "mailto:a@-bad-.test|invalidContact|not a valid e-mail address"})
    void badContactsAreRefused(String contact, String type, String detail) {
        Account a = TestAcme.ecKey();
        problem(post(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, "{\"contact\":[\"" + contact + "\"]}",
                false, h -> { })).then(), 400, type, detail);
    }

    @Test
    void tooManyContacts() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append("\"mailto:u").append(i).append("@e.test\"");
        }
        problem(post(NEW_ACCOUNT, jws(TestAcme.ecKey(), NEW_ACCOUNT, "{\"contact\":[" + many
                + "]}", false, h -> { })).then(), 400, "invalidContact", "at most 10");
    }

    @Test
    void contactUpdateIsCheckedToo() {
        Account a = TestAcme.newAccount();
        problem(postKid(a, a.kid, "{\"contact\":[\"http://example.test\"]}").then(), 400,
                "unsupportedContact", "only mailto:");
        postKid(a, a.kid, "{\"contact\":[\"mailto:new@example.test\"]}").then().statusCode(200)
                .body("contact[0]", equalTo("mailto:new@example.test"));
    }

    @Test
    void statusCanOnlyBeSetToDeactivated() {
        Account a = TestAcme.newAccount();
        problem(postKid(a, a.kid, "{\"status\":\"valid\"}").then(), 400, "malformed",
                "only be set to \"deactivated\"");
    }

    @Test
    void anotherAccountsUrlIsRefused() {
        Account a = TestAcme.newAccount();
        Account b = TestAcme.newAccount();
        problem(postAsGet(a, b.kid).then(), 403, "unauthorized", "signed by another account");
        problem(postAsGet(a, b.kid + "/orders").then(), 403, "unauthorized",
                "signed by another account");
    }

    @Test
    void deactivatedAccountCanDoNothingMore() {
        Account a = TestAcme.newAccount();
        postKid(a, a.kid, "{\"status\":\"deactivated\"}").then().statusCode(200)
                .body("status", equalTo("deactivated"));
        problem(Orders.create(a, "after.test").then(), 403, "unauthorized", "deactivated");
        problem(post(NEW_ACCOUNT, jws(a, NEW_ACCOUNT, "{}", false, h -> { })).then(), 403,
                "unauthorized", "deactivated");
    }

    @Test
    void ordersListIsPostAsGetAndPaged() {
        Account a = TestAcme.newAccount();
        for (int i = 0; i < 3; i++) {
            Orders.create(a, "p" + i + ".page.test").then().statusCode(201);
        }
        String list = a.kid + "/orders";
        java.util.List<String> links = postAsGet(a, list).then().statusCode(200)
                .body("orders", hasSize(2)).extract().headers().getValues("Link");
        org.hamcrest.MatcherAssert.assertThat(links, org.hamcrest.Matchers.hasItem(
                "<" + list + "?page=1>;rel=\"next\""));
        postAsGet(a, list + "?page=1").then().statusCode(200).body("orders", hasSize(1));
        problem(postKid(a, list, "{}").then(), 400, "malformed", "POST-as-GET");
        problem(postAsGet(a, list + "?page=x").then(), 400, "malformed", "non-negative");
    }

    @Test
    void termsAndEabDefaultsAreOpen() {
        // Without configured terms, agreement is optional; without EAB required, none needed.
        post(NEW_ACCOUNT, jws(TestAcme.ecKey(), NEW_ACCOUNT, "{}", false, h -> { })).then()
                .statusCode(201).body("status", equalTo("valid"))
                .body("orders", containsString("/orders"));
    }

    static ValidatableResponse problem(ValidatableResponse r, int status, String type,
            String detail) {
        return r.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("urn:ietf:params:acme:error:" + type))
                .body("status", equalTo(status))
                .body("detail", containsString(detail));
    }
}
