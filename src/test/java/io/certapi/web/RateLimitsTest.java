package io.certapi.web;

import static io.certapi.testing.TestAcme.postKid;
import static io.certapi.web.AccountErrorsTest.problem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.store.AccountEntity;
import io.certapi.store.OrderEntity;
import io.certapi.store.RateBucketEntity;
import io.certapi.testing.Admin;
import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rate limits, low enough to reach: a flood of newAccount and newOrder from one source
 * stops at the limit, with rateLimited, a Retry-After and the limit's name, while what the
 * database holds stays bounded; failed validations, pending authorizations and certificates
 * per domain; and an account's own values through the admin API.
 */
@QuarkusTest
@TestProfile(RateLimitsTest.Low.class)
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class RateLimitsTest {

    /** Limits a test can reach in a few requests. */
    public static class Low implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "certapi.rate-limits.new-accounts-per-ip", "6/1h",
                    "certapi.rate-limits.new-orders-per-account", "3/1h",
                    "certapi.rate-limits.failed-validations-per-name", "1/1h",
                    "certapi.rate-limits.pending-authorizations-per-account", "4",
                    "certapi.rate-limits.certificates-per-domain", "2/1h",
                    "certapi.rate-limits.issuance", "3/1h",
                    // A database and a CA of its own: counts start from zero.
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:ratelimits;DB_CLOSE_DELAY=-1",
                    "certapi.data-dir", "target/test-data-rate-limits");
        }
    }

    private static void rateLimited(Response r, String limit) {
        problem(r.then(), 429, "rateLimited", "rate limit " + limit);
        String retryAfter = r.header("Retry-After");
        assertTrue(retryAfter != null && Long.parseLong(retryAfter) >= 1, "Retry-After");
    }

    @Test
    void everyLimitStopsAtItsCountAndTheDatabaseStaysBounded() {
        // newAccount: six from this address, then no more, however many are tried.
        Account[] accounts = new Account[6];
        for (int i = 0; i < 6; i++) {
            accounts[i] = TestAcme.newAccount();
        }
        long held = QuarkusTransaction.requiringNew().call(() -> AccountEntity.count());
        for (int i = 0; i < 20; i++) {
            Account extra = TestAcme.ecKey();
            Response r = TestAcme.post("/acme/new-account", TestAcme.jws(extra,
                    "/acme/new-account", "{\"termsOfServiceAgreed\":true}", false, h -> { }));
            rateLimited(r, "new-accounts-per-ip");
        }
        assertEquals(held, QuarkusTransaction.requiringNew().call(() -> AccountEntity.count()),
                "no account was created past the limit");

        // newOrder: three per account, then none; another account is not affected.
        Account a = accounts[0];
        for (int i = 0; i < 3; i++) {
            Orders.create(a, "flood" + i + ".limits.test").then().statusCode(201);
        }
        for (int i = 0; i < 20; i++) {
            rateLimited(Orders.create(a, "more" + i + ".limits.test"), "new-orders-per-account");
        }
        assertEquals(3L, QuarkusTransaction.requiringNew().call(() ->
                OrderEntity.count("accountId", a.kid.substring(a.kid.lastIndexOf('/') + 1))));

        // An account's own value, through the admin API, lifts it; removing it restores it.
        String id = a.kid.substring(a.kid.lastIndexOf('/') + 1);
        Admin.as().body("{\"rate\":\"5/1h\"}").put("/admin/accounts/" + id
                + "/rate-limits/new-orders-per-account").then().statusCode(200)
                .body("find { it.name == 'new-orders-per-account' }.rate", equalTo("5/1h"))
                .body("find { it.name == 'new-orders-per-account' }.overridden", equalTo(true));
        Orders.create(a, "lifted.limits.test").then().statusCode(201);
        Admin.as().delete("/admin/accounts/" + id + "/rate-limits/new-orders-per-account")
                .then().statusCode(200)
                .body("find { it.name == 'new-orders-per-account' }.rate", equalTo("3/1h"));
        Admin.as().body("{\"rate\":\"5/1h\"}").put("/admin/accounts/" + id
                + "/rate-limits/new-accounts-per-ip").then().statusCode(400)
                .body("detail", containsString("not per account"));

        // Pending authorizations: account b holds 3 and may not ask for 2 more.
        Account b = accounts[1];
        Orders.create(b, "p1.limits.test", "p2.limits.test", "p3.limits.test").then()
                .statusCode(201);
        rateLimited(Orders.create(b, "p4.limits.test", "p5.limits.test"),
                "pending-authorizations-per-account");

        // Failed validations: once a validation of a name failed, a new order for it waits.
        Account c = accounts[2];
        Response order = Orders.create(c, "fails.limits.test");
        String authz = order.jsonPath().getString("authorizations[0]");
        JsonPath ch = Orders.http01(c, authz);
        ValidationPeers.serve(ch.getString("token"), "not the key authorization");
        postKid(c, ch.getString("url"), "{}");
        Orders.awaitStatus(c, authz, "invalid");
        rateLimited(Orders.create(c, "fails.limits.test"), "failed-validations-per-name");
        Orders.create(c, "other.limits.test").then().statusCode(201);

        // Certificates per registered domain: two under cert.test, then finalize is refused
        // and the order stays ready.
        Account d = accounts[3];
        Account e = accounts[4];
        finalizes(d, "one.cert.test");
        finalizes(e, "two.cert.test");
        String third = Orders.ready(accounts[5], "three.cert.test");
        rateLimited(postKid(accounts[5], third + "/finalize", Orders.finalizePayload(
                Orders.csr(Orders.ecKeyPair(), "three.cert.test"))), "certificates-per-domain");
        TestAcme.postAsGet(accounts[5], third).then().body("status", equalTo("ready"));

        // The CA's issuance ceiling: the refused finalize counted nothing; a third certificate
        // under another domain is issued, a fourth is refused for the whole CA.
        finalizes(accounts[5], "ceiling.other.test");
        String fourth = Orders.ready(accounts[5], "ceiling.another.test");
        rateLimited(postKid(accounts[5], fourth + "/finalize", Orders.finalizePayload(
                Orders.csr(Orders.ecKeyPair(), "ceiling.another.test"))), "issuance");

        // One bucket per limit and subject: the floods above left a handful of rows.
        long buckets = QuarkusTransaction.requiringNew().call(() -> RateBucketEntity.count());
        assertTrue(buckets <= 20, buckets + " buckets");
    }

    private static void finalizes(Account a, String name) {
        String order = Orders.ready(a, name);
        postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csr(Orders.ecKeyPair(),
                name))).then().statusCode(200);
        Orders.awaitStatus(a, order, "valid");
    }
}
