package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.ValidationPeers;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Caddy serving a site with certapi as its ACME CA, on a certapi whose certificates live two
 * minutes: Caddy must renew on its own, twice, while curl keeps getting the site over HTTPS
 * with a certificate that chains to certapi's root.
 */
final class CaddyRun {

    private static final String NAME = "caddy.interop.test";

    private CaddyRun() {
    }

    static void run(Path dir, Map<String, String> peers) throws Exception {
        Files.createDirectories(dir);
        int httpPort = PackagedServer.freePort();
        int httpsPort = PackagedServer.freePort();
        try (PackagedServer ca = new PackagedServer(dir.resolve("data"), Map.of(
                "certapi.validation.dns-resolver", peers.get("certapi.validation.dns-resolver"),
                "certapi.validation.http01-port", String.valueOf(httpPort),
                "certapi.certificate.lifetime", "2m",
                "certapi.issuance.delay", "1s")).start()) {
            Path root = dir.resolve("data/ca/root.pem");
            Path caddyfile = dir.resolve("Caddyfile");
            Files.writeString(caddyfile, "{\n"
                    + "\tadmin off\n"
                    + "\thttp_port " + httpPort + "\n"
                    + "\thttps_port " + httpsPort + "\n"
                    + "\trenew_interval 5s\n"
                    + "\tskip_install_trust\n"
                    + "\tstorage file_system {\n\t\troot " + dir.resolve("storage") + "\n\t}\n"
                    + "}\n\n"
                    + "https://" + NAME + ":" + httpsPort + " {\n"
                    + "\ttls {\n"
                    + "\t\tissuer acme {\n"
                    + "\t\t\tdir " + ca.httpsDirectory() + "\n"
                    + "\t\t\ttrusted_roots " + root + "\n"
                    + "\t\t\tdisable_tlsalpn_challenge\n"
                    + "\t\t}\n"
                    + "\t}\n"
                    + "\trespond \"hello from caddy\"\n"
                    + "}\n");
            Path log = dir.resolve("caddy.log");
            ProcessBuilder pb = new ProcessBuilder(ValidationPeers.findBinary("caddy"), "run",
                    "--config", caddyfile.toString(), "--adapter", "caddyfile")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(Map.of("HOME", dir.toString(), "XDG_DATA_HOME",
                    dir.resolve("xdg-data").toString(), "XDG_CONFIG_HOME",
                    dir.resolve("xdg-config").toString()));
            Process caddy = pb.start();
            try {
                watch(root, httpsPort, log);
            } finally {
                caddy.destroy();
                caddy.waitFor();
            }
        }
    }

    private static void watch(Path root, int port, Path log) throws Exception {
        Set<BigInteger> serials = new LinkedHashSet<>();
        long end = System.nanoTime() + Duration.ofMinutes(7).toNanos();
        int served = 0;
        while (serials.size() < 3 && System.nanoTime() < end) {
            Thread.sleep(3000);
            Interop.Result body = Interop.run(List.of("curl", "-sS", "--max-time", "5",
                    "--cacert", root.toString(), "--resolve", NAME + ":" + port + ":127.0.0.1",
                    "https://" + NAME + ":" + port + "/"), Map.of());
            if (serials.isEmpty() && body.exit() != 0) {
                continue; // Caddy is still getting its first certificate.
            }
            assertEquals(0, body.exit(), "curl failed after " + serials.size()
                    + " certificates: " + body.output() + "\n" + Files.readString(log));
            assertEquals("hello from caddy", body.output().trim());
            X509Certificate leaf = servedLeaf(port);
            assertEquals(Duration.ofMinutes(2), Duration.between(leaf.getNotBefore().toInstant(),
                    leaf.getNotAfter().toInstant()));
            serials.add(leaf.getSerialNumber());
            served++;
        }
        assertTrue(serials.size() >= 3, "Caddy served " + serials.size() + " certificates in "
                + served + " checks; expected the first and two renewals\n"
                + Files.readString(log));
    }

    private static X509Certificate servedLeaf(int port) throws Exception {
        Interop.Result r = Interop.run(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + port, "-servername", NAME), Map.of());
        String out = r.output();
        int begin = out.indexOf("-----BEGIN CERTIFICATE-----");
        int stop = out.indexOf("-----END CERTIFICATE-----");
        assertTrue(begin >= 0, "no certificate from openssl s_client: " + out);
        String pem = out.substring(begin, stop + "-----END CERTIFICATE-----".length());
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes()));
    }
}
