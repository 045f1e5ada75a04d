package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certapi.flow.Audit;
import io.certapi.testing.Admin;
import io.certapi.testing.LogCapture;
import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log: one JSON object per state change, in the certapi.audit category; a validation
 * attempt that will be retried is a retry, not invalid.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class AuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private LogCapture capture;

    @BeforeEach
    void listen() {
        capture = LogCapture.of(Audit.CATEGORY);
    }

    @AfterEach
    void stopListening() {
        capture.close();
    }

    private List<JsonNode> events(String event) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : capture.messages()) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.has("time") && n.has("event"), line);
            if (event.equals(n.get("event").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void everyStateChangeIsOneJsonLine() throws Exception {
        Account a = TestAcme.newAccount();
        String id = a.kid.substring(a.kid.lastIndexOf('/') + 1);
        // A validation that fails once, then passes on the retry.
        var created = Orders.create(a, "audit.test");
        String order = created.header("Location");
        String authz = created.jsonPath().getString("authorizations[0]");
        JsonPath ch = Orders.http01(a, authz);
        ValidationPeers.serveInTurn(ch.getString("token"),
                new ValidationPeers.Response(500, "not yet", null),
                new ValidationPeers.Response(200, Orders.keyAuthorization(a,
                        ch.getString("token")), null));
        postKid(a, ch.getString("url"), "{}");
        Orders.awaitStatus(a, authz, "valid");
        postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csr(Orders.ecKeyPair(),
                "audit.test"))).then().statusCode(200);
        String certUrl = Orders.awaitStatus(a, order, "valid").getString("certificate");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(postAsGet(a, certUrl).asString()
                        .getBytes()));
        postKid(a, "/acme/revoke-cert", "{\"certificate\":\"" + TestAcme.b64(cert.getEncoded())
                + "\",\"reason\":1}").then().statusCode(200);
        Admin.as().get("/admin/ca").then().statusCode(200);
        RestAssured.given().header("Authorization", "Bearer wrong").get("/admin/ca").then()
                .statusCode(401);

        assertEquals(id, events("account.created").stream().filter(e ->
                e.get("account").asText().equals(id)).findFirst().orElseThrow()
                .get("account").asText());
        JsonNode orderCreated = events("order.created").stream().filter(e ->
                e.get("account").asText().equals(id)).findFirst().orElseThrow();
        assertEquals("dns:audit.test", orderCreated.get("identifiers").get(0).asText());
        List<JsonNode> validations = events("validation").stream().filter(e ->
                e.get("account").asText().equals(id)).toList();
        assertEquals(List.of("retry", "valid"), validations.stream().map(e ->
                e.get("outcome").asText()).toList(), "a failed attempt that is retried");
        assertEquals("127.0.0.1", validations.get(1).get("addressUsed").asText());
        assertTrue(validations.get(1).get("addressesResolved").toString().contains("127.0.0.1"));
        JsonNode issued = events("certificate.issued").stream().filter(e ->
                e.get("account").asText().equals(id)).findFirst().orElseThrow();
        assertEquals("dns:audit.test", issued.get("identifiers").get(0).asText());
        assertEquals(new java.math.BigInteger(issued.get("serial").asText(), 16),
                cert.getSerialNumber());
        JsonNode revoked = events("certificate.revoked").stream().filter(e ->
                e.get("serial").asText().equals(issued.get("serial").asText())).findFirst()
                .orElseThrow();
        assertEquals(1, revoked.get("reason").asInt());
        assertEquals("account " + id, revoked.get("by").asText());
        List<JsonNode> admin = events("admin.call");
        assertTrue(admin.stream().anyMatch(e -> e.get("status").asInt() == 200
                && e.get("path").asText().equals("/admin/ca")), admin.toString());
        assertTrue(admin.stream().anyMatch(e -> e.get("status").asInt() == 401
                && e.has("remoteAddress")), admin.toString());
        assertTrue(events("order.finalized").stream().anyMatch(e ->
                e.get("account").asText().equals(id)));
    }
}
