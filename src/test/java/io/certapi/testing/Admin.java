package io.certapi.testing;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The admin API as an operator's script uses it, with the test profile's token. */
public final class Admin {

    /** %test.certapi.admin.token. */
    public static final String TOKEN = "test-admin-token";

    private Admin() {
    }

    /** A request carrying the admin token. */
    public static RequestSpecification as() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    /** Creates an EAB key; returns keyId and hmacKey. */
    public static JsonPath newEabKey(String label) {
        return as().contentType("application/json").body("{\"label\":\"" + label + "\"}")
                .post("/admin/eab-keys").then().statusCode(201).extract().jsonPath();
    }

    /** Asks the holder of one certificate (ARI id or certificate id) to renew now. */
    public static int renewNow(String certificate) {
        return as().contentType("application/json")
                .body("{\"certificate\":\"" + certificate + "\"}").post("/admin/renew-now")
                .then().statusCode(200).extract().jsonPath().getInt("marked");
    }
}
