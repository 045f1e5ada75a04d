package io.certapi.web;

import static org.hamcrest.Matchers.equalTo;

import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** certapi.validation.always-valid: challenges succeed with no responder and no DNS answer. */
@QuarkusTest
@TestProfile(AlwaysValidTest.AlwaysValid.class)
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class AlwaysValidTest {

    /** The switch on. */
    public static class AlwaysValid implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("certapi.validation.always-valid", "true");
        }
    }

    @Test
    void challengeIsValidWithoutAnyNetworkCheck() {
        Account a = TestAcme.newAccount();
        String name = "nowhere.always-valid.test";
        ValidationPeers.servfail(name);
        String authz = Orders.create(a, name).jsonPath().getString("authorizations[0]");
        JsonPath ch = Orders.http01(a, authz);
        TestAcme.postKid(a, ch.getString("url"), "{}").then().statusCode(200);
        Orders.awaitStatus(a, authz, "valid");
        TestAcme.postAsGet(a, ch.getString("url")).then()
                .body("status", equalTo("valid"))
                .body("validationRecord[0].note",
                        equalTo("certapi.validation.always-valid: not checked"));
    }
}
