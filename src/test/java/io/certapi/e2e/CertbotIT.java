package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.ValidationPeers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * certbot, the most used ACME client, against the packaged jar over HTTPS, trusting only the
 * root certapi wrote: certonly --standalone with http-01 for two names, validated for real by
 * the server through the test DNS server, issued after the default 10 s delay; then certbot
 * revokes it.
 */
class CertbotIT {

    private static final ValidationPeers PEERS = new ValidationPeers();
    private static Path work;
    private static PackagedServer server;
    private static int standalonePort;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> peers = PEERS.start();
        work = Files.createTempDirectory(Path.of("target"), "certbot-it");
        standalonePort = PackagedServer.freePort();
        server = new PackagedServer(work.resolve("data"), Map.of(
                "certapi.validation.dns-resolver", peers.get("certapi.validation.dns-resolver"),
                "certapi.validation.http01-port", String.valueOf(standalonePort))).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        PEERS.stop();
    }

    @Test
    void certonlyStandaloneThenRevoke() throws Exception {
        Path root = work.resolve("data/ca/root.pem");
        long started = System.nanoTime();
        Result r = certbot(root, "certonly", "--standalone",
                "--http-01-port", String.valueOf(standalonePort),
                "--http-01-address", "127.0.0.1",
                "-d", "certbot.it.test", "-d", "www.certbot.it.test");
        assertEquals(0, r.exit(), r.output());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) >= 0,
                "issued after " + took + ", before the default 10 s delay");

        Path live = work.resolve("config/live/certbot.it.test");
        Result verify = run(List.of("openssl", "verify", "-CAfile", root.toString(),
                "-untrusted", live.resolve("chain.pem").toString(),
                live.resolve("cert.pem").toString()), Map.of());
        assertEquals(0, verify.exit(), verify.output());

        X509Certificate leaf;
        try (var in = Files.newInputStream(live.resolve("cert.pem"))) {
            leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        List<Object> names = new ArrayList<>();
        sans.forEach(s -> names.add(s.get(1)));
        assertEquals(List.of("certbot.it.test", "www.certbot.it.test"), names);
        assertEquals(Duration.ofMinutes(10), Duration.between(leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant()));

        Result revoke = certbot(root, "revoke", "--cert-name", "certbot.it.test",
                "--reason", "superseded", "--no-delete-after-revoke");
        assertEquals(0, revoke.exit(), revoke.output());
        assertTrue(server.logText().contains("revoked, reason 4"), "the server logged it");
    }

    private Result certbot(Path root, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ValidationPeers.findBinary("certbot")));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--non-interactive", "--agree-tos",
                "--register-unsafely-without-email",
                "--server", server.httpsDirectory(),
                "--config-dir", work.resolve("config").toString(),
                "--work-dir", work.resolve("work").toString(),
                "--logs-dir", work.resolve("logs").toString()));
        return run(cmd, Map.of("REQUESTS_CA_BUNDLE", root.toString()));
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> cmd, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}
