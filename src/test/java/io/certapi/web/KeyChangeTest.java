package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.web.AccountErrorsTest.problem;
import static org.hamcrest.Matchers.equalTo;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.junit.jupiter.api.Test;

/** keyChange (RFC 8555 §7.3.5): each of its checks refuses on its own, then a rollover works. */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class KeyChangeTest {

    private static final String KEY_CHANGE = "/acme/key-change";

    @Test
    void innerPayloadMustBeAJws() {
        Account a = TestAcme.newAccount();
        problem(TestAcme.postKid(a, KEY_CHANGE, "{}").then(), 400, "malformed",
                "\"protected\" is missing");
        problem(TestAcme.postAsGet(a, KEY_CHANGE).then(), 400, "malformed", "inner JWS");
    }

    @Test
    void innerJwsMustCarryTheNewKeyAsJwk() {
        Account a = TestAcme.newAccount();
        Account next = TestAcme.ecKey();
        next.kid = a.kid;
        problem(rollover(a, next, h -> {
            h.remove("jwk");
            h.put("kid", a.kid);
        }, p -> { }), 400, "malformed", "new key as jwk");
    }

    @Test
    void innerJwsMustNotCarryANonce() {
        Account a = TestAcme.newAccount();
        problem(rollover(a, TestAcme.ecKey(), h -> h.put("nonce", TestAcme.nonce()), p -> { }),
                400, "malformed", "must not carry a nonce");
    }

    @Test
    void innerUrlMustEqualOuterUrl() {
        Account a = TestAcme.newAccount();
        problem(rollover(a, TestAcme.ecKey(), h -> h.put("url", TestAcme.url("/acme/new-order")),
                p -> { }), 400, "malformed", "inner JWS url must equal");
    }

    @Test
    void innerSignatureMustVerifyWithTheNewKey() {
        Account a = TestAcme.newAccount();
        Account next = TestAcme.ecKey();
        Account other = TestAcme.ecKey();
        // Signed by "other" but claiming next's key.
        Map<String, Object> h = innerHeader(next);
        String inner = TestAcme.sign(other, h, JsonUtil.toJson(innerPayload(a)));
        problem(TestAcme.postKid(a, KEY_CHANGE, inner).then(), 400, "malformed",
                "does not verify");
    }

    @Test
    void accountMustBeTheOuterKid() {
        Account a = TestAcme.newAccount();
        problem(rollover(a, TestAcme.ecKey(), h -> { },
                p -> p.put("account", TestAcme.url("/acme/account/someoneelse"))), 400,
                "malformed", "must be the outer JWS kid");
    }

    @Test
    void oldKeyMustBeTheCurrentKey() {
        Account a = TestAcme.newAccount();
        problem(rollover(a, TestAcme.ecKey(), h -> { }, p -> p.put("oldKey",
                TestAcme.ecKey().key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))),
                400, "malformed", "oldKey is not the account's current key");
    }

    @Test
    void newKeyMustPassKeyPolicy() {
        Account a = TestAcme.newAccount();
        problem(rollover(a, TestAcme.rsaKey(1024), h -> { }, p -> { }), 400, "badPublicKey",
                "1024 bits");
    }

    @Test
    void newKeyOfAnotherAccountIsAConflictNamingIt() {
        Account a = TestAcme.newAccount();
        Account b = TestAcme.newAccount();
        problem(rollover(a, b, h -> { }, p -> { }), 409, "malformed", "already belongs")
                .header("Location", b.kid);
    }

    @Test
    void rolloverSwapsTheKey() {
        Account a = TestAcme.newAccount();
        Account next = TestAcme.ecKey();
        rollover(a, next, h -> { }, p -> { }).statusCode(200).body("status", equalTo("valid"));
        next.kid = a.kid;
        postAsGet(next, a.kid).then().statusCode(200);
        problem(postAsGet(a, a.kid).then(), 400, "malformed", "does not verify");
        Orders.create(next, "after-rollover.test").then().statusCode(201);
    }

    private static io.restassured.response.ValidatableResponse rollover(Account a, Account next,
            Consumer<Map<String, Object>> editHeader, Consumer<Map<String, Object>> editPayload) {
        Map<String, Object> h = innerHeader(next);
        editHeader.accept(h);
        Map<String, Object> p = innerPayload(a);
        editPayload.accept(p);
        String inner = TestAcme.sign(next, h, JsonUtil.toJson(p));
        return TestAcme.postKid(a, KEY_CHANGE, inner).then();
    }

    private static Map<String, Object> innerHeader(Account next) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", next.alg);
        h.put("jwk", next.key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        h.put("url", TestAcme.url(KEY_CHANGE));
        return h;
    }

    private static Map<String, Object> innerPayload(Account a) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("account", a.kid);
        p.put("oldKey", a.key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        return p;
    }
}
