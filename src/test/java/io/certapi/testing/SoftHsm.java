package io.certapi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A real PKCS#11 token: Debian's SoftHSM v2 ({@code softhsm2}), initialised once per test JVM
 * under target/softhsm. The library finds its configuration through SOFTHSM2_CONF, which the
 * build sets for the test JVMs (pom.xml), since a JVM cannot set its own environment.
 */
public final class SoftHsm {

    /** The token's user PIN. */
    public static final String PIN = "1234";
    private static Path config;

    private SoftHsm() {
    }

    /** The SunPKCS11 configuration file of the test token, creating the token first. */
    public static synchronized Path sunPkcs11Config() {
        if (config != null) {
            return config;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through"
                    + " Maven, whose surefire configuration sets it");
        }
        Path library = List.of("/usr/lib/softhsm/libsofthsm2.so",
                "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so").stream().map(Path::of)
                .filter(Files::exists).findFirst().orElseThrow(() -> new IllegalStateException(
                        "SoftHSM is not installed (apt-get install softhsm2)"));
        try {
            Path confFile = Path.of(conf).toAbsolutePath();
            Path dir = confFile.getParent();
            Path tokens = dir.resolve("tokens");
            if (Files.exists(tokens)) {
                try (var s = Files.walk(tokens)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(tokens);
            Files.writeString(confFile, "directories.tokendir = " + tokens + "\n"
                    + "objectstore.backend = file\nlog.level = ERROR\n");
            Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label",
                    "certapi-test", "--pin", PIN, "--so-pin", "5678").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("softhsm2-util failed: " + out);
            }
            Path sun = dir.resolve("sunpkcs11.cfg");
            Files.writeString(sun, "name = SoftHSM\nlibrary = " + library
                    + "\nslotListIndex = 0\n");
            config = sun;
            return sun;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
