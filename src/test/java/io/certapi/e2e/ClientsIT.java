package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.testing.ValidationPeers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real clients against the packaged jar, each challenge type validated for real: lego with
 * http-01, tls-alpn-01 and dns-01 (through an exec script that writes the TXT record into the
 * test DNS server), and certbot --manual with DNS hooks for a wildcard and a plain name. Every
 * certificate is checked with openssl against the root certapi wrote.
 */
class ClientsIT {

    private static final ValidationPeers PEERS = new ValidationPeers();
    private static Path work;
    private static Path root;
    private static PackagedServer server;
    private static int httpPort;
    private static int tlsPort;
    private static String management;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> peers = PEERS.start();
        work = Files.createTempDirectory(Path.of("target"), "clients-it").toAbsolutePath();
        httpPort = PackagedServer.freePort();
        tlsPort = PackagedServer.freePort();
        management = "http://127.0.0.1:" + ValidationPeers.managementPort();
        server = new PackagedServer(work.resolve("data"), Map.of(
                "certapi.validation.dns-resolver", peers.get("certapi.validation.dns-resolver"),
                "certapi.validation.http01-port", String.valueOf(httpPort),
                "certapi.validation.tls-alpn01-port", String.valueOf(tlsPort),
                "certapi.issuance.delay", "1s")).start();
        root = work.resolve("data/ca/root.pem");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        PEERS.stop();
    }

    @Test
    void legoHttp01ThenRenew() throws Exception {
        Path dir = work.resolve("lego-http");
        run(lego(dir, "lego-http.clients.test", "--http", "--http.port",
                "127.0.0.1:" + httpPort, "run"));
        X509Certificate first = checkLego(dir, "lego-http.clients.test");
        run(lego(dir, "lego-http.clients.test", "--http", "--http.port",
                "127.0.0.1:" + httpPort, "renew", "--days", "1", "--no-random-sleep"));
        X509Certificate renewed = checkLego(dir, "lego-http.clients.test");
        assertTrue(!renewed.getSerialNumber().equals(first.getSerialNumber()), "a new one");
    }

    @Test
    void legoTlsAlpn01() throws Exception {
        Path dir = work.resolve("lego-tls");
        run(lego(dir, "lego-tls.clients.test", "--tls", "--tls.port", "127.0.0.1:" + tlsPort,
                "run"));
        checkLego(dir, "lego-tls.clients.test");
    }

    @Test
    void legoDns01ThroughExecThenRevoke() throws Exception {
        Path dir = work.resolve("lego-dns");
        Path script = hookScript(work.resolve("lego-exec.sh"),
                "case \"$1\" in\n"
                + "  present) curl -sf -X POST -d \"{\\\"host\\\":\\\"$2\\\",\\\"value\\\":\\\"$3\\\"}\" "
                + management + "/set-txt ;;\n"
                + "  cleanup) curl -sf -X POST -d \"{\\\"host\\\":\\\"$2\\\"}\" " + management
                + "/clear-txt ;;\n"
                + "esac\n");
        List<String> cmd = lego(dir, "lego-dns.clients.test", "--dns", "exec",
                "--dns.resolvers", "127.0.0.1:" + ValidationPeers.dnsPort(), "--dns.disable-cp",
                "run");
        run(cmd, Map.of("EXEC_PATH", script.toString(), "EXEC_POLLING_INTERVAL", "1",
                "EXEC_PROPAGATION_TIMEOUT", "5"));
        checkLego(dir, "lego-dns.clients.test");
        run(lego(dir, "lego-dns.clients.test", "revoke"));
        assertTrue(server.logText().contains("revoked"), "the server logged the revocation");
    }

    @Test
    void certbotManualDnsHooksForAWildcardAndAPlainName() throws Exception {
        Path auth = hookScript(work.resolve("certbot-auth.sh"),
                "curl -sf -X POST -d \"{\\\"host\\\":\\\"_acme-challenge.$CERTBOT_DOMAIN.\\\","
                + "\\\"value\\\":\\\"$CERTBOT_VALIDATION\\\"}\" " + management + "/set-txt\n");
        Path cleanup = hookScript(work.resolve("certbot-cleanup.sh"),
                "curl -sf -X POST -d \"{\\\"host\\\":\\\"_acme-challenge.$CERTBOT_DOMAIN.\\\"}\" "
                + management + "/clear-txt\n");
        Path dir = work.resolve("certbot");
        List<String> cmd = new ArrayList<>(List.of(ValidationPeers.findBinary("certbot"),
                "certonly", "--manual", "--preferred-challenges", "dns",
                "--manual-auth-hook", auth.toString(), "--manual-cleanup-hook",
                cleanup.toString(), "--cert-name", "wild",
                "-d", "*.wild.clients.test", "-d", "plain.clients.test",
                "--non-interactive", "--agree-tos", "--register-unsafely-without-email",
                "--server", server.httpsDirectory(),
                "--config-dir", dir.resolve("config").toString(),
                "--work-dir", dir.resolve("work").toString(),
                "--logs-dir", dir.resolve("logs").toString()));
        run(cmd, Map.of("REQUESTS_CA_BUNDLE", root.toString()));
        Path live = dir.resolve("config/live/wild");
        verify(live.resolve("cert.pem"), live.resolve("chain.pem"));
        assertEquals(List.of("*.wild.clients.test", "plain.clients.test"),
                names(live.resolve("cert.pem")));
    }

    private static List<String> lego(Path dir, String domain, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ValidationPeers.findBinary("lego"),
                "--server", server.httpsDirectory(), "--email", "ops@clients.test",
                "--accept-tos", "--path", dir.toString(), "--domains", domain));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static X509Certificate checkLego(Path dir, String domain) throws Exception {
        Path certs = dir.resolve("certificates");
        Path crt = certs.resolve(domain + ".crt");
        verify(crt, certs.resolve(domain + ".issuer.crt"));
        assertEquals(List.of(domain), names(crt));
        X509Certificate leaf = read(crt);
        assertEquals(Duration.ofMinutes(10), Duration.between(leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant()));
        return leaf;
    }

    private static void verify(Path cert, Path chain) throws Exception {
        CertbotIT.Result r = CertbotIT.run(List.of("openssl", "verify", "-CAfile",
                root.toString(), "-untrusted", chain.toString(), cert.toString()), Map.of());
        assertEquals(0, r.exit(), r.output());
    }

    private static List<String> names(Path pem) throws Exception {
        Collection<List<?>> sans = read(pem).getSubjectAlternativeNames();
        List<String> out = new ArrayList<>();
        sans.forEach(s -> out.add(String.valueOf(s.get(1))));
        return out;
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }

    private static Path hookScript(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\nset -e\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static void run(List<String> cmd) throws Exception {
        run(cmd, Map.of());
    }

    private static void run(List<String> cmd, Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("LEGO_CA_CERTIFICATES", root.toString());
        CertbotIT.Result r = CertbotIT.run(cmd, all);
        assertEquals(0, r.exit(), String.join(" ", cmd) + "\n" + r.output());
    }
}
