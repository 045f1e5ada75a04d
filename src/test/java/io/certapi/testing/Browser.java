package io.certapi.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium, Debian's {@code chromium} driven through Debian's
 * {@code chromium-driver}: both named explicitly, so that Selenium never looks for or downloads
 * a browser or a driver.
 */
public final class Browser {

    private Browser() {
    }

    /** A new headless Chromium with a window large enough for the dashboard's tables. */
    public static ChromeDriver start() {
        Path driver = Path.of("/usr/bin/chromedriver");
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(driver) || !Files.isExecutable(chromium)) {
            throw new IllegalStateException("chromium and chromium-driver are needed:"
                    + " apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver.toString())).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofMillis(0));
        return browser;
    }
}
