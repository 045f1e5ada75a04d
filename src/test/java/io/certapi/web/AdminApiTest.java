package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.Admin;
import io.certapi.testing.Openssl;
import io.certapi.testing.Orders;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.TestPaths;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/**
 * The operator's API over accounts, orders and certificates: find what acme4j-style clients
 * just did, read an order's transcript, download and revoke a certificate, which OCSP then
 * reports at once.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class AdminApiTest {

    @Test
    void findReadDownloadAndRevoke() throws Exception {
        Account a = TestAcme.newAccount();
        String id = a.kid.substring(a.kid.lastIndexOf('/') + 1);
        String thumbprint = a.key.calculateBase64urlEncodedThumbprint("SHA-256");
        String order = Orders.ready(a, "admin-api.test");
        String orderId = order.substring(order.lastIndexOf('/') + 1);
        postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csr(Orders.ecKeyPair(),
                "admin-api.test"))).then().statusCode(200);
        String certUrl = Orders.awaitStatus(a, order, "valid").getString("certificate");
        String chain = postAsGet(a, certUrl).asString();
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(chain.getBytes()));
        String serialHex = cert.getSerialNumber().toString(16);

        // Nothing without the token.
        RestAssured.given().get("/admin/accounts").then().statusCode(401);

        Admin.as().get("/admin/accounts?thumbprint=" + thumbprint).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(id));
        Admin.as().get("/admin/accounts/" + id).then().statusCode(200)
                .body("orders.id", hasItem(orderId));
        Admin.as().get("/admin/orders?identifier=admin-api.test").then().statusCode(200)
                .body("items.id", hasItem(orderId));
        JsonPath detail = Admin.as().get("/admin/orders/" + orderId).then().statusCode(200)
                .extract().jsonPath();
        assertEquals("dns:admin-api.test", detail.getString("authorizations[0].identifier"));
        // The transcript is JSON, not a Java toString.
        assertTrue(detail.getString("authorizations[0].challenges.find { it.status == 'valid' }"
                + ".transcript[0].url").contains("/.well-known/acme-challenge/"),
                detail.prettify());

        JsonPath found = Admin.as().get("/admin/certificates?name=admin-api.test").then()
                .statusCode(200).body("total", greaterThanOrEqualTo(1)).extract().jsonPath();
        String certId = found.getString("items[0].id");
        Admin.as().get("/admin/certificates?serial=" + serialHex.toUpperCase()).then()
                .body("items[0].id", equalTo(certId));
        Admin.as().get("/admin/certificates?revoked=false&account=" + id).then()
                .body("items.id", hasItem(certId));
        String pem = Admin.as().get("/admin/certificates/" + certId + "/pem").then()
                .statusCode(200).contentType("application/pem-certificate-chain")
                .extract().asString();
        assertEquals(chain, pem);

        Admin.as().body("{\"reason\":4}").post("/admin/certificates/" + certId + "/revoke")
                .then().statusCode(200).body("revocationReason", equalTo(4));
        Admin.as().body("{\"reason\":4}").post("/admin/certificates/" + certId + "/revoke")
                .then().statusCode(400).body("type", containsString("alreadyRevoked"));
        Admin.as().body("{\"reason\":7}").post("/admin/certificates/nosuch/revoke").then()
                .statusCode(404);
        // OCSP says so at once.
        Path dir = Files.createTempDirectory(TestPaths.target(), "admin-api");
        int split = chain.indexOf("-----BEGIN CERTIFICATE-----", 10);
        Path leaf = Files.writeString(dir.resolve("leaf.pem"), chain.substring(0, split));
        Path issuer = Files.writeString(dir.resolve("issuer.pem"), chain.substring(split));
        assertTrue(Openssl.ocsp(issuer, leaf, Path.of("target/test-data/ca/root.pem"),
                RestAssured.port).contains("leaf.pem: revoked"));
        // And so does the issuer's CRL.
        String crlUrl = "http://localhost:" + RestAssured.port + "/crl/" + found.getString(
                "items[0].issuer");
        assertTrue(Openssl.crl(crlUrl, issuer, dir).contains(cert.getSerialNumber()
                .toString(16).toUpperCase(java.util.Locale.ROOT)), "the CRL lists it");

        Admin.as().get("/admin/overview").then().statusCode(200)
                .body("ca.size()", greaterThanOrEqualTo(2))
                .body("ordersByStatus.valid", greaterThanOrEqualTo(1));
        Admin.as().get("/admin/orders?since=yesterday").then().statusCode(400)
                .body("detail", containsString("RFC 3339"));
        Admin.as().get("/admin/orders?account=" + id + "&since="
                + java.time.Instant.now().minusSeconds(600)).then().statusCode(200)
                .body("items.id", hasItem(orderId));
        Admin.as().get("/admin/orders?account=" + id + "&since="
                + java.time.Instant.now().plusSeconds(600)).then().statusCode(200)
                .body("total", equalTo(0));

        // Deactivated by the operator: the account can no longer be used.
        Admin.as().post("/admin/accounts/" + id + "/deactivate").then().statusCode(200)
                .body("account.status", equalTo("deactivated"));
        Orders.create(a, "after-deactivation.test").then().statusCode(403)
                .body("type", containsString("unauthorized"));
    }
}
