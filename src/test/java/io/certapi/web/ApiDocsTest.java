package io.certapi.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;

import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API documentation the original certapi's backlog asked for: OpenAPI and Swagger UI. */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class ApiDocsTest {

    @ParameterizedTest(name = "{0} is documented")
    @ValueSource(strings = {"/acme/directory", "/acme/new-nonce", "/acme/new-account",
        "/acme/account/{id}", "/acme/account/{id}/orders", "/acme/key-change", "/acme/new-order",
        "/acme/new-authz", "/acme/order/{id}", "/acme/order/{id}/finalize", "/acme/authz/{id}",
        "/acme/chall/{id}", "/acme/cert/{id}", "/acme/revoke-cert", "/roots/0",
        "/intermediates/0"})
    void openApiDocumentsEveryResource(String path) {
        given().accept("application/json").get("/openapi?format=json").then().statusCode(200)
                .body("info.title", containsString("certapi"))
                .body("paths", hasKey(path));
    }

    @Test
    void healthReportsUpWithTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body(containsString("Database connections health check"));
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/swagger-ui/").then().statusCode(200)
                .body(containsString("swagger-ui"));
    }
}
