package io.certapi.e2e;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.Admin;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * ACME Renewal Information (RFC 9773) with acme4j: the window of a 10-minute certificate, the
 * operator's "renew now", "replaces" with alreadyReplaced, and notBefore/notAfter within a
 * profile's bounds.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class RenewalInfoTest {

    private Session session;

    @BeforeEach
    void session() {
        session = AcmeFlows.session();
    }

    @Test
    void theWindowOfATenMinuteCertificateIsItsLastThirdToSixth() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Certificate cert = AcmeFlows.issue(account, AcmeFlows.domainKey(), "window.ari.test");
        assertTrue(cert.hasRenewalInfo(), "the directory names renewalInfo");
        X509Certificate leaf = cert.getCertificate();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Duration life = Duration.between(notBefore, notAfter);
        RenewalInfo info = cert.getRenewalInfo();
        assertEquals(notAfter.minus(life.dividedBy(3)), info.getSuggestedWindowStart());
        assertEquals(notAfter.minus(life.dividedBy(6)), info.getSuggestedWindowEnd());
        assertTrue(info.renewalIsNotRequired(Instant.now()), "a new certificate is not due");
        // Retry-After is a tenth of the lifetime, at least a minute.
        RestAssured.given().get(cert.getRenewalInfoLocation().orElseThrow().toString()).then()
                .statusCode(200).header("Retry-After", "60");
    }

    @Test
    void renewNowPutsTheWindowInThePast() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Certificate cert = AcmeFlows.issue(account, AcmeFlows.domainKey(), "now.ari.test");
        assertEquals(1, Admin.renewNow(ariId(cert)));
        assertEquals(0, Admin.renewNow(ariId(cert)), "marked once");
        RenewalInfo info = cert.getRenewalInfo();
        info.fetch();
        assertTrue(info.getSuggestedWindowEnd().isBefore(Instant.now().plusSeconds(1)),
                "window ends " + info.getSuggestedWindowEnd());
        assertTrue(info.renewalIsOverdue(Instant.now().plusSeconds(1)));

        // Every certificate of an issuer at once.
        Certificate other = AcmeFlows.issue(account, AcmeFlows.domainKey(), "issuer.ari.test");
        String issuer = Admin.as().get("/issuers").then().extract().jsonPath()
                .getString("find { it.current && it.role == 'intermediate' }.id");
        int marked = Admin.as().contentType("application/json")
                .body("{\"issuer\":\"" + issuer + "\"}").post("/admin/renew-now").then()
                .statusCode(200).extract().jsonPath().getInt("marked");
        assertTrue(marked >= 1, "marked " + marked);
        RenewalInfo otherInfo = other.getRenewalInfo();
        otherInfo.fetch();
        assertTrue(otherInfo.renewalIsOverdue(Instant.now().plusSeconds(1)));
    }

    @Test
    void aReplacementOrderNamesItsCertificateOnceOnly() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Certificate cert = AcmeFlows.issue(account, AcmeFlows.domainKey(), "replace.ari.test");
        Order renewal = account.newOrder().domain("replace.ari.test").replaces(cert).create();
        assertEquals(ariId(cert), renewal.getJSON().get("replaces").asString());

        AcmeServerException twice = assertThrows(AcmeServerException.class, () ->
                account.newOrder().domain("replace.ari.test").replaces(cert).create());
        assertTrue(twice.getType().toString().endsWith(":alreadyReplaced"), twice.toString());

        // Once the replacing order is invalid, another may replace the certificate.
        renewal.getAuthorizations().get(0).deactivate();
        renewal.fetch();
        assertEquals(Status.INVALID, renewal.getStatus());
        Order second = account.newOrder().domain("replace.ari.test").replaces(cert).create();
        assertEquals(Status.PENDING, second.getStatus());

        Account stranger = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        AcmeServerException notYours = assertThrows(AcmeServerException.class, () ->
                stranger.newOrder().domain("replace.ari.test").replaces(cert).create());
        assertTrue(notYours.getType().toString().endsWith(":unauthorized"), notYours.toString());
        AcmeServerException otherName = assertThrows(AcmeServerException.class, () ->
                account.newOrder().domain("elsewhere.ari.test").replaces(cert).create());
        assertTrue(otherName.getMessage().contains("shares no identifier"), otherName.toString());
    }

    @Test
    void badRenewalIdentifiersAreProblems() {
        RestAssured.given().get("/acme/renewal-info/not-an-id").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ietf:params:acme:error:malformed"));
        RestAssured.given().get("/acme/renewal-info/AAAA.AAAA").then().statusCode(404)
                .contentType("application/problem+json");
        RestAssured.given().get("/acme/renewal-info/AAAA.AA==").then().statusCode(400);
    }

    @Test
    void notAfterIsHonouredWithinTheProfileBounds() throws Exception {
        Account account = AcmeFlows.newAccount(session, KeyPairUtils.createKeyPair());
        Instant now = Instant.now();
        AcmeServerException tooLong = assertThrows(AcmeServerException.class, () ->
                account.newOrder().domain("bounds.ari.test").profile("short")
                        .notAfter(now.plus(Duration.ofMinutes(10))).create());
        assertTrue(tooLong.getMessage().contains("of profile \"short\""), tooLong.toString());
        Instant wanted = now.plus(Duration.ofMinutes(4)).truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS);
        Order order = account.newOrder().domain("bounds.ari.test").profile("short")
                .notAfter(wanted).create();
        AcmeFlows.validateHttp01(order);
        order.execute(AcmeFlows.domainKey());
        assertEquals(Status.VALID, order.waitForCompletion(AcmeFlows.WAIT));
        Certificate cert = order.getCertificate();
        cert.download();
        assertEquals(wanted, cert.getCertificate().getNotAfter().toInstant());
    }

    /** The RFC 9773 identifier, as acme4j puts it in the renewalInfo URL. */
    private static String ariId(Certificate cert) {
        String url = cert.getRenewalInfoLocation().orElseThrow().toString();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    void theDirectoryNamesRenewalInfo() {
        RestAssured.given().get("/acme/directory").then().statusCode(200)
                .body("renewalInfo", containsString("/acme/renewal-info"));
    }
}
