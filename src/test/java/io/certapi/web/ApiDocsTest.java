package io.certapi.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;

import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
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
    void theDocumentSaysWhatTheResourceMethodsCannot() {
        var doc = given().accept("application/json").get("/openapi?format=json").then()
                .statusCode(200).extract().jsonPath();
        // Swagger UI's Authorize button: a bearer scheme, required by every admin operation.
        org.junit.jupiter.api.Assertions.assertEquals("bearer",
                doc.getString("components.securitySchemes.adminToken.scheme"));
        org.junit.jupiter.api.Assertions.assertEquals(List.of(java.util.Map.of("adminToken",
                List.of())), doc.getList("paths.'/admin/certificates'.get.security"));
        // ACME bodies are flattened JWS, newAccount and newOrder answer 201, errors are
        // problem documents, a CRL is DER.
        org.junit.jupiter.api.Assertions.assertNotNull(doc.get("paths.'/acme/new-order'.post"
                + ".requestBody.content.'application/jose+json'"));
        org.junit.jupiter.api.Assertions.assertNotNull(doc.get(
                "paths.'/acme/new-account'.post.responses.'201'"));
        org.junit.jupiter.api.Assertions.assertNotNull(doc.get("paths.'/acme/new-order'.post"
                + ".responses.'400'.content.'application/problem+json'"));
        org.junit.jupiter.api.Assertions.assertNotNull(doc.get("paths.'/crl/{issuer}'.get"
                + ".responses.'200'.content.'application/pkix-crl'"));
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
