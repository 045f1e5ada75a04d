package io.certapi.web;

import static io.certapi.testing.TestAcme.postAsGet;
import static io.certapi.testing.TestAcme.postKid;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.certapi.testing.Orders;
import io.certapi.testing.Openssl;
import io.certapi.testing.TestAcme;
import io.certapi.testing.TestAcme.Account;
import io.certapi.testing.TestPaths;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;

/**
 * The CRL and OCSP responder each certificate names, checked with openssl before and after a
 * revocation, as a relying party would.
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class RevocationStatusTest {

    private static final Path ROOT = Path.of("target/test-data/ca/root.pem");

    @Test
    void crlAndOcspReportGoodThenRevoked() throws Exception {
        Account a = TestAcme.newAccount();
        String order = Orders.ready(a, "status.revoke.test");
        postKid(a, order + "/finalize", Orders.finalizePayload(Orders.csr(Orders.ecKeyPair(),
                "status.revoke.test"))).then().statusCode(200);
        String certUrl = Orders.awaitStatus(a, order, "valid").getString("certificate");
        String chain = postAsGet(a, certUrl).asString();
        Path dir = Files.createTempDirectory(TestPaths.target(), "revocation-status");
        int split = chain.indexOf("-----BEGIN CERTIFICATE-----", 10);
        Path leaf = Files.writeString(dir.resolve("leaf.pem"), chain.substring(0, split));
        Path issuer = Files.writeString(dir.resolve("issuer.pem"), chain.substring(split));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(chain.getBytes()));
        String serial = cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        String crlUrl = crlUrl(cert);

        assertThat(Openssl.crl(crlUrl, issuer, dir), not(containsString(serial)));
        assertThat(Openssl.ocsp(issuer, leaf, ROOT, RestAssured.port),
                containsString("leaf.pem: good"));

        postKid(a, "/acme/revoke-cert", "{\"certificate\":\"" + TestAcme.b64(cert.getEncoded())
                + "\",\"reason\":4}").then().statusCode(200);

        String crl = Openssl.crl(crlUrl, issuer, dir);
        assertThat(crl, containsString(serial));
        assertThat(crl, containsString("Superseded"));
        String status = Openssl.ocsp(issuer, leaf, ROOT, RestAssured.port);
        assertThat(status, containsString("leaf.pem: revoked"));
        assertThat(status, org.hamcrest.Matchers.containsStringIgnoringCase(
                "Revocation Reason: superseded"));
    }

    @Test
    void unknownIssuerHasNoCrl() {
        RestAssured.given().get("/crl/0000").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static String crlUrl(X509Certificate cert) throws Exception {
        CRLDistPoint dp = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                cert.getExtensionValue(Extension.cRLDistributionPoints.getId())));
        GeneralNames names = (GeneralNames) dp.getDistributionPoints()[0]
                .getDistributionPoint().getName();
        String url = names.getNames()[0].getName().toString();
        assertThat(url, containsString("http://localhost:" + RestAssured.port + "/crl/"));
        return url;
    }
}
