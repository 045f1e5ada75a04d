package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certapi.testing.TestPaths;
import io.certapi.testing.ValidationPeers;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * Two packaged servers on one PostgreSQL, each with a data directory of its own and the same
 * key-encryption key, as behind a load balancer: one CA for both, no file shared; a rotation
 * made on one is answered for at once by the other (the new issuer's CRL) and used by it for
 * signing at its next check.
 */
class SharedCaIT {

    private static final String SCHEMA = "certapi_shared_ca";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoInstancesShareOneCaThroughTheDatabase() throws Exception {
        Path work = Files.createTempDirectory(TestPaths.target(), "shared-ca-it");
        Path jar = postgresApplication(work);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test",
                "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        ValidationPeers peers = new ValidationPeers();
        Map<String, String> config = new HashMap<>(peers.start());
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test"
                + "?currentSchema=" + SCHEMA);
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.flyway.schemas", SCHEMA);
        config.put("certapi.ca.keys.kek", Base64.getEncoder().encodeToString(kek));
        config.put("certapi.ca.check-interval", "1s");
        try (PackagedServer a = new PackagedServer(jar, work.resolve("a"), config).start();
                PackagedServer b = new PackagedServer(jar, work.resolve("b"), config).start()) {
            assertEquals(Files.readString(work.resolve("a/ca/root.pem")),
                    Files.readString(work.resolve("b/ca/root.pem")), "one CA, not two");
            for (Path data : new Path[] {work.resolve("a"), work.resolve("b")}) {
                try (var files = Files.list(data.resolve("ca"))) {
                    assertEquals(1, files.count(), "ca/ holds root.pem only: " + data);
                }
                assertFalse(Files.exists(data.resolve("ca-kek")), "the KEK came from config");
            }
            String first = currentIntermediate(b);

            a.admin("POST", "/admin/ca/rotate");
            String rotated = currentIntermediate(a);
            assertNotEquals(first, rotated);
            // At once, before its next check: b serves the new issuer's CRL and certificate.
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
                    new ByteArrayInputStream(get(b, "/crl/" + rotated)));
            X509Certificate issuer = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(get(b, "/issuers/"
                            + rotated)));
            crl.verify(issuer.getPublicKey());

            // Within its check interval, b signs with the new intermediate.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!currentIntermediate(b).equals(rotated) && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertEquals(rotated, currentIntermediate(b));
            AcmeFlows.init();
            Account account = AcmeFlows.newAccount(new Session(b.directory()),
                    KeyPairUtils.createKeyPair());
            Certificate cert = AcmeFlows.issue(account, AcmeFlows.domainKey(), "shared.ca.test");
            cert.getCertificate().verify(issuer.getPublicKey());
            assertTrue(b.logText().contains("CA reloaded"), "b picked the rotation up");
        } finally {
            peers.stop();
        }
    }

    /** The id of the intermediate an instance signs with, from its admin API. */
    private static String currentIntermediate(PackagedServer s) throws Exception {
        JsonNode ca = JSON.readTree(s.admin("GET", "/admin/ca"));
        for (JsonNode c : ca.get("certificates")) {
            if (c.get("current").asBoolean() && "intermediate".equals(c.get("role").asText())) {
                return c.get("id").asText();
            }
        }
        throw new AssertionError("no current intermediate: " + ca);
    }

    private static byte[] get(PackagedServer s, String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + s.httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    /**
     * A copy of the packaged application re-augmented for PostgreSQL, as docs/operating.md
     * tells an operator to do it.
     */
    private static Path postgresApplication(Path work) throws Exception {
        Path app = work.resolve("quarkus-app");
        Path from = TestPaths.target().resolve("quarkus-app");
        try (var all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path to = app.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path jar = app.resolve("quarkus-run.jar");
        Process p = new ProcessBuilder("java", "-Dquarkus.launch.rebuild=true",
                "-Dquarkus.datasource.db-kind=postgresql", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("rebuild.log").toFile())
                .start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the re-augmentation finished");
        assertEquals(0, p.exitValue(), Files.readString(work.resolve("rebuild.log")));
        return jar;
    }
}
