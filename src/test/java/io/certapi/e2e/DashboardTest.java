package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.Admin;
import io.certapi.testing.Browser;
import io.certapi.testing.Openssl;
import io.certapi.testing.TestPaths;
import io.certapi.testing.ValidationPeers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The dashboard in a real headless Chromium: log in with the admin token, find the certificate
 * acme4j just got, revoke it, and see OCSP say so. Each page is saved as a screenshot under
 * target/dashboard-screenshots (docs/dashboard holds a copy).
 */
@QuarkusTest
@WithTestResource(value = ValidationPeers.class, scope = TestResourceScope.GLOBAL)
class DashboardTest {

    private static final Path SHOTS = TestPaths.target().resolve("dashboard-screenshots");

    @Test
    void logInFindACertificateRevokeItAndOcspSaysSo() throws Exception {
        Account account = AcmeFlows.newAccount(AcmeFlows.session(),
                KeyPairUtils.createKeyPair());
        Certificate cert = AcmeFlows.issue(account, AcmeFlows.domainKey(),
                "dashboard.test", "www.dashboard.test");
        String serial = cert.getCertificate().getSerialNumber().toString(16);
        Files.createDirectories(SHOTS);
        ChromeDriver browser = Browser.start();
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
            String base = "http://localhost:" + RestAssured.port + "/admin/ui";
            browser.get(base);
            // A wrong token is refused, and the page says so.
            browser.findElement(By.id("token")).sendKeys("not-the-token");
            browser.findElement(By.id("login-button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"),
                    "Log in failed"));
            shot(browser, "login");
            WebElement token = browser.findElement(By.id("token"));
            token.clear();
            token.sendKeys(Admin.TOKEN);
            browser.findElement(By.id("login-button")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("orders-by-status")));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("ca")));
            shot(browser, "overview");

            browser.findElement(By.id("nav-certificates")).click();
            WebElement name = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.id("search-name")));
            name.sendKeys("dashboard.test");
            browser.findElement(By.id("search-button")).click();
            By row = By.xpath("//tr[contains(td[2], 'www.dashboard.test')]");
            WebElement found = wait.until(ExpectedConditions.presenceOfElementLocated(row));
            assertTrue(found.getAttribute("data-serial").replaceFirst("^0+", "")
                    .equalsIgnoreCase(serial.replaceFirst("^0+", "")),
                    found.getAttribute("data-serial") + " vs " + serial);
            shot(browser, "certificates");

            new Select(found.findElement(By.className("reason"))).selectByVisibleText(
                    "superseded");
            found.findElement(By.className("revoke")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.xpath("//tr[contains(td[2], 'www.dashboard.test')]/td[5]"),
                    "revoked (superseded)"));
            shot(browser, "certificates-revoked");

            browser.findElement(By.id("nav-accounts")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("accounts-table")));
            shot(browser, "accounts");
            browser.findElement(By.id("nav-orders")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("search-identifier")))
                    .sendKeys("www.dashboard.test");
            browser.findElement(By.id("search-button")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.xpath("//table[@id='orders-table']//a"))).click();
            WebElement transcript = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.className("transcript")));
            assertTrue(transcript.getText().contains("/.well-known/acme-challenge/"),
                    transcript.getText());
            shot(browser, "order");
        } finally {
            browser.quit();
        }
        // OCSP says what the dashboard did.
        Path dir = Files.createTempDirectory(TestPaths.target(), "dashboard");
        Path leaf = Openssl.write(dir, "leaf.pem", cert.getCertificate());
        List<java.security.cert.X509Certificate> chain = cert.getCertificateChain();
        Path issuer = Openssl.write(dir, "issuer.pem", chain.get(1));
        String status = Openssl.ocsp(issuer, leaf, Path.of("target/test-data/ca/root.pem"),
                RestAssured.port);
        assertTrue(status.contains("leaf.pem: revoked"), status);
        assertTrue(status.toLowerCase(java.util.Locale.ROOT).contains("superseded"), status);
        assertEquals(6, Files.list(SHOTS).count(), "a screenshot of each page");
    }

    private static void shot(ChromeDriver browser, String name) throws Exception {
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(),
                SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
